from datetime import date

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .models import Official, StudyAdministrator, Unit


def birth_date_problem(value: date | None) -> str | None:
    """What is wrong with a date of birth, in plain words, by the directory's one rule (organisation.services: a past
    date after 1900) — the admin and the officials import read it alike."""
    from .services import _check_birth_date

    try:
        _check_birth_date(value)
    except ValidationError as error:
        return " ".join(error.message_dict["birth_date"])
    return None


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    search_fields = ["code", "name"]
    readonly_fields = ["code"]

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the API/services, which log them


class OfficialAdminForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["birth_date"]

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        problem = birth_date_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    """Read-only but for the date of birth (the reserve pool's age rule reads it, RULES §6): the other fields change
    through the API/services and imports, which recompute scores; a birth date changes no score, so the admin may
    correct it, audited like every write."""

    form = OfficialAdminForm
    list_display = ["staff_no", "name", "unit", "rank", "birth_date", "included_on", "retires_on"]
    list_filter = ["rank", "unit"]
    search_fields = ["staff_no", "name"]
    fields = ["staff_no", "name", "unit", "rank", "birth_date", "included_on", "retires_on", "user"]
    readonly_fields = ["staff_no", "name", "unit", "rank", "included_on", "retires_on", "user"]

    def has_add_permission(self, request):
        return False  # new officials through the API/services or an import

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        old = snapshot(Official.objects.get(pk=obj.pk))
        obj.save(update_fields=["birth_date"])
        changed_old, changed_new = diff(old, snapshot(obj))
        if changed_new:
            log_change(actor=request.user, instance=obj, action=ChangeLog.Action.UPDATE, old=changed_old,
                       new=changed_new, reason=_("Changed in the admin site"))  # fmt: skip


@admin.register(StudyAdministrator)
class StudyAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
