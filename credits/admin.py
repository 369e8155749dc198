"""Admin: the year → policy table, and read-only views of the rest (writes go through the services)."""

from django.contrib import admin

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .models import ActivityRecord, AnnualScore, Exemption, GroupStudySession, PublishedYear, Veto, YearPolicy
from .recompute import start_recompute


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(YearPolicy)
class YearPolicyAdmin(admin.ModelAdmin):
    list_display = ["year", "policy"]

    def save_model(self, request, obj, form, change):
        old = snapshot(YearPolicy.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if old is None:
            log_change(actor=request.user, instance=obj, action=ChangeLog.Action.CREATE, new=snapshot(obj))
        else:
            old_values, new_values = diff(old, snapshot(obj))
            log_change(actor=request.user, instance=obj, action=ChangeLog.Action.UPDATE, old=old_values, new=new_values)
        start_recompute(by=request.user, year=obj.year)  # another policy means every score of the year changes


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ReadOnlyAdmin):
    list_display = ["official", "kind", "quantity", "points", "occurred_on", "status", "source"]
    list_filter = ["status", "category", "kind", "source"]
    search_fields = ["official__staff_no", "official__name"]
    list_select_related = ["official"]


@admin.register(AnnualScore)
class AnnualScoreAdmin(ReadOnlyAdmin):
    list_display = ["official", "year", "total", "grade", "exempt", "city_rank", "unit_rank", "computed_at"]
    list_filter = ["year", "grade", "exempt"]
    search_fields = ["official__staff_no", "official__name"]
    list_select_related = ["official"]


@admin.register(Exemption, Veto)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["official", "year", "reason", "note"]
    list_filter = ["year", "reason"]


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_id"]
    list_filter = ["model", "action"]


@admin.register(GroupStudySession)
class GroupStudySessionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "occurred_on", "topic", "created_by"]
    list_filter = ["unit"]
    date_hierarchy = "occurred_on"


@admin.register(PublishedYear)
class PublishedYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "published_at", "published_by"]
