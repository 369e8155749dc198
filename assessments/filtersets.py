"""The scorecards' FilterSets, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kunshan_training.years import YearFilter

from .models import CardStatus, Scorecard


class ScorecardFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("year"))
    template = django_filters.CharFilter(label=_("template"), field_name="template__code",
                                         help_text=_("Template code, e.g. benxi-2010."))  # fmt: skip
    unit = django_filters.CharFilter(label=_("unit"), field_name="unit__code", help_text=_("Unit code."))
    status = django_filters.ChoiceFilter(label=_("status"), choices=CardStatus.choices)
    tier = django_filters.CharFilter(label=_("tier"), max_length=32,
                                     help_text=_("Tier code, e.g. fully_completed or learning_org."))  # fmt: skip

    class Meta:
        model = Scorecard
        fields = ["year", "template", "unit", "status", "tier"]
