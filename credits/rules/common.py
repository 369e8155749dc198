"""Small pieces more than one policy uses. Pure, like the policies.

Five-year cycles (RULES §2.3, also the study-hours cycles of §3): five calendar years aligned on
``CYCLE_FIRST_YEAR``, so 2008-2012, 2013-2017, 2018-2022, 2023-2027, ... Years before 2008 fall in cycles
aligned the same way (2003-2007), so every year has exactly one cycle.
"""

from __future__ import annotations

from decimal import Decimal

from credits.rules.types import Note, gettext_noop

_ZERO = Decimal(0)

CYCLE_FIRST_YEAR = 2008  # the first year of the first cycle (宝鸡市2008—2012年大规模培训干部)
CYCLE_YEARS = 5  # years in a cycle (五年为一个周期)


def cycle_of(year: int) -> tuple[int, int]:
    """The first and last year of the five-year cycle holding ``year``; ValueError when ``year`` is not an int."""
    if type(year) is not int:
        raise ValueError(f"A year must be a whole number, got {year!r}.")
    first = CYCLE_FIRST_YEAR + (year - CYCLE_FIRST_YEAR) // CYCLE_YEARS * CYCLE_YEARS
    return first, first + CYCLE_YEARS - 1


def not_counted_notes(explanation) -> list[Note]:
    """Records of kinds the year's policy does not count (RULES §2.1: kept, shown, scoring 0)."""
    return [
        Note(
            gettext_noop("%(kind)s: %(count)s records are kept but not counted under this year's policy."),
            {"kind": kind, "count": line.get("n")},
        )
        for kind, line in ((explanation or {}).get("nc") or {}).items()
    ]


def decimal_text(d: Decimal) -> str:
    """A Decimal as the explanations write it ("12.5"), never in exponent form."""
    t = str(d)
    return format(d, "f") if "E" in t else t


def check_amount(value, subject: str) -> Decimal:
    """A quantity, points or hours given to a policy: a finite Decimal of zero or more (an int is accepted), else
    ValueError naming ``subject`` ("quantity of a 'class_day' line")."""
    if type(value) is not Decimal:
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        else:
            raise ValueError(f"The {subject} must be a Decimal, not {type(value).__name__}.")
    if not value.is_finite() or value < _ZERO:
        raise ValueError(f"The {subject} must be zero or more, got {value}.")
    return value
