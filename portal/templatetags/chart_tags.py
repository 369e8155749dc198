"""Charts that pages include on their own (the unit report): the figures come from selectors, drawn by
portal/charts.py, so the page's view stays as it is."""

from __future__ import annotations

from django import template

from portal.charts import trend_of

register = template.Library()


@register.inclusion_tag("portal/unit/_trend_figure.html")
def unit_trend(unit, year: int) -> dict:
    """The unit's pass rate and average total in every year with data up to ``year``. One query."""
    return trend_of(unit_code=unit.code, unit_name=unit.name, up_to=year)
