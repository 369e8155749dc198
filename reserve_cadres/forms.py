"""Forms of the reserve pool's pages. They parse what a person typed (dates, scores, counts, a staff number); what is
allowed — a defense only after a passed exam, 5–7 examiners, 15–20 voters, who may enter what — is the services'
business (``reserve_cadres.services.reserves``), whose ``ValidationError`` goes back on the form with
``add_service_errors``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms import OfficialField, UnitField
from portal.forms.common import BootstrapMixin, DateInput

from .models import AppraisalResult, DisqualifyReason, Level, PracticeKind, ReserveStatus, Stream
from .rules import EXAMINERS

SCORE = {"min_value": Decimal(0), "max_value": Decimal(100), "max_digits": 5, "decimal_places": 2}
SCORE_ERRORS = {
    "min_value": _("A score is from 0 to 100."),
    "max_value": _("A score is from 0 to 100."),
    "max_decimal_places": _("A score has at most two decimals."),
    "max_digits": _("A score is from 0 to 100."),
    "invalid": _("Enter a score such as 85 or 85.5."),
}


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def date_from(value: str | None, default: date) -> date:
    """A ``?on=`` date from the address; anything unreadable is ``default`` (today)."""
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def year_field(**kwargs) -> forms.IntegerField:
    kwargs.setdefault("label", _("Year"))
    return forms.IntegerField(min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year, **kwargs)


class OptionalUnitField(UnitField):
    def clean(self, value):
        return super().clean(value) if value else None


class PoolFilterForm(BootstrapMixin, forms.Form):
    small = True
    stream = forms.ChoiceField(label=_("Stream"), choices=_blank(Stream.choices), required=False)
    unit = OptionalUnitField(label=_("Unit"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=_blank(Level.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(ReserveStatus.choices), required=False)
    on = forms.DateField(label=_("Flags on"), required=False, widget=DateInput)


class ReserveForm(BootstrapMixin, forms.Form):
    official = OfficialField()
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    stream = forms.ChoiceField(label=_("Stream"), choices=Stream.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    decision_document = forms.CharField(label=_("Decision document"), max_length=200, required=False)
    contact_leader = forms.CharField(label=_("Contact leader"), max_length=100, required=False)


class ExamForm(BootstrapMixin, forms.Form):
    year = year_field()
    score = forms.DecimalField(label=_("Written exam score"), error_messages=SCORE_ERRORS, **SCORE)
    held_on = forms.DateField(
        label=_("Date of the exam"),
        required=False,
        widget=DateInput,
        help_text=_("Optional; in the exam's year, not after that year's defense."),
    )


VOTE_FIELDS = ("excellent", "competent", "basically_competent", "incompetent")


class DefenseForm(BootstrapMixin, forms.Form):
    """The defense entry: up to seven examiners' scores (empty boxes are no examiner) and the four vote counts."""

    year = year_field()
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput)
    excellent = forms.IntegerField(label=_("Excellent votes"), min_value=0, max_value=20)
    competent = forms.IntegerField(label=_("Competent votes"), min_value=0, max_value=20)
    basically_competent = forms.IntegerField(label=_("Basically competent votes"), min_value=0, max_value=20)
    incompetent = forms.IntegerField(label=_("Incompetent votes"), min_value=0, max_value=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, EXAMINERS[1] + 1):
            field = forms.DecimalField(
                label=_("Examiner %(n)s") % {"n": n}, required=False, error_messages=SCORE_ERRORS, **SCORE
            )
            field.widget.attrs.update({"class": "form-control", "inputmode": "decimal", "step": "0.01"})
            self.fields[f"examiner_{n}"] = field

    @property
    def examiner_fields(self) -> list:
        return [self[f"examiner_{n}"] for n in range(1, EXAMINERS[1] + 1)]

    @property
    def vote_fields(self) -> list:
        return [self[name] for name in VOTE_FIELDS]

    def panel(self) -> list[Decimal]:
        """The examiners' scores in the order typed, empty boxes left out (the service checks there are 5–7)."""
        return [
            self.cleaned_data[f"examiner_{n}"]
            for n in range(1, EXAMINERS[1] + 1)
            if self.cleaned_data.get(f"examiner_{n}") is not None
        ]

    def votes(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in VOTE_FIELDS}


class PracticeForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices)
    place = forms.CharField(label=_("Where"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end is before the start."))
        return data


class TalkForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("Date of the talk"), widget=DateInput)
    leader = forms.CharField(
        label=_("Contact leader"), max_length=100, required=False, help_text=_("Empty: the reserve's contact leader.")
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReflectionForm(BootstrapMixin, forms.Form):
    period = forms.RegexField(
        label=_("Half year"),
        regex=r"^\d{4}H[12]$",
        help_text=_("Such as 2026H1 (January–June) or 2026H2 (July–December)."),
        error_messages={"invalid": _("Write the half year as 2026H1 or 2026H2.")},
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    upload = forms.FileField(
        label=_("Article (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class AssessmentForm(BootstrapMixin, forms.Form):
    year = year_field()
    result = forms.ChoiceField(label=_("Annual appraisal"), choices=AppraisalResult.choices)
    comment = forms.CharField(
        label=_("Assessment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrainingForm(BootstrapMixin, forms.Form):
    year = year_field()
    training_class = forms.ModelChoiceField(
        label=_("Growth class"), queryset=None, required=False, empty_label="—", to_field_name="code"
    )
    title = forms.CharField(label=_("Or a training's title"), max_length=200, required=False)
    days = forms.DecimalField(label=_("Days"), min_value=Decimal("0.5"), max_digits=4, decimal_places=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from courses.models import TrainingClass

        self.fields["training_class"].queryset = TrainingClass.objects.filter(class_type="growth").order_by(
            "-starts_on", "code"
        )

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("training_class") is None and not data.get("title"):
            raise ValidationError(_("Choose the stream's growth class or write the training's title."))
        return data


class DisqualifyForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=_blank(DisqualifyReason.choices),
        error_messages={"required": _("Choose the reason for disqualification.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a note saying why.")},
    )
    on = forms.DateField(label=_("Left the pool on"), required=False, widget=DateInput)


class AppointForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("Appointed on"), required=False, widget=DateInput)
