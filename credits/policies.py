"""The policy of a year, and the policies' words in the reader's language.

The one entry point the portal uses to reach a credit policy: ``policy_of_year(year)`` (or ``get_policy(code)`` for
a stored result's own policy). Nothing outside ``credits/rules/`` names a policy module (ruff TID251); pages,
reports, imports and notifications ask the policy what its categories, kinds, grades and words are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import ExemptionReason, VetoReason, YearPolicy, choice_label
from .rules import (
    ALL_CATEGORIES,
    ALL_GRADES,
    ALL_KINDS,
    ALL_LABELS,
    DEFAULT_POLICY,
    POLICIES,
    Policy,
    Problem,
    get_policy,
)
from .rules.inputs import official_year

log = logging.getLogger(__name__)

TENTH = Decimal("0.1")


def policy_code_of_year(year: int) -> str:
    """The code of the policy that assesses ``year`` (the default when the year has no choice on record)."""
    return YearPolicy.objects.filter(year=year).values_list("policy", flat=True).first() or DEFAULT_POLICY


def policy_of_year(year: int) -> Policy:
    """The policy that assesses ``year``."""
    return get_policy(policy_code_of_year(year))


def policies_of_years(years: Iterable[int]) -> dict[int, Policy]:
    """The policy of each year, in one query."""
    years = set(years)
    chosen = dict(YearPolicy.objects.filter(year__in=years).values_list("year", "policy"))
    return {year: get_policy(chosen.get(year, DEFAULT_POLICY)) for year in years}


def policy_choices() -> list[tuple[str, str]]:
    """(code, name) of every policy, for forms and the API."""
    return [(code, _(policy.name)) for code, policy in POLICIES.items()]


# ---------------------------------------------------------------------------------------------------
# Words (translated when asked for, in the active language)


def policy_label(code: str | None) -> str:
    policy = POLICIES.get(code or "")
    return _(policy.name) if policy else (code or "")


def label(code: str | None) -> str:
    """A grade, veto or flag of any policy, or a recorded veto, in words (the code itself when nothing names it)."""
    text = ALL_LABELS.get(code or "")
    if text:
        return _(text)
    if code in VetoReason.values:
        return choice_label(VetoReason, code)
    return code or ""


def exemption_label(code: str | None) -> str:
    return choice_label(ExemptionReason, code) if code else ""


class Words(Mapping):
    """Codes to words in the active language, read when used (a page in Chinese, a workbook in English)."""

    def __init__(self, codes: Iterable[str], word: Callable[[str], str]):
        self._codes = tuple(dict.fromkeys(codes))
        self._word = word

    def __getitem__(self, code: str) -> str:
        if code not in self._codes:
            raise KeyError(code)
        return self._word(code)

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


GRADE_LABELS = Words(ALL_GRADES, label)
VETO_LABELS = Words([c for c in ALL_LABELS if c not in ALL_GRADES] + list(VetoReason.values), label)
FLAG_LABELS = Words([c for c in ALL_LABELS if c not in ALL_GRADES], label)


TOTAL_CODE = "total"  # a line on the year's total rather than one category (credits.standing.TOTAL)


def category_label(code: str | None) -> str:
    if code == TOTAL_CODE:
        return _("Credits of the year")
    spec = ALL_CATEGORIES.get(code or "")
    return _(spec.label) if spec else (code or "")


def kind_label(code: str | None) -> str:
    spec = ALL_KINDS.get(code or "")
    return _(spec.label) if spec else (code or "")


def kind_unit(code: str | None) -> str:
    """What one unit of a kind's quantity is ("class day")."""
    spec = ALL_KINDS.get(code or "")
    return _(spec.unit) if spec else ""


QUANTITY_UNITS = Words(ALL_KINDS, kind_unit)


def _shown(value: object) -> object:
    if isinstance(value, Decimal):
        value = value.quantize(TENTH)
        return value.to_integral_value() if value == value.to_integral_value() else value
    return value


def fill(message: str, params: Mapping[str, object]) -> str:
    """A policy's English sentence translated, its params filled: ``kind``/``category``/``unit`` codes as words."""
    words = {}
    for key, value in params.items():
        if key == "kind":
            value = kind_label(value)
        elif key == "category":
            value = category_label(value)
        elif key == "unit":
            value = _(value)
        words[key] = _shown(value)
    text = _(message)
    return text % words if words else text


def kind_rule_text(kind: str, policy: Policy | None = None) -> str:
    """How a kind scores under ``policy`` (or the policy that names it), in words."""
    spec = ALL_KINDS[kind] if policy is None or kind not in policy.kinds else policy.kinds[kind]
    # Chinese sentences run on without a space.
    sentences = [fill(part, spec.rule_params) for part in spec.rule.split("\n")]
    return " ".join(sentences).replace("。 ", "。")


def explanation_of(*, policy: str, year: int, inputs: str, legacy: Mapping | None = None) -> dict:
    """A stored score's explanation: its policy's account of its stored inputs (``credits.rules.inputs``), or the
    explanation stored with a score computed before scores kept their inputs. Empty when neither can be read (a
    page shows no reasons rather than failing)."""
    if not inputs:
        return dict(legacy or {})
    try:
        return get_policy(policy).assess(official_year(inputs, year=year)).explanation
    except ValueError:
        log.exception("The stored inputs of a %s score of %s could not be explained.", policy, year)
        return {}


def explanation_notes(explanation: Mapping | None) -> list[str]:
    """Why a stored result is what it is, in sentences of the result's own policy."""
    if not explanation:
        return []
    policy = POLICIES.get(explanation.get("p") or "")
    if policy is None:
        return []
    return [fill(note.message, note.params) for note in policy.explain(explanation)]


def problem_errors(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """A policy's problems with a record as form/serializer errors by field, in words."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(fill(problem.message, problem.params))
    return errors
