"""Credit policies: pure rule engines, one module per policy code.

Each policy module exposes ``CODE``, ``CATEGORIES``, ``KINDS``, ``PER_RECORD_KINDS``, ``category_of(kind)`` and
``assess(OfficialYear) -> Assessment``. No Django imports here or in any policy module.
"""

from __future__ import annotations

from types import ModuleType

from credits.rules import kunshan_2020
from credits.rules.types import ActivityLine, Assessment, CategoryResult, OfficialYear

POLICIES: dict[str, ModuleType] = {
    kunshan_2020.CODE: kunshan_2020,
}
DEFAULT_POLICY = kunshan_2020.CODE


def get_policy(code: str = DEFAULT_POLICY) -> ModuleType:
    """The policy module for ``code``; ValueError when no policy has that code."""
    try:
        return POLICIES[code]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown credit policy {code!r}; known policies: {', '.join(sorted(POLICIES))}.") from None


__all__ = [
    "DEFAULT_POLICY",
    "POLICIES",
    "ActivityLine",
    "Assessment",
    "CategoryResult",
    "OfficialYear",
    "get_policy",
]
