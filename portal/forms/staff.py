"""Forms of the training section's pages. They check what a person can fix on the page; the services check again
(roles, locked years, duplicates) and their messages are put back on the form with ``add_service_errors``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.filtersets import UnitSelect, unit_choices
from credits.models import Category, ExemptionReason, VetoReason
from credits.policies import policy_choices
from credits.services import MAX_DISCRETIONARY_POINTS


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. no certificate of the class result")}),
        error_messages={"required": _("Give the reason for rejecting the record.")},
    )


class RecordIdsField(forms.Field):
    """The ticked rows of the queue: record ids. Which of them may still be approved is the service's business."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one record to approve."),
        "invalid": _("The selection is not valid; reload the page and try again."),
    }

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkApproveForm(forms.Form):
    record_ids = RecordIdsField()


class DiscretionaryPointsForm(forms.Form):
    """酌情赋分: points the training section assigns case by case, counted under the chosen category's cap."""

    category = forms.ChoiceField(label=_("Counts under"), choices=Category.choices)
    points = forms.DecimalField(
        label=_("Points"),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "max": str(MAX_DISCRETIONARY_POINTS)}),
        error_messages={"max_decimal_places": _("The points may have at most one decimal place.")},
    )
    # A date input only takes ISO dates: the zh-hans format (2026/11/30) would be dropped by the browser.
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("What was learned"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        # Formatted here, in the request's language (a lazy string formatted at import would be fixed in one).
        self.fields["points"].help_text = _("More than 0 and at most %(max)s.") % {"max": MAX_DISCRETIONARY_POINTS}
        self.fields["occurred_on"].initial = min(timezone.localdate(), date(year, 12, 31))

    def clean_points(self) -> Decimal:
        value = self.cleaned_data["points"]
        if not 0 < value <= MAX_DISCRETIONARY_POINTS:
            raise ValidationError(
                _("The points must be more than 0 and at most %(max)s.") % {"max": MAX_DISCRETIONARY_POINTS}
            )
        return value

    def clean_occurred_on(self) -> date:
        value = self.cleaned_data["occurred_on"]
        if value.year != self.year:
            raise ValidationError(_("The date must be in %(year)s, the year shown.") % {"year": self.year})
        return value


def _no_preselected(choices) -> list[tuple[str, str]]:
    """A decision's reasons with an empty first choice: the select starts empty and one must be chosen (a
    preselected reason would fail an official with one click)."""
    return [("", _("— choose the reason —")), *choices]


class ExemptionForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=_no_preselected(ExemptionReason.choices),
        error_messages={"required": _("Choose the reason for the exemption.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Required for “other”: describe the case the organization department decided."),
        widget=forms.TextInput,
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == ExemptionReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the case the organization department decided."))
        return data


class VetoForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=_no_preselected(VetoReason.choices),
        error_messages={"required": _("Choose the reason for the veto.")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.TextInput)


class ReopenYearForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=500,
        error_messages={"required": _("Give the reason for reopening the year.")},
    )


class RevokeRecordForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking the approval"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the certificate belongs to another class")}),
        error_messages={"required": _("Give the reason for revoking the approval.")},
    )


class CorrectRecordForm(forms.Form):
    """Correct an approved record: the values it counts with, and the reason (kept in the audit trail)."""

    quantity = forms.DecimalField(label=_("Quantity"), decimal_places=1, min_value=Decimal("0.1"),
                                  widget=forms.NumberInput(attrs={"step": "0.1"}))  # fmt: skip
    points = forms.DecimalField(label=_("Points"), decimal_places=1, required=False,
                                widget=forms.NumberInput(attrs={"step": "0.1"}))  # fmt: skip
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        error_messages={"required": _("Give the reason for correcting the record.")},
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial",
            {"quantity": record.quantity, "points": record.points, "occurred_on": record.occurred_on,
             "note": record.note},
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.record = record
        if record.kind != "discretionary":
            del self.fields["points"]
        else:
            del self.fields["quantity"]

    def changes(self) -> dict:
        """The corrected values (the service compares them with the record's and logs what differs)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


class PublishAnywayForm(forms.Form):
    """Shown when something of the year still waits: publishing then needs the reason, kept in the audit trail."""

    override_reason = forms.CharField(
        label=_("Reason for publishing anyway"),
        max_length=500,
        error_messages={"required": _("Give the reason for publishing while something still waits.")},
    )


class YearPolicyForm(forms.Form):
    """The credit policy a year is to be assessed under: previewed first (GET), then confirmed (POST); the service
    checks again (the training section only, a year that is not published)."""

    policy = forms.ChoiceField(
        label=_("Credit policy"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a credit policy."),
            "invalid_choice": _("There is no credit policy “%(value)s”."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = policy_choices()  # the names in the request's language


class OfficialSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or staff number"), required=False, max_length=50)
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=unit_choices, widget=UnitSelect)


class UnitFilterForm(forms.Form):
    """The unit picker of the rankings (the year is picked from the years that have scores)."""

    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=unit_choices, widget=UnitSelect)
