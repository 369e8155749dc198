"""Years: the one place that says which years the portal accepts and how a year is read from input.

Every view, filter, form, serializer and command reads a year through :func:`parse_year` (or the fields built on
it), so a bad value is a plain-words error (400 in the API, a form error on a page), never a 500.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Records before this year are not asked for: such a year is bad input, not history.
FIRST_YEAR = 2000
# How far ahead of this year a year may be named (planning next year's policy, publishing is still refused).
YEARS_AHEAD = 1


def last_year(*, today: date | None = None) -> int:
    """The latest year the portal accepts: this year plus :data:`YEARS_AHEAD`."""
    return (today or timezone.localdate()).year + YEARS_AHEAD


def is_valid_year(year: int, *, today: date | None = None) -> bool:
    return FIRST_YEAR <= year <= last_year(today=today)


def year_error(*, today: date | None = None) -> str:
    return _("The year must be a whole number between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": last_year(today=today),
    }


def parse_year(value: object, *, today: date | None = None) -> int:
    """A year from a query parameter, form value or path: four digits in range, or ValidationError."""
    text = str(value).strip() if value is not None else ""
    # Full-width digits (２０２５) are what a Chinese input method may type.
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ValidationError(year_error(today=today), code="invalid_year")
    year = int(text)
    if not is_valid_year(year, today=today):
        raise ValidationError(year_error(today=today), code="invalid_year")
    return year


def year_bounds(year: int) -> tuple[date, date]:
    """The first and the last day of the year."""
    return date(year, 1, 1), date(year, 12, 31)
