"""django-tables2 tables of the training section's pages: sortable headers and pagination.

The approval queue's cells are written by one function (``portal/queue_rows.py``) so that a single row
can be re-rendered for htmx (after approve / reject); its columns here give the headers and the sort keys.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import A, Column, RequestConfig, Table

from credits.models import ActivityRecord, AnnualScore, Category, Kind, Status
from credits.policies import category_label
from organisation.models import Official, Rank
from portal.templatetags.credits_tags import grade_label, points

PER_PAGE = 50
# A minimum width keeps columns legible on a phone: the responsive wrapper scrolls the table sideways instead.
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "style": "min-width: 36rem"}


def configure(request, table: Table, *, per_page: int = PER_PAGE) -> Table:
    """Sort by the request's ``sort``, show its ``page`` (a bad page number shows the first or last page).

    The page size is fixed: a ``per_page`` in the address is ignored, so a page's cost stays bounded.
    """
    RequestConfig(request, paginate=False).configure(table)
    try:
        table.paginate(page=request.GET.get(table.prefixed_page_field, 1), per_page=per_page)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table


class HiddenHeaderColumn(Column):
    """A column whose heading is read out by screen readers but not shown (the tick boxes, the action buttons)."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', self.verbose_name)


class ReviewQueueTable(Table):
    select = HiddenHeaderColumn(
        verbose_name=_("Select"), accessor=A("pk"), orderable=False, attrs={"th": {"class": "d-print-none"}}
    )
    official = Column(verbose_name=_("Official"), accessor=A("official__name"), order_by=("official__staff_no", "id"))
    unit = Column(verbose_name=_("Unit"), accessor=A("official__unit__name"), order_by=("official__unit__code", "id"))
    kind = Column(verbose_name=_("Kind"), order_by=("kind", "id"))
    amount = Column(verbose_name=_("Quantity / points"), accessor=A("quantity"), orderable=False)
    occurred_on = Column(verbose_name=_("Date"), order_by=("occurred_on", "id"))
    status = Column(verbose_name=_("Status"), order_by=("status", "id"))
    declared = Column(verbose_name=_("Declared by"), accessor=A("created_at"), order_by=("created_at", "id"))
    evidence = Column(verbose_name=_("Evidence"), orderable=False)
    actions = Column(
        verbose_name=_("Review"), accessor=A("pk"), orderable=False, attrs={"th": {"class": "d-print-none"}}
    )

    class Meta:
        model = ActivityRecord
        fields = ()
        sequence = ("select", "official", "unit", "kind", "amount", "occurred_on", "status", "declared", "evidence",
                    "actions")  # fmt: skip
        template_name = "portal/staff/_queue_table.html"
        attrs = {**TABLE_ATTRS, "id": "queue", "style": "min-width: 60rem"}
        order_by = ("declared",)  # oldest declaration first: first in, first reviewed
        empty_text = _("No records match these filters.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_labels = dict(Status.choices)
        self.kind_labels = dict(Kind.choices)
        self.category_labels = dict(Category.choices)


class YearLinksMixin:
    """Names link to the official's page for the year the table shows."""

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def official_link(self, name: str, staff_no: str):
        url = reverse("portal:staff-official", args=[staff_no])
        return format_html('<a href="{}?year={}">{}</a>', url, self.year, name)


class OfficialsTable(YearLinksMixin, Table):
    name = Column(verbose_name=_("Name"))
    staff_no = Column(verbose_name=_("Staff number"))
    unit = Column(verbose_name=_("Unit"), accessor=A("unit__name"), order_by=("unit__code", "staff_no"))
    rank = Column(verbose_name=_("Post rank"))
    year_total = Column(verbose_name=_("Total"), attrs={"td": {"class": "text-end"}})
    year_grade = Column(verbose_name=_("Grade"), order_by=("year_grade", "staff_no"))

    class Meta:
        model = Official
        fields = ()
        sequence = ("name", "staff_no", "unit", "rank", "year_total", "year_grade")
        template_name = "portal/staff/_table.html"
        attrs = TABLE_ATTRS
        empty_text = _("No official matches the search.")

    def render_name(self, value, record):
        return self.official_link(value, record.staff_no)

    def render_year_total(self, value):
        return points(value)

    def render_rank(self, value):
        return dict(Rank.choices).get(value, value)

    def render_year_grade(self, value, record):
        return _("Exempt") if record.year_exempt else grade_label(value)


class RankingTable(YearLinksMixin, Table):
    city_rank = Column(verbose_name=_("City rank"), order_by=("city_rank", "official__staff_no"))
    unit_rank = Column(verbose_name=_("Unit rank"), order_by=("unit__code", "unit_rank", "official__staff_no"))
    official = Column(
        verbose_name=_("Name"),
        accessor=A("official__name"),
        order_by=("official__staff_no",),
    )
    staff_no = Column(verbose_name=_("Staff number"), accessor=A("official__staff_no"))
    unit = Column(verbose_name=_("Unit"), accessor=A("unit__name"), order_by=("unit__code", "unit_rank"))
    total = Column(verbose_name=_("Total"), attrs={"td": {"class": "text-end"}})
    grade = Column(verbose_name=_("Grade"))

    class Meta:
        model = AnnualScore
        fields = ()
        sequence = ("city_rank", "unit_rank", "official", "staff_no", "unit", "total", "grade")
        template_name = "portal/staff/_table.html"
        attrs = TABLE_ATTRS
        empty_text = _("No assessed official has a score for this year yet.")

    def render_official(self, value, record):
        return self.official_link(value, record.official.staff_no)

    def render_total(self, value):
        return points(value)

    def render_grade(self, value):
        return grade_label(value)


class RateColumn(Column):
    def render(self, value):
        return f"{value}%"


class UnitPassRateTable(Table):
    """Per-unit figures of the dashboard (a list of ``UnitRow``, sorted in memory). A pass-rate column for each
    category the year's policy judges (Kunshan: menu, online), weakest units first by the first of them."""

    name = Column(verbose_name=_("Unit"), order_by=("code",))
    assessed = Column(verbose_name=_("Assessed"), attrs={"td": {"class": "text-end"}})
    failed = Column(verbose_name=_("Failed"), attrs={"td": {"class": "text-end"}})
    sessions = Column(verbose_name=_("Central-group sessions"), attrs={"td": {"class": "text-end"}})

    class Meta:
        template_name = "portal/staff/_table.html"
        attrs = TABLE_ATTRS
        empty_text = _("No unit has assessed officials this year.")

    def __init__(self, data, *, judged: tuple[str, ...] = (), **kwargs):
        extra = [
            (
                f"rate_{code}",
                RateColumn(
                    verbose_name=_("%(category)s pass rate") % {"category": category_label(code)},
                    accessor=f"pass_rates__{code}",
                    attrs={"td": {"class": "text-end"}},
                ),
            )
            for code in judged
        ]
        kwargs.setdefault("order_by", (f"rate_{judged[0]}",) if judged else ("failed",))
        super().__init__(data, extra_columns=extra, sequence=("name", "assessed", "...", "failed", "sessions"),
                         **kwargs)  # fmt: skip
