"""Credit policies: pure rule engines behind one interface (``credits.rules.types.Policy``).

Nothing outside this package imports a policy module by name (ruff TID251): the rest of the portal asks
``get_policy(code)`` (or ``credits.policies.policy_of_year(year)``, which reads the year's choice) and works with
what the policy says about itself. No Django imports here or in any policy module.
"""

from __future__ import annotations

from credits.rules import baoji_2009, kunshan_2020
from credits.rules.types import (
    ActivityLine,
    Assessment,
    CategoryResult,
    CategorySpec,
    GradeBand,
    KindSpec,
    Note,
    OfficialYear,
    Policy,
    PreviousYear,
    Problem,
    Requirement,
)

POLICIES: dict[str, Policy] = {policy.code: policy for policy in (kunshan_2020.POLICY, baoji_2009.POLICY)}
DEFAULT_POLICY = kunshan_2020.CODE


def get_policy(code: str = DEFAULT_POLICY) -> Policy:
    """The policy for ``code``; ValueError when no policy has that code."""
    try:
        return POLICIES[code]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown credit policy {code!r}; known policies: {', '.join(sorted(POLICIES))}.") from None


def _union_kinds() -> dict[str, KindSpec]:
    kinds: dict[str, KindSpec] = {}
    for policy in POLICIES.values():
        for code, spec in policy.kinds.items():
            kinds.setdefault(code, spec)
    return kinds


def _union_categories() -> dict[str, CategorySpec]:
    categories: dict[str, CategorySpec] = {}
    for policy in POLICIES.values():
        for spec in policy.categories:
            categories.setdefault(spec.code, spec)
    return categories


# Every kind and category of every policy (the first policy to name one gives its words): a record may be of any
# of them whatever its year's policy, and is kept and shown as not counted when that policy does not count it.
ALL_KINDS: dict[str, KindSpec] = _union_kinds()
ALL_CATEGORIES: dict[str, CategorySpec] = _union_categories()
# Every grade of every policy, best first (excellent, good, pass, fail): tables that span years list these.
ALL_GRADES: tuple[str, ...] = tuple(
    dict.fromkeys(
        grade
        for _at, grade in sorted(
            ((band.at_least, band.grade) for policy in POLICIES.values() for band in policy.grade_bands), reverse=True
        )
    )
) + tuple(dict.fromkeys(policy.failing_grade for policy in POLICIES.values()))
# Grade, veto and flag words of every policy.
ALL_LABELS: dict[str, str] = {k: v for policy in POLICIES.values() for k, v in policy.labels.items()}


def policy_owning(kind: str) -> Policy:
    """The policy that judges a record of ``kind`` when its year's policy does not count it (the first to name it)."""
    for policy in POLICIES.values():
        if kind in policy.kinds:
            return policy
    raise ValueError(f"Unknown activity kind {kind!r}.")


__all__ = [
    "ALL_CATEGORIES",
    "ALL_GRADES",
    "ALL_KINDS",
    "ALL_LABELS",
    "DEFAULT_POLICY",
    "POLICIES",
    "ActivityLine",
    "Assessment",
    "CategoryResult",
    "CategorySpec",
    "GradeBand",
    "KindSpec",
    "Note",
    "OfficialYear",
    "Policy",
    "PreviousYear",
    "Problem",
    "Requirement",
    "get_policy",
    "policy_owning",
]
