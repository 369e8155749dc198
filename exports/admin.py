from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "year", "unit", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status", "year")
    readonly_fields = [field.name for field in ExportJob._meta.fields]
