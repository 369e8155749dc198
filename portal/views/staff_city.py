"""The city at a glance for the training section: the dashboard (/staff/dashboard/) and rankings (/staff/rankings/)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from credits.selectors.city import Dashboard, city_dashboard, rankings, score_years
from organisation.models import Unit
from portal.access import OrgStaffRequiredMixin
from portal.charts import bar_chart, inline_svg, nice_ticks, trend_of, unit_charts
from portal.forms.staff import UnitFilterForm
from portal.tables import RankingTable, UnitPassRateTable, configure
from portal.templatetags.credits_tags import EXEMPT_COLOUR, GRADE_COLOURS, grade_label

from .staff_common import styled
from .staff_officials import chosen_year


def grade_chart(dashboard: Dashboard) -> SafeString:
    """The grade distribution as an inline SVG bar chart: nothing external (no script, no stylesheet link)."""
    rows = [(grade_label(code), count, GRADE_COLOURS.get(code)) for code, count, _percent in dashboard.grade_rows]
    rows.append((_("Exempt"), dashboard.exempt, EXEMPT_COLOUR))
    ticks = nice_ticks(max(count for _label, count, _colour in rows))
    chart = bar_chart(font_size=14, value_font_size=14, height=260, y_labels=ticks, range=(0, ticks[-1]))
    chart.x_labels = [label for label, _count, _colour in rows]
    chart.add(_("Officials"), [{"value": count, "color": colour} for _label, count, colour in rows])
    description = _(". ").join(
        _("%(grade)s: %(count)s") % {"grade": label, "count": count} for label, count, _colour in rows
    )
    title = _("Grade distribution of %(year)s") % {"year": dashboard.year}
    return inline_svg(chart, title=title, description=description)


class YearUnitMixin(OrgStaffRequiredMixin):
    """``?year=`` (default: this year when scored, else the latest scored year) and ``?unit=`` (a unit code)."""

    def year_and_unit(self) -> dict:
        years = score_years()
        year, error = chosen_year(self.request, years)
        form = styled(UnitFilterForm(self.request.GET or None), small=True)
        unit = form.cleaned_data["unit"] if form.is_valid() else ""
        if form.is_bound and "unit" in form.errors:
            error = " ".join(form.errors["unit"])
        return {"year": year, "years": sorted({*years, year}, reverse=True), "unit": unit, "form": form, "error": error}


class DashboardView(YearUnitMixin, TemplateView):
    template_name = "portal/staff/dashboard.html"

    def get_context_data(self, **kwargs):
        picked = self.year_and_unit()
        dashboard = city_dashboard(year=picked["year"])
        units = UnitPassRateTable(dashboard.units, judged=dashboard.judged)
        RequestConfig(self.request, paginate=False).configure(units)
        unit_name = ""
        if picked["unit"]:
            unit_name = Unit.objects.filter(code=picked["unit"]).values_list("name", flat=True).first() or ""
        return super().get_context_data(
            **picked,
            dashboard=dashboard,
            units=units,
            chart=grade_chart(dashboard),
            **unit_charts(year=picked["year"]),
            **trend_of(unit_code=picked["unit"], unit_name=unit_name),
            **kwargs,
        )


class RankingsView(YearUnitMixin, TemplateView):
    template_name = "portal/staff/rankings.html"

    def get_context_data(self, **kwargs):
        picked = self.year_and_unit()
        scores = rankings(self.request.user, year=picked["year"], unit_code=picked["unit"])
        table = RankingTable(scores, year=picked["year"], order_by="unit_rank" if picked["unit"] else "city_rank")
        return super().get_context_data(**picked, table=configure(self.request, table), **kwargs)
