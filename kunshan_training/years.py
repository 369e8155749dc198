"""Years: the one place that says which years the portal accepts and how a year is read from input.

Every view, filter, form, serializer and command reads a year through :func:`parse_year` (or the fields built on
it), so a bad value is a plain-words error (400 in the API, a form error on a page), never a 500.
"""

from __future__ import annotations

import argparse
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import register_converter
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

# Records before this year are not asked for: such a year is bad input, not history.
FIRST_YEAR = 2000
# How far ahead of this year a year may be named (planning next year's policy, publishing is still refused).
YEARS_AHEAD = 1


def last_year(*, today: date | None = None) -> int:
    """The latest year the portal accepts: this year plus :data:`YEARS_AHEAD`."""
    return (today or timezone.localdate()).year + YEARS_AHEAD


def is_valid_year(year: int, *, today: date | None = None) -> bool:
    return FIRST_YEAR <= year <= last_year(today=today)


def year_error(*, today: date | None = None, latest: int | None = None) -> str:
    return _("The year must be a whole number between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": latest or last_year(today=today),
    }


def parse_year(value: object, *, today: date | None = None, latest: int | None = None) -> int:
    """A year from a query parameter, form value or path: four digits in range, or ValidationError.

    ``latest`` narrows the range for pages that show only years that have begun (e.g. ``today.year``).
    """
    latest = min(latest, last_year(today=today)) if latest is not None else None
    text = str(value).strip() if value is not None else ""
    # Full-width digits (２０２５) are what a Chinese input method may type.
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ValidationError(year_error(today=today, latest=latest), code="invalid_year")
    year = int(text)
    if not is_valid_year(year, today=today) or (latest is not None and year > latest):
        raise ValidationError(year_error(today=today, latest=latest), code="invalid_year")
    return year


def year_bounds(year: int) -> tuple[date, date]:
    """The first and the last day of the year."""
    return date(year, 1, 1), date(year, 12, 31)


def check_year_closed(year: int, *, today: date | None = None) -> int:
    """A year whose results may be published or reopened: in range and not after this year (else ValidationError)."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            _("Only a year from %(first)s to %(this)s can be published or reopened; %(year)s cannot.")
            % {"first": FIRST_YEAR, "this": today.year, "year": year},
            code="invalid_year",
        )
    return year


def api_year(value: object) -> int:
    """A year from an API path or parameter: :func:`parse_year`, or a 400 naming ``year``."""
    try:
        return parse_year(value)
    except ValidationError as error:
        raise serializers.ValidationError({"year": error.messages}) from error


def year_argument(value: str) -> int:
    """argparse ``type=`` for a management command's year: a bad one is the command's error in plain words."""
    try:
        return parse_year(value)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.messages[0]) from error


# ---------------------------------------------------------------------------------------------------
# The fields built on parse_year: forms, the API's serializers, django-filter and URL paths.


def year_schema() -> dict:
    """The OpenAPI schema of a year, with the bounds of today (read when the schema is generated)."""
    return {"type": "integer", "minimum": FIRST_YEAR, "maximum": last_year()}


class YearFormField(forms.Field):
    """A form (or filter) field for a year: :func:`parse_year`, so a bad value is a form error in plain words."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_year(value)


class YearSerializerField(serializers.Field):
    """A year in a request body or response: an integer from FIRST_YEAR to next year (400 otherwise)."""

    @property
    def _spectacular_annotation(self) -> dict:  # how drf-spectacular reads extend_schema_field; bounds of today
        return {"field": year_schema()}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise serializers.ValidationError(year_error())
        try:
            return parse_year(data)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value):
        return int(value)


class YearFilter(django_filters.Filter):
    """``?year=`` on a list: a year in range, or a 400 (API) / form error (page) saying which years exist."""

    field_class = YearFormField

    @property
    def _spectacular_annotation(self) -> dict:  # how drf-spectacular reads extend_schema_field; bounds of today
        return {"field": year_schema()}


class YearConverter:
    """``<year:year>`` in a URL: four digits (anything else is a 404); the view then checks the range."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


# Registered here, once, so any urls module that reads ``<year:year>`` has it whichever is imported first (every
# one of them imports a view that imports this module).
register_converter(YearConverter, "year")
