from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the import pages and the API, and keep what they found."""

    list_display = ("created_at", "kind", "original_name", "dry_run", "status", "rows_total", "created", "skipped",
                    "error_count", "requested_by")  # fmt: skip
    list_filter = ("kind", "status", "dry_run")
    search_fields = ("original_name", "requested_by__username")
    list_select_related = ("requested_by",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
