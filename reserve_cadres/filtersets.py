"""The reserve pool's FilterSets, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Level, Reserve, ReserveStatus, Stream


class ReserveFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReserveStatus.choices)
    stream = django_filters.ChoiceFilter(label=_("stream"), choices=Stream.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    unit = django_filters.CharFilter(
        label=_("unit"), field_name="official__unit__code", max_length=32, help_text=_("Unit code.")
    )

    class Meta:
        model = Reserve
        fields = ["status", "stream", "level", "unit"]
