"""Forms of the survey and follow-up pages. They parse what a person typed (dates, numbers, options one per line);
what is allowed — who may answer, when a survey is open, a questionnaire's checks, a sample's size — is the
services' business (``courses.services.surveys``, ``.evaluations``, ``.followup``), and their ``ValidationError``
is put back on the form with ``portal.forms.common.add_service_errors``.

The answer form of a survey is not a Django form: its fields are the questionnaire's questions (``survey_form``),
drawn by hand as big tappable cards, and what is posted is read by ``posted_answers`` into the mapping
``answer_survey`` checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import Rank, Unit
from portal.forms.common import BootstrapMixin, DateInput

from .models import (
    FollowUpMethod,
    FollowUpOutcome,
    NeedLevel,
    QuestionKind,
    Questionnaire,
    QuestionnairePurpose,
    QuestionTopic,
)
from .survey_rules import MAX_QUESTIONS, MULTIPLE, SCALE_MAX, SCALE_MIN

SCALE_CHOICES = [(str(v), str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)]


# -- surveys


class UnitsField(forms.ModelMultipleChoiceField):
    """Units asked, chosen by code; none chosen: every unit."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Unit.objects.order_by("code"),
            to_field_name="code",
            required=False,
            label=_("Units asked"),
            help_text=_("None chosen: every unit."),
            error_messages={"invalid_choice": _("Choose units of the list."), "invalid_pk_value": _("Choose units.")},
            **kwargs,
        )
        self.widget.attrs["size"] = 6

    def label_from_instance(self, unit: Unit) -> str:
        return f"{unit.name} ({unit.code})"


class SurveyTargetsMixin(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    units = UnitsField()
    ranks = forms.MultipleChoiceField(
        label=_("Ranks asked"),
        choices=Rank.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None chosen: every rank."),
        error_messages={"invalid_choice": _("Choose ranks of the list.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("A survey cannot close before it opens."))
        return data


class SurveyForm(BootstrapMixin, SurveyTargetsMixin):
    """A new survey of a questionnaire (a class evaluation is opened by closing its class, never here)."""

    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens, e.g. 2026-needs."),
        error_messages={"invalid": _("Use letters, digits and hyphens only.")},
    )  # fmt: skip
    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.exclude(purpose=QuestionnairePurpose.CLASS_EVALUATION),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a questionnaire of the list.")},
    )
    field_order = ["code", "title", "questionnaire", "opens_on", "closes_on", "units", "ranks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today.replace(day=28))


class SurveyEditForm(BootstrapMixin, SurveyTargetsMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "opens_on", "closes_on", "units", "ranks"]


class ResultsFilterForm(BootstrapMixin, forms.Form):
    """The results page's choice of half year and breakdown; the choices are the survey's half years."""

    small = True
    period = forms.ChoiceField(label=_("Half year"), required=False)
    by = forms.ChoiceField(
        label=_("Broken down by"),
        required=False,
        choices=[("", _("No breakdown")), ("rank", _("By rank")), ("unit_kind", _("By kind of unit"))],
        error_messages={"invalid_choice": _("Break down by rank or by kind of unit.")},
    )

    def __init__(self, *args, periods: Iterable[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("All half years")), *periods]
        self.fields["period"].error_messages["invalid_choice"] = _("Choose a half year in which it was answered.")


# -- questionnaires


class QuestionnaireForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=32, error_messages={"invalid": _("Use letters, digits and hyphens only.")}
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[(v, label) for v, label in QuestionnairePurpose.choices if v != QuestionnairePurpose.CLASS_EVALUATION],
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(BootstrapMixin, forms.Form):
    """One question of a new questionnaire: a row left empty is skipped."""

    small = True
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a choice question."),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *QuestionTopic.choices], required=False)
    need = forms.ChoiceField(label=_("Level of need"), choices=[("", "—"), *NeedLevel.choices], required=False)

    def as_question(self) -> dict | None:
        """The question as the service takes it, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("text", "").strip() and not data.get("options", "").strip():
            return None
        return {
            "kind": data["kind"],
            "text": data["text"].strip(),
            "choices": [line.strip() for line in data["options"].splitlines() if line.strip()],
            "required": data["required"],
            "topic": data["topic"],
            "need": data["need"],
            "per_session": False,
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0, max_num=MAX_QUESTIONS, absolute_max=MAX_QUESTIONS)
NEW_QUESTION_ROWS = 6


class CopyQuestionnaireForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code of the copy"),
        max_length=32,
        error_messages={"invalid": _("Use letters, digits and hyphens only.")},
    )
    title = forms.CharField(label=_("Title of the copy"), max_length=200)


def posted_answers(post: QueryDict, keys: Iterable[tuple[str, str]]) -> dict[str, object]:
    """What the answer form sent, as ``answer_survey`` reads it: ``keys`` are (key, kind) of the form's fields; a
    multiple choice is a list of option indexes, anything else one string. Keys left blank are left out (the
    service says which required ones are missing)."""
    answers: dict[str, object] = {}
    for key, kind in keys:
        if kind == MULTIPLE:
            values = [v for v in post.getlist(key) if v != ""]
            if values:
                answers[key] = values
        else:
            value = post.get(key, "")
            if value.strip():
                answers[key] = value
    return answers


# -- the trainee's follow-up


class SelfEvaluationForm(BootstrapMixin, forms.Form):
    knowledge = forms.CharField(
        label=_("What I learnt"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what you learnt.")},
    )  # fmt: skip
    inspiration = forms.CharField(
        label=_("What the class inspired"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ideas = forms.CharField(
        label=_("New ideas for my work"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    before = forms.TypedChoiceField(
        label=_("My grasp of the subject before the class (1–5)"), choices=SCALE_CHOICES, coerce=int,
        widget=forms.RadioSelect, error_messages={"required": _("Choose a value from 1 to 5.")},
    )  # fmt: skip
    after = forms.TypedChoiceField(
        label=_("My grasp of the subject after the class (1–5)"), choices=SCALE_CHOICES, coerce=int,
        widget=forms.RadioSelect, error_messages={"required": _("Choose a value from 1 to 5.")},
    )  # fmt: skip


class StudySummaryForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Give the title.")})
    text = forms.CharField(
        label=_("Summary"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write it here or upload it below."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("File (PDF or image)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Write the summary or upload it as a file."))
        return data


# -- the organiser's follow-up


class ForumForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.IntegerField(label=_("Trainees attending"), min_value=0, max_value=100000)
    summary = forms.CharField(label=_("What was said"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpSettingsForm(BootstrapMixin, forms.Form):
    key_class = forms.BooleanField(label=_("Pilot or key class"), required=False)
    years = forms.TypedChoiceField(
        label=_("Years of follow-up"), choices=[("1", "1"), ("2", "2"), ("3", "3")], coerce=int,
        help_text=_("More than one only for a pilot or key class."),
    )  # fmt: skip


class SampleForm(BootstrapMixin, forms.Form):
    round = forms.TypedChoiceField(label=_("Year of follow-up"), choices=[("1", "1")], coerce=int)
    size = forms.IntegerField(
        label=_("Sample size"), required=False, min_value=1, max_value=100000,
        help_text=_("Blank: the default (a fifth of the trainees, 5 to 30)."),
    )  # fmt: skip
    seed = forms.IntegerField(
        label=_("Seed"), required=False, min_value=0, max_value=2**31 - 1,
        help_text=_("Blank: a random seed. The same seed draws the same trainees again."),
    )  # fmt: skip

    def __init__(self, *args, rounds: Iterable[int] = (1,), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(str(n), str(n)) for n in rounds]
        self.fields["round"].error_messages["invalid_choice"] = _("Choose a year of follow-up of this class.")


class ReviewForm(BootstrapMixin, forms.Form):
    small = True
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=FollowUpMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices)
    finding = forms.CharField(label=_("Finding"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


ITEM_STATES = [("due", _("Due soon")), ("overdue", _("Overdue")), ("", _("Due and overdue"))]


class FollowUpFilterForm(BootstrapMixin, forms.Form):
    small = True
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=ITEM_STATES,
        error_messages={"invalid_choice": _("Choose due or overdue.")},
    )  # fmt: skip


class FeedbackFilterForm(BootstrapMixin, forms.Form):
    small = True
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: Iterable[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((str(y), str(y)) for y in years)]
        self.fields["year"].error_messages["invalid_choice"] = _("Choose a year of the list.")
