"""One FilterSet per list, shared by the pages and the API.

The approval queue (/staff/) and ``GET /api/v1/activities/`` use the same ``ActivityRecordFilterSet``: the API
reads the query string, the page also renders the filter form (labels and widgets below are for the page only;
they change nothing in what the API accepts).
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kunshan_training.years import YearFilter
from organisation.models import Unit

from .models import ActivityRecord, AnnualScore, Category, Exemption, Kind, Source, Status, Veto


def unit_choices() -> list[tuple[str, str]]:
    """Units for the filter drop-down, by code; evaluated only when a page renders the form (never by the API)."""
    return [
        ("", _("All units")),
        *((code, f"{name} ({code})") for code, name in Unit.objects.values_list("code", "name")),
    ]


class UnitSelect(forms.Select):
    """The units drop-down. Never required, so rendering it reads the units once (Django would peek twice).

    Its ~400 options are written with one ``format_html_join`` instead of Django's option template each (14 ms a
    page at 100,000 officials, 400 units; ~1 ms this way; ``bench/load.py --profile --only staff``).
    """

    def use_required_attribute(self, initial) -> bool:
        return False

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        attributes = format_html_join(
            "",
            " {}{}",
            (
                (key, format_html('="{}"', val) if val is not True else "")
                for key, val in final.items()
                if val is not False
            ),
        )
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            ((code, " selected" if str(code) in chosen else "", label) for code, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, attributes, options)


class OneOrManySelect(forms.Select):
    """A single drop-down for a multiple-choice filter: the page sends one value, the API may repeat the key.

    Its first option ("all …") sends nothing, so it is never an invalid choice and never reaches the API's schema.
    """

    def __init__(self, attrs=None, choices=(), empty_label=""):
        super().__init__(attrs, choices)
        self.empty_label = empty_label

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value not in (None, "")]

    def optgroups(self, name, value, attrs=None):
        everything = self.create_option(name, "", self.empty_label, not any(value), 0, attrs=attrs)
        return [(None, [everything], 0), *super().optgroups(name, value, attrs)]


class ActivityRecordFilterSet(django_filters.FilterSet):
    # ``unit`` stays a free code (an unknown code finds nothing, as the API always did); the page shows a list.
    official = django_filters.CharFilter(field_name="official__staff_no", label=_("Staff number"))
    q = django_filters.CharFilter(method="filter_official_search", label=_("Official (name or staff number)"))
    unit = django_filters.CharFilter(
        field_name="official__unit__code", label=_("Unit"), widget=UnitSelect(choices=unit_choices)
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Kind.choices, label=_("Kind"), widget=OneOrManySelect(empty_label=_("All kinds")), distinct=False
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All categories")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Status"),
        widget=OneOrManySelect(empty_label=_("All statuses")),
        distinct=False,  # one column of the record itself: no join, no duplicate rows to remove
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"), empty_label=_("All sources"))
    year = YearFilter(field_name="occurred_on", lookup_expr="year", label=_("Year"))
    occurred_after = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label=_("Date from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("Date to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ActivityRecord
        fields = ["official", "q", "unit", "kind", "category", "status", "source", "year"]

    def filter_official_search(self, queryset, name, value):
        """Part of the official's name, or the start of their staff number."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(official__name__icontains=value) | Q(official__staff_no__istartswith=value))


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); anything else is an error, not silently "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in ("", "unknown"):
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Write true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class AnnualScoreFilterSet(django_filters.FilterSet):
    year = YearFilter()
    unit = django_filters.CharFilter(field_name="unit__code")
    official = django_filters.CharFilter(field_name="official__staff_no")
    grade = django_filters.CharFilter(method="filter_grade")
    exempt = StrictBooleanFilter()

    class Meta:
        model = AnnualScore
        fields = ["year", "unit", "official", "exempt"]

    def filter_grade(self, queryset, name, value):
        return queryset.filter(Q(grade=value) & Q(exempt=False))


class ExemptionFilterSet(django_filters.FilterSet):
    official = django_filters.CharFilter(field_name="official__staff_no")
    unit = django_filters.CharFilter(field_name="official__unit__code")
    year = YearFilter()

    class Meta:
        model = Exemption
        fields = ["official", "unit", "year", "reason"]


class VetoFilterSet(ExemptionFilterSet):
    class Meta:
        model = Veto
        fields = ["official", "unit", "year", "reason"]
