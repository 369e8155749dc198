"""Forms of the unit study administrator's pages. They parse input; the credits services decide what is allowed."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.models import Kind
from credits.policies import category_label, kind_label, policy_of_year
from kunshan_training.years import parse_year
from organisation.models import Official

from .common import BootstrapForm, DateInput

YEARS_BACK = 5  # how many past years the year picker offers

# Central-group attendance goes through the session form, so the unit's session count stays right.
SESSION_KINDS = frozenset({Kind.CENTRAL_GROUP_SPEAKER, Kind.CENTRAL_GROUP_LISTENER})


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, this_year - YEARS_BACK - 1, -1)]


class YearForm(forms.Form):
    """The ?year= of the unit pages (default: the current year). ``years``: the years offered — those with data
    for the unit and this year (``credits.selectors.units.unit_years``); another year is explained and not shown."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        choices=year_choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
        error_messages={"invalid_choice": _("There is no year “%(value)s” to show; showing the current year.")},
    )

    def __init__(self, *args, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if years is not None:
            # A year asked for explicitly (a link, a notification) is shown even without data, as on 我的学分;
            # it is only *offered* when it has data.
            offered = set(years)
            with contextlib.suppress(ValidationError):
                offered.add(parse_year(self.data.get("year"), latest=timezone.localdate().year))
            self.fields["year"].choices = [(y, y) for y in sorted(offered, reverse=True)]

    def chosen_year(self) -> int:
        if self.is_valid():
            return self.cleaned_data["year"]
        return timezone.localdate().year


class AttendeesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Official.objects.none(),
            to_field_name="staff_no",
            required=False,
            error_messages={
                "invalid_choice": _("“%(value)s” is not an official of this unit; choose attendees from the list.")
            },
            **kwargs,
        )


class GroupStudySessionForm(BootstrapForm):
    """A central-group session with its speakers (发言) and listeners (不发言), chosen from the unit's officials."""

    occurred_on = forms.DateField(label=_("Date of the session"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    speakers = AttendeesField(label=_("Speakers"))
    listeners = AttendeesField(label=_("Listeners"))

    def __init__(self, *args, officials: QuerySet[Official], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = officials
        self.fields["listeners"].queryset = officials
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.officials = officials

    def attendee_rows(self) -> list[tuple[Official, bool, bool]]:
        """Each official of the unit with whether they are ticked as speaker and as listener (kept on errors)."""
        speakers = {str(v) for v in self["speakers"].value() or ()}
        listeners = {str(v) for v in self["listeners"].value() or ()}
        return [(o, o.staff_no in speakers, o.staff_no in listeners) for o in self.officials]


def declarable_kinds() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds a unit study administrator may declare, grouped by category (for an optgroup select)."""
    policy = policy_of_year(timezone.localdate().year)  # declarations are mostly of this year (see forms/official)
    groups = []
    for spec in policy.categories:
        if spec.code not in policy.enterable_by_unit_admin:
            continue
        kinds = [
            (kind, kind_label(kind))
            for kind, kind_spec in policy.kinds.items()
            if kind_spec.category == spec.code and kind not in SESSION_KINDS
        ]
        groups.append((category_label(spec.code), kinds))
    return groups


class DeclareForm(BootstrapForm):
    """A record declared for one of the unit's officials; it waits for the training section's review."""

    official = forms.ModelChoiceField(
        label=_("Official"),
        queryset=Official.objects.none(),
        to_field_name="staff_no",
        empty_label=_("Choose an official"),
        error_messages={"invalid_choice": _("Choose an official of this unit from the list.")},
    )
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=declarable_kinds)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=7,
        decimal_places=1,
        initial=1,
        help_text=_("Days for a training class, months for a secondment, otherwise the number of times."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    class_passed = forms.BooleanField(
        label=_("Class result passed"),
        required=False,
        initial=True,
        help_text=_("Training class days count only when the class result is passed."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, help_text=_("e.g. the name of the class or the paper.")
    )
    evidence = forms.FileField(
        label=_("Evidence"), required=False, help_text=_("Optional: a PDF, JPEG or PNG file (certificate, photo).")
    )
    confirm_duplicate = forms.BooleanField(label=_("It is a different activity: declare it anyway"), required=False)

    def __init__(self, *args, officials: QuerySet[Official], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = officials
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()


def recent_officials(officials: QuerySet[Official]) -> QuerySet[Official]:
    """Officials who may have attended something in the last year or so (not long retired)."""
    since = timezone.localdate().replace(month=1, day=1) - timedelta(days=366)
    return officials.exclude(retires_on__lt=since).order_by("staff_no")
