"""Forms of the scorecards' pages. They parse what a person typed into the engine's value JSON (RULES §4: deduction
``{"shortfalls": n}``, criteria ``{"met": [...]}``, ladder ``{"percent": p}``, choice ``{"choice": code}``, manual
``{"points": x}``, bonus ``{"awarded": bool}``); whether the value fits the item (a percentage over 100, points over
the maximum or not in half points, an unknown code) is the services' business, and their ``ValidationError`` is put
back on the form with ``add_service_errors``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.common import add_service_errors  # noqa: F401 - the views import it from here
from portal.views.staff_common import styled

from .engine import Item
from .models import ScorecardTemplate, TeamAppraisal

# The field of each method's value, as the value JSON names it.
VALUE_FIELD = {
    "deduction": "shortfalls",
    "criteria": "met",
    "ladder": "percent",
    "choice": "choice",
    "manual": "points",
    "bonus": "awarded",
}


def _number(value: Decimal) -> str:
    """4.0 → "4", 2.5 → "2.5" (the pages write points without a trailing .0)."""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


class ItemValueForm(forms.Form):
    """The value of one item in its method's input, and the note (self-check) or the comment (review).

    ``role`` is "self" (the unit's self-check: note) or "final" (the training section's value: comment). The fields
    are named by the value JSON's keys and prefixed by the item's code, so every item's form on a page is distinct.
    """

    def __init__(self, *args, item: Item, role: str = "final", initial_value: dict | None = None,
                 text: str = "", **kwargs):  # fmt: skip
        self.item = item
        self.role = role
        kwargs.setdefault("prefix", f"{role}-{item.code}")
        initial = dict(kwargs.pop("initial", None) or {})
        initial.update(self._initial(initial_value or {}))
        initial["text"] = text
        super().__init__(*args, initial=initial, **kwargs)
        field = self._value_field(item)
        if field is not None:
            self.fields[VALUE_FIELD[item.method]] = field
        self.fields["text"] = forms.CharField(
            label=_("Note") if role == "self" else _("Comment"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        styled(self, small=True)
        for name in ("met", "choice"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"

    @property
    def has_value_field(self) -> bool:
        return VALUE_FIELD[self.item.method] in self.fields

    @staticmethod
    def _value_field(item: Item) -> forms.Field | None:
        method = item.method
        if method == "deduction":
            if not item.entered:
                return None  # every shortfall comes from the data (O9)
            return forms.IntegerField(
                label=_("Shortfalls"),
                min_value=0,
                help_text=_("Each shortfall takes %(per)s points off (never below 0).") % {"per": _number(item.per)}
                if item.per is not None
                else "",
                error_messages={
                    "required": _("Enter the number of shortfalls (0 if none)."),
                    "invalid": _("The number of shortfalls is a whole number, 0 or more."),
                    "min_value": _("The number of shortfalls is a whole number, 0 or more."),
                },
            )
        if method == "criteria":
            return forms.MultipleChoiceField(
                label=_("Criteria met"),
                required=False,
                choices=[(c.code, f"{c.title or c.code}（{_number(c.points)}）") for c in item.criteria],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Choose among the item's criteria.")},
            )
        if method == "ladder":
            return forms.DecimalField(
                label=_("Percentage reached"),
                min_value=0,
                max_value=100,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
                error_messages={
                    "required": _("Enter the percentage (0 to 100)."),
                    "invalid": _("The percentage is a number from 0 to 100."),
                    "min_value": _("The percentage is a number from 0 to 100."),
                    "max_value": _("The percentage is a number from 0 to 100."),
                    "max_decimal_places": _("The percentage has at most one decimal place."),
                },
            )
        if method == "choice":
            return forms.ChoiceField(
                label=_("Option"),
                choices=[(o.code, f"{o.title or o.code}（{_number(o.points)}）") for o in item.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose one of the options."),
                    "invalid_choice": _("Choose one of the options."),
                },
            )
        if method == "manual":
            return forms.DecimalField(
                label=_("Points"),
                min_value=0,
                max_value=item.max,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": _number(item.max)}),
                error_messages={
                    "required": _("Enter the points (0 to %(max)s).") % {"max": _number(item.max)},
                    "invalid": _("The points are a number from 0 to %(max)s, in half points.")
                    % {"max": _number(item.max)},
                    "min_value": _("The points are a number from 0 to %(max)s, in half points.")
                    % {"max": _number(item.max)},
                    "max_value": _("The points are a number from 0 to %(max)s, in half points.")
                    % {"max": _number(item.max)},
                    "max_decimal_places": _("The points are a number from 0 to %(max)s, in half points.")
                    % {"max": _number(item.max)},
                },
            )
        if method == "bonus":
            return forms.BooleanField(label=_("Awarded"), required=False)
        return None

    def _initial(self, value: dict) -> dict:
        name = VALUE_FIELD.get(self.item.method)
        if name is None or name not in value or value[name] is None:
            return {}
        raw = value[name]
        if name == "met":
            return {name: list(raw)}
        if name in ("percent", "points"):
            return {name: _number(Decimal(str(raw)))}
        return {name: raw}

    def value(self) -> dict:
        """The cleaned value as the value JSON (numbers as JSON numbers or strings the engine reads)."""
        name = VALUE_FIELD[self.item.method]
        if name not in self.cleaned_data:
            return {}
        raw = self.cleaned_data[name]
        if name in ("percent", "points"):
            # A JSON number, as the API takes it (one decimal place at most: exact enough for Decimal(str(x))).
            raw = int(raw) if raw == raw.to_integral_value() else float(raw)
        elif name == "met":
            raw = list(raw)
        return {name: raw}

    @property
    def text(self) -> str:
        return self.cleaned_data.get("text", "")


class ReasonForm(forms.Form):
    """Returning a card to the unit, or reopening a final one: the reason goes to the unit and into the audit."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason (the unit reads it).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self, small=True)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file (PDF, JPEG or PNG)"),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self, small=True)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class AppraisalForm(forms.Form):
    appraisal = forms.ChoiceField(
        label=_("Team's annual appraisal"),
        choices=[("", "—"), *TeamAppraisal.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the appraisals.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self, small=True)


class CreateCardsForm(forms.Form):
    """The year's cards of a template for every unit without one."""

    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=ScorecardTemplate.objects.filter(active=True),
        to_field_name="code",
        error_messages={"required": _("Choose a template."), "invalid_choice": _("Choose a template.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Give the year."), "invalid": _("Give the year.")},
    )


class SubmitForm(forms.Form):
    """Which report the unit hands in (the template's due dates: half year, full year)."""

    period = forms.ChoiceField(
        label=_("Report"),
        error_messages={"required": _("Choose the report."), "invalid_choice": _("Choose the report.")},
    )

    def __init__(self, *args, periods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        styled(self, small=True)


def year_from(raw: str | None, default: int) -> int:
    """``?year=`` as a year, else ``default`` (a bad value is not an error on a page of figures)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default
