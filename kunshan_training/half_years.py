"""Half years: the one place that says how a half year is written ("2026H1"), read and bounded.

Surveys are summarised per half year (RULES §5: 每半年), reserve cadres write a reflection article per half year
(RULES §6); both read and write the period through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^([0-9]{4})H([12])$")


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1: January–June (上半年), 2: July–December (下半年)

    @classmethod
    def of(cls, day: date) -> HalfYear:
        """The half year ``day`` falls in."""
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: object) -> HalfYear:
        """ "2026H1" → HalfYear(2026, 1); anything else is a ValidationError in plain words."""
        match = _PATTERN.match(str(text or "").strip().upper())
        if not match:
            raise ValidationError(_("A half year is written like 2026H1 or 2026H2."), code="invalid_half_year")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}H{self.half}"

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1) if self.half == 1 else date(self.year, 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def label(self) -> str:
        """As the reader reads it: 2026年上半年."""
        if self.half == 1:
            return _("the first half of %(year)s") % {"year": self.year}
        return _("the second half of %(year)s") % {"year": self.year}


def half_years_between(first: date, last: date) -> list[HalfYear]:
    """Every half year from the one ``first`` is in to the one ``last`` is in (empty when last < first)."""
    if last < first:
        return []
    out, current, end = [], HalfYear.of(first), HalfYear.of(last)
    while current <= end:
        out.append(current)
        current = current.next()
    return out
