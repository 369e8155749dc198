"""The official's declaration form (申报). It parses input; ``credits.services.create_record`` decides what is allowed
and checks the evidence file by its content.

Besides the kind, quantity and date it takes the record's study hours (RULES §3; blank: the kind's default hours
per unit, ``credits.rules.hours.DEFAULT_HOURS``) and, only when this year's policy has a kind whose record needs
them (``KindSpec.points == "required"``: Baoji's online course and its credits), the record's points. Points of a kind
that does not need them are dropped: the training section sets the others (discretionary points, a class scored
below standard), never the declarer.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.models import Kind
from credits.policies import category_label, kind_label, kind_rule_text, kind_unit, policy_of_year
from credits.rules import Policy
from credits.rules.hours import DEFAULT_HOURS
from credits.services import MAX_HOURS

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def declarable_kinds(policy: Policy) -> tuple[str, ...]:
    """What an official may declare under ``policy`` (Kunshan RULES §1.8: off-job training and self-study); points
    set case by case (discretionary) are the training section's, so never offered here."""
    return tuple(
        kind
        for kind, spec in policy.kinds.items()
        if spec.category is not None and spec.category in policy.declarable_by_official
    )


def this_years_policy() -> Policy:
    """Declarations are mostly of this year: the form offers the kinds of this year's policy (the service checks
    each record against its own year's)."""
    return policy_of_year(timezone.localdate().year)


def kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The declarable kinds grouped by category (an <optgroup> each)."""
    return [(group["label"], [(hint["kind"], hint["label"]) for hint in group["kinds"]]) for group in kind_groups()]


POINTS_REQUIRED = "required"  # KindSpec.points of a kind whose record carries its own points (an online course)


def points_kinds(policy: Policy) -> tuple[str, ...]:
    """The declarable kinds whose record needs its points (the course's credits) under ``policy``."""
    return tuple(kind for kind in declarable_kinds(policy) if policy.kinds[kind].points == POINTS_REQUIRED)


def default_hours_text(kind: str) -> str:
    """What the study hours of a record of ``kind`` are when none are entered (RULES §3), in words."""
    per_unit = DEFAULT_HOURS.get(kind)
    if per_unit is None:
        return _("Study hours: enter them (left blank, the record counts 0 hours).")
    return _("Study hours: %(hours)s per %(unit)s unless you enter them.") % {
        "hours": format(per_unit.normalize(), "f"),
        "unit": kind_unit(kind),
    }


def kind_groups(policy: Policy | None = None) -> list[dict]:
    """Per category, per declarable kind: its label, what the quantity counts, how it scores, its default study
    hours and whether its record needs points (shown beside the form and in the kind's hint)."""
    policy = policy or this_years_policy()
    groups: dict[str, list[dict]] = {}
    for kind in declarable_kinds(policy):
        rule, hours = kind_rule_text(kind, policy), default_hours_text(kind)
        groups.setdefault(policy.kinds[kind].category, []).append(
            {
                "kind": kind,
                "label": kind_label(kind),
                "unit": kind_unit(kind),
                "rule": rule,
                "hours": hours,
                "rule_and_hours": f"{rule} {hours}".replace("。 ", "。"),  # Chinese sentences run on without a space
                "default_hours": kind in DEFAULT_HOURS,
                "points": policy.kinds[kind].points == POINTS_REQUIRED,
            }
        )
    caps = {spec.code: spec.cap for spec in policy.categories}
    return [
        {"code": code, "label": category_label(code), "cap": caps.get(code), "kinds": hints}
        for code, hints in groups.items()
    ]


def _first_declarable() -> str:
    return declarable_kinds(this_years_policy())[0]


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you attended or did"), choices=kind_choices, initial=_first_declarable)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0.1"),
        help_text=_("Days, times or months, depending on the kind (see the scoring rules)."),
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "inputmode": "decimal"}),
    )
    occurred_on = forms.DateField(
        label=_("Date"),
        help_text=_("The day it happened (for a class, its last day)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    points = forms.DecimalField(
        label=_("Credits"),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )
    hours = forms.DecimalField(
        label=_("Study hours"),
        required=False,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        help_text=_("Leave blank to count the kind's default hours (shown under the kind)."),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )
    class_passed = forms.BooleanField(
        label=_("I passed the class assessment"),
        required=False,
        initial=True,
        help_text=_("Training class days count only when the class result is passed."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("The class, course, paper title or organiser, so the reviewer can find it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("A certificate, notice or the paper itself: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        error_messages={"required": _("Attach the evidence (PDF, JPEG or PNG).")},
    )

    confirm_duplicate = forms.BooleanField(
        label=_("It is a different activity: declare it anyway"),
        required=False,
    )

    def __init__(self, *args, keeps_evidence: bool = False, policy: Policy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy or this_years_policy()
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.points_kinds = points_kinds(self.policy)
        if self.points_kinds:  # only a policy with such a kind asks for points (Baoji: an online course's credits)
            self.fields["points"].help_text = _("Only for %(kinds)s: the credits it gives.") % {
                "kinds": "、".join(kind_label(kind) for kind in self.points_kinds)
            }
        else:
            del self.fields["points"]
        self.keeps_evidence = keeps_evidence
        if keeps_evidence:  # re-declaring a returned record: its evidence is kept unless a new file is chosen
            self.fields["evidence"].required = False
            self.fields["evidence"].help_text = _(
                "Leave empty to keep the evidence of the returned record, or choose a new PDF, JPEG or PNG file "
                "(at most 10 MB)."
            )

    def clean(self):
        cleaned = super().clean()
        # The class result matters for class days only; any other kind always counts as passed.
        if cleaned.get("kind") != Kind.CLASS_DAY:
            cleaned["class_passed"] = True
        # Points only for a kind whose record needs them; the service says when they are missing or out of range.
        if cleaned.get("kind") not in self.points_kinds:
            cleaned["points"] = None
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError on the field it names (when the form has it), else above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)
