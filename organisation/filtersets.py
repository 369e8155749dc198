"""One FilterSet per list, shared by the pages and the API."""

import django_filters

from .models import Official, Rank, Unit, UnitKind


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="search")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Unit
        fields = ["kind", "parent"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(code__icontains=value)


class OfficialFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="search")
    unit = django_filters.CharFilter(field_name="unit__code")
    rank = django_filters.ChoiceFilter(choices=Rank.choices)

    class Meta:
        model = Official
        fields = ["unit", "rank"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(staff_no__icontains=value)
