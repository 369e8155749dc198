"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kunshan_training.years import YearFilter

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


LOGIN_CHOICES = [("none", _("No account")), ("yes", _("Has an account"))]
GRADE_CHOICES = [
    ("excellent", _("Excellent")),
    ("good", _("Good")),
    ("pass", _("Pass")),
    ("fail", _("Fail")),
    ("none", _("No result yet")),
]
EXEMPT_CHOICES = [("yes", _("Exempt")), ("no", _("Assessed"))]


class OfficialFilterSet(django_filters.FilterSet):
    """The officials list (/staff/officials/) and ``/api/v1/officials/``. ``grade`` and ``exempt`` read the stored
    result of ``year`` (the page's year; in the API ``?year=``, else this year)."""

    q = django_filters.CharFilter(method="search", label="search")
    unit = django_filters.CharFilter(field_name="unit__code")
    rank = django_filters.ChoiceFilter(choices=Rank.choices)
    login = django_filters.ChoiceFilter(label=_("Account"), choices=LOGIN_CHOICES, method="filter_login",
                                        empty_label=_("All"))  # fmt: skip
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=GRADE_CHOICES, method="filter_grade",
                                        empty_label=_("All"))  # fmt: skip
    exempt = django_filters.ChoiceFilter(label=_("Exempt"), choices=EXEMPT_CHOICES, method="filter_exempt",
                                         empty_label=_("All"))  # fmt: skip
    year = YearFilter(method="keep", label=_("Year"))

    class Meta:
        model = Official
        fields = ["unit", "rank"]

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.score_year = year

    def keep(self, queryset, name, value):
        return queryset  # read by the grade and exempt filters

    def _year(self) -> int:
        return self.form.cleaned_data.get("year") or self.score_year or timezone.localdate().year

    def _scores(self, **lookups):
        from credits.models import AnnualScore  # credits depends on organisation, not the other way round

        return Exists(AnnualScore.objects.filter(official=OuterRef("pk"), year=self._year(), **lookups))

    def filter_login(self, queryset, name, value):
        return queryset.filter(user__isnull=value == "none")

    def filter_grade(self, queryset, name, value):
        annotated = "year_grade" in queryset.query.annotations and self.score_year is not None
        if value == "none":  # no stored result, or an exempt one (no grade)
            if annotated:
                return queryset.filter(Q(year_grade__isnull=True) | Q(year_grade=""))
            return queryset.exclude(self._scores(grade__in=[code for code, _label in GRADE_CHOICES[:4]]))
        if annotated:
            return queryset.filter(year_grade=value)
        return queryset.filter(self._scores(grade=value))

    def filter_exempt(self, queryset, name, value):
        if "year_exempt" in queryset.query.annotations and self.score_year is not None:
            if value == "yes":
                return queryset.filter(year_exempt=True)
            return queryset.filter(Q(year_exempt=False) | Q(year_exempt__isnull=True))  # no result: not exempt
        exempt = self._scores(exempt=True)
        return queryset.filter(exempt) if value == "yes" else queryset.exclude(exempt)

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(staff_no__icontains=value)
