"""The official's declaration form (申报). It parses input; ``credits.services.create_record`` decides what is allowed
and checks the evidence file by its content."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.models import Kind
from credits.policies import category_label, kind_label, kind_rule_text, kind_unit, policy_of_year
from credits.rules import Policy

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


def kind_groups(policy: Policy | None = None) -> list[dict]:
    """Per category, per declarable kind: its label, what the quantity counts and how it scores (shown beside
    the form and in the kind's hint)."""
    policy = policy or this_years_policy()
    groups: dict[str, list[dict]] = {}
    for kind in declarable_kinds(policy):
        groups.setdefault(policy.kinds[kind].category, []).append(
            {"kind": kind, "label": kind_label(kind), "unit": kind_unit(kind), "rule": kind_rule_text(kind, policy)}
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

    def __init__(self, *args, keeps_evidence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
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
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError on the field it names (when the form has it), else above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)
