"""Filters of the catalogue and the lectures, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Course, Lecture, LectureLevel

MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Write the month as 2025-03."))


class CourseFilterSet(django_filters.FilterSet):
    subject = django_filters.CharFilter(field_name="subject__code", label=_("Subject"), max_length=32)
    online = django_filters.BooleanFilter(label=_("Online course"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=100)

    class Meta:
        model = Course
        fields = ["subject", "online", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value)) if value else queryset


class LectureFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=LectureLevel.choices, label=_("Level"))
    month = django_filters.CharFilter(
        method="filter_month", label=_("Month"), help_text=_("e.g. 2025-03"), validators=[MONTH], max_length=7
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=100)

    class Meta:
        model = Lecture
        fields = ["level", "month", "search"]

    def filter_month(self, queryset, name, value):
        if not value:
            return queryset
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(held_on__year=year, held_on__month=month)

    def filter_search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value) | Q(speaker__icontains=value))
