"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.db.models import Q

from .models import ActivityRecord, AnnualScore, Category, Exemption, Kind, Status, Veto


class ActivityRecordFilterSet(django_filters.FilterSet):
    official = django_filters.CharFilter(field_name="official__staff_no")
    unit = django_filters.CharFilter(field_name="official__unit__code")
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    year = django_filters.NumberFilter(field_name="occurred_on", lookup_expr="year")
    occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = ActivityRecord
        fields = ["official", "unit", "kind", "category", "status", "source", "year"]


class AnnualScoreFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    unit = django_filters.CharFilter(field_name="unit__code")
    official = django_filters.CharFilter(field_name="official__staff_no")
    grade = django_filters.CharFilter(method="filter_grade")
    exempt = django_filters.BooleanFilter()

    class Meta:
        model = AnnualScore
        fields = ["year", "unit", "official", "exempt"]

    def filter_grade(self, queryset, name, value):
        return queryset.filter(Q(grade=value) & Q(exempt=False))


class ExemptionFilterSet(django_filters.FilterSet):
    official = django_filters.CharFilter(field_name="official__staff_no")
    unit = django_filters.CharFilter(field_name="official__unit__code")

    class Meta:
        model = Exemption
        fields = ["official", "unit", "year", "reason"]


class VetoFilterSet(ExemptionFilterSet):
    class Meta:
        model = Veto
        fields = ["official", "unit", "year", "reason"]
