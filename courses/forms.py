"""Forms of the training organisation's pages. They parse what a person typed (dates, numbers, a staff number, a
unit code); what is allowed — the 30-day filing rule, seats and capacity, who may name whom — is the services'
business, and their ``ValidationError`` is put back on the form with ``add_service_errors``."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.filtersets import UnitSelect
from organisation.models import Official, Unit
from portal.forms.common import BootstrapMixin, DateInput

from .models import ClassStatus, ClassType, Course, Dispatch, Enrolment, LectureLevel, Subject


def unit_options() -> list[tuple[str, str]]:
    return [("", "—"), *((code, f"{name} ({code})") for code, name in Unit.objects.values_list("code", "name"))]


class UnitField(forms.ChoiceField):
    """A unit chosen by its code (the drop-down of every unit, written in one go)."""

    widget = UnitSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", unit_options)
        kwargs.setdefault("error_messages", {"required": _("Choose a unit."), "invalid_choice": _("Choose a unit.")})
        super().__init__(**kwargs)

    def clean(self, value) -> Unit:
        code = super().clean(value)
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValidationError(_("Choose a unit."), code="invalid")
        return unit


class OfficialField(forms.CharField):
    """An official typed by staff number; ``officials`` limits whom (a unit administrator: their own unit's)."""

    def __init__(self, *, officials: QuerySet[Official] | None = None, **kwargs):
        kwargs.setdefault("label", _("Staff number"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("error_messages", {"required": _("Give the official's staff number.")})
        super().__init__(**kwargs)
        self.officials = officials if officials is not None else Official.objects.all()

    def clean(self, value) -> Official | None:
        staff_no = (super().clean(value) or "").strip()
        if not staff_no and not self.required:
            return None
        official = self.officials.select_related("unit").filter(staff_no=staff_no).first()
        if official is None:
            raise ValidationError(
                _("No official with staff number “%(value)s” can be chosen here.") % {"value": staff_no[:32]},
                code="unknown",
            )
        return official


# -- the catalogue


class CourseFilterForm(BootstrapMixin, forms.Form):
    small = True
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.all(), required=False, empty_label=_("All subjects")
    )
    online = forms.ChoiceField(
        label=_("Online"),
        required=False,
        choices=[("", _("All courses")), ("yes", _("Online courses")), ("no", _("Classroom courses"))],
    )


class CourseForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.all())
    hours = forms.DecimalField(label=_("Study hours"), min_value=0, max_digits=5, decimal_places=1)
    online = forms.BooleanField(label=_("Online course"), required=False)
    credits = forms.DecimalField(
        label=_("Credits (Baoji)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("For an online course: what passing it gives in a year under baoji-2009 (5 to 20)."),
    )


class ModuleForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    elective = forms.BooleanField(label=_("Elective module"), required=False)
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses"),
        queryset=Course.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


# -- classes


class ClassFilterForm(BootstrapMixin, forms.Form):
    small = True
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *ClassStatus.choices])
    class_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *ClassType.choices])
    dispatch = forms.ChoiceField(
        label=_("Dispatch"), required=False, choices=[("", _("Any dispatch")), *Dispatch.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


def parse_month(raw: str | None) -> date:
    """``?month=2026-12`` → its first day; anything else → this month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


class ClassForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32, help_text=_("Letters, digits and hyphens, e.g. 2026-qn-01."))
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = UnitField(label=_("Organiser"))
    class_type = forms.ChoiceField(label=_("Type"), choices=ClassType.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    days = forms.DecimalField(label=_("Days"), min_value=0.5, max_digits=4, decimal_places=1)
    capacity = forms.IntegerField(
        label=_("Planned trainees"),
        min_value=1,
        max_value=100000,
        help_text=_("A class of 30 or more is filed at least 30 days before it starts and approved first."),
    )
    dispatch = forms.ChoiceField(label=_("Dispatch"), choices=Dispatch.choices)
    filing_note = forms.CharField(
        label=_("Trainees, content and schedule"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recorded_after = forms.BooleanField(
        label=_("Entered after the fact"), required=False, help_text=_("A past class entered to record its history.")
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The class cannot end before it starts."))
        return data


class ReturnForm(BootstrapMixin, forms.Form):
    small = True
    reason = forms.CharField(
        label=_("Reason for returning the filing"),
        max_length=500,
        error_messages={"required": _("Give the reason for returning the filing.")},
    )


class SessionForm(BootstrapMixin, forms.Form):
    small = True
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all(), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    teacher = OfficialField(label=_("Teacher (staff number)"), required=False)
    teacher_name = forms.CharField(label=_("Outside teacher"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("course") and not (data.get("topic") or "").strip() and not self.errors:
            self.add_error("topic", _("Give the course or the topic of the session."))
        return data


class QuotaForm(BootstrapMixin, forms.Form):
    small = True
    unit = UnitField(label=_("Unit"))
    seats = forms.IntegerField(
        label=_("Seats"), min_value=0, max_value=100000, help_text=_("0 takes the unit's seats away.")
    )


class TraineeForm(BootstrapMixin, forms.Form):
    small = True

    def __init__(self, *args, officials: QuerySet[Official] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"] = OfficialField(officials=officials)
        self.fields["official"].widget.attrs["class"] = "form-control form-control-sm"


class SubstituteForm(TraineeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the substitution"),
            max_length=500,
            error_messages={"required": _("A substitution needs a recorded reason.")},
            widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        )


class ResultRowForm(forms.Form):
    """One trainee's row of the results form (prefix: the enrolment's id)."""

    days_attended = forms.DecimalField(label=_("Days attended"), min_value=0, max_digits=4, decimal_places=1)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("", "—"), ("yes", _("Passed the class")), ("no", _("Not passed"))],
        coerce=lambda v: v == "yes",
        error_messages={"required": _("Choose passed or not passed.")},
    )
    absent_without_reason = forms.BooleanField(label=_("Absent without reason"), required=False)
    speeches = forms.IntegerField(label=_("Exchange speeches"), min_value=0, max_value=100, required=False)
    reflections = forms.IntegerField(label=_("Study reflections"), min_value=0, max_value=100, required=False)

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        initial = {
            "days_attended": enrolment.days_attended,
            "passed": "" if enrolment.passed is None else ("yes" if enrolment.passed else "no"),
            "absent_without_reason": enrolment.absent_without_reason,
            "speeches": enrolment.speeches or None,
            "reflections": enrolment.reflections or None,
        }
        super().__init__(*args, prefix=f"r{enrolment.pk}", initial=initial, **kwargs)
        self.enrolment = enrolment
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = f"{enrolment.official.name} {field.label}"
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs.update({"class": "form-control form-control-sm", "style": "max-width: 6rem"})
            if name == "days_attended":
                field.widget.attrs["step"] = "0.5"

    def changed(self) -> bool:
        """Whether the row says something new (blank rows of trainees without a result are left alone)."""
        return self.has_changed()


# -- plans


class UnitPlanForm(BootstrapMixin, forms.Form):
    planned_classes = forms.IntegerField(label=_("Planned classes"), min_value=0, max_value=10000)
    expected_trainees = forms.IntegerField(label=_("Expected trainees"), min_value=0, max_value=1000000)
    content = forms.CharField(
        label=_("Plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The classes planned: their subjects, who attends and when."),
    )


# -- lectures


class LectureForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    level = forms.ChoiceField(label=_("Level"), choices=LectureLevel.choices)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100000)
    speaker = forms.CharField(label=_("Speaker"), max_length=100, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class CheckinCodeForm(BootstrapMixin, forms.Form):
    checkin_code = forms.CharField(
        label=_("Check-in code"),
        max_length=8,
        error_messages={"required": _("Type the check-in code shown in the room.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "form-control-lg text-center",
                "placeholder": _("Check-in code"),
            }
        ),
    )

    def clean_checkin_code(self) -> str:
        return self.cleaned_data["checkin_code"].strip()


# -- the faculty pool


class FacultyMemberForm(BootstrapMixin, forms.Form):
    official = OfficialField()
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EndMembershipForm(BootstrapMixin, forms.Form):
    small = True
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
