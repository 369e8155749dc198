"""The training organisation's FilterSets, shared by the pages and the API (one section per list)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kunshan_training.years import YearFilter

from .models import ClassStatus, ClassType, Dispatch, TrainingClass, UnitPlan

# ---------------------------------------------------------------------------------------------------
# Classes (helper A): GET /api/v1/classes/ and the class list / calendar pages


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TrainingClassFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=ClassStatus.choices)
    class_type = django_filters.ChoiceFilter(label=_("type"), choices=ClassType.choices)
    dispatch = django_filters.ChoiceFilter(label=_("dispatch"), choices=Dispatch.choices)
    organiser = django_filters.CharFilter(label=_("organiser"), field_name="organiser__code",
                                          help_text=_("Unit code."))  # fmt: skip
    year = YearFilter(label=_("year"), field_name="starts_on", lookup_expr="year",
                      help_text=_("The year the class starts in."))  # fmt: skip
    month = WholeNumberFilter(
        label=_("month"), field_name="starts_on", lookup_expr="month", min_value=1, max_value=12,
        help_text=_("The month (1-12) the class starts in; with year, a month of the calendar."),
    )  # fmt: skip
    search = django_filters.CharFilter(label=_("search"), method="filter_search", max_length=100,
                                       help_text=_("Part of the code or the title."))  # fmt: skip

    class Meta:
        model = TrainingClass
        fields = ["status", "class_type", "dispatch", "organiser", "year", "month", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))


class UnitPlanFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("year"))
    unit = django_filters.CharFilter(label=_("unit"), field_name="unit__code", help_text=_("Unit code."))

    class Meta:
        model = UnitPlan
        fields = ["year", "unit"]
