from django.contrib import admin

from .models import Official, StudyAdministrator, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    search_fields = ["code", "name"]
    readonly_fields = ["code"]

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the API/services, which log them


@admin.register(Official)
class OfficialAdmin(UnitAdmin):
    list_display = ["staff_no", "name", "unit", "rank", "included_on", "retires_on"]
    list_filter = ["rank", "unit"]
    search_fields = ["staff_no", "name"]
    readonly_fields = []


@admin.register(StudyAdministrator)
class StudyAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
