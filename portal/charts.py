"""Server-side SVG charts (pygal) that reference nothing external: no script, no stylesheet, no CDN.

Every chart is inline SVG with ``role="img"`` and ``aria-labelledby`` naming its own ``<title>`` and ``<desc>``
(given in the page's language: Chinese by default), so a screen reader reads what the chart shows; every id in it
starts with the chart's own, so two charts on a page share none. The pages give each chart's numbers as a table too.
pygal's own marks go: the config script, the "Generated with pygal" comments, the ``<title>Pygal</title>`` browsers
show as a tooltip, the ``pygal-chart`` class and the tooltip overlay (there is no script to drive it). The figures
come from selectors (``credits/selectors/city.py``); this module only draws them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from credits.selectors.city import GRADES, UnitGrades, YearFigures, unit_grade_distribution, year_trend

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
FONT_FAMILY = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
CHART_CLASS = "portal-chart"
PASS_RATE_COLOUR, AVERAGE_COLOUR = "#198754", "#0d6efd"


def _style(*, font_size: int, value_font_size: int, colors: Sequence[str] = ("#0d6efd",)):
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        font_family=FONT_FAMILY,
        label_font_size=font_size,
        major_label_font_size=font_size,
        legend_font_size=font_size,
        value_font_size=value_font_size,
        colors=tuple(colors),
    )


def _common(width: int, height: int) -> dict:
    """Options every chart shares: no script, no XML declaration, no pygal class, scaled by its container."""
    return {"js": [], "disable_xml_declaration": True, "explicit_size": False, "classes": [CHART_CLASS],
            "width": width, "height": height, "margin": 8, "spacing": 12}  # fmt: skip


def bar_chart(*, font_size: int, value_font_size: int, height: int, **options):
    """A pygal bar chart in the portal's look; ``options`` go to pygal (range, y_labels, ...)."""
    import pygal

    style = _style(font_size=font_size, value_font_size=value_font_size)
    return pygal.Bar(style=style, show_legend=False, print_values=True, **_common(560, height), **options)


def nice_ticks(maximum: int, *, count: int = 5) -> list[int]:
    """An axis of counts: about ``count`` whole steps of 1, 2 or 5 times a power of ten, from 0 to ``maximum`` or
    just past it (pygal's own choice for 145 officials was a label every 10)."""
    if maximum <= 0:
        return [0, 1]
    rough = maximum / count
    power = 10 ** math.floor(math.log10(rough))
    step = max(1, round(next(f * power for f in (1, 2, 5, 10) if f * power >= rough)))
    return [i * step for i in range(math.ceil(maximum / step) + 1)]


def inline_svg(chart, *, title: str, description: str) -> SafeString:
    """The chart as inline SVG named by ``title`` and described by ``description`` for screen readers."""
    chart.xml_filters = [lambda root: _label(root, title=title, description=description)]
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    return mark_safe(svg)  # noqa: S308 - pygal escapes every text it writes (labels, title, desc); values are numbers


def _label(root, *, title: str, description: str):
    """Name the chart (its <title>, no longer "Pygal"), describe it (<desc>), and drop the tooltip overlay."""
    from pygal.etree import etree

    chart_id = root.get("id") or "chart"
    heading = root.find("title")
    if heading is None:
        heading = etree.SubElement(root, "title")
    heading.text = title
    heading.set("id", f"{chart_id}-title")
    desc = etree.Element("desc", id=f"{chart_id}-desc")
    desc.text = description
    root.remove(heading)
    root.insert(0, desc)
    root.insert(0, heading)  # first children: what assistive technology and browsers read
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    for parent in list(root.iter()):
        for child in list(parent):
            if "tooltip-overlay" in (child.get("class") or ""):
                parent.remove(child)
    # pygal names each legend entry "activate-serie-0", …, for its script (gone): two charts on a page repeated
    # them. Each id now starts with the chart's own (unique) id.
    for element in root.iter():
        own = element.get("id")
        if own and not own.startswith(chart_id):
            element.set("id", f"{chart_id}-{own}")
    return root


# ---------------------------------------------------------------------------------------------------
# The dashboard and the unit report


def unit_grades_chart(units: Sequence[UnitGrades], *, title: str, description: str) -> SafeString:
    """Units as horizontal bars of 100%: the share of each grade (excellent → fail, in the grade colours), the unit's
    pass rate beside its name. The first unit is drawn at the top."""
    import pygal

    from portal.templatetags.credits_tags import GRADE_COLOURS, grade_label

    style = _style(font_size=13, value_font_size=11, colors=[GRADE_COLOURS[grade] for grade in GRADES])
    chart = pygal.HorizontalStackedBar(
        style=style, range=(0, 100), y_labels=[0, 25, 50, 75, 100], legend_at_bottom=True,
        legend_at_bottom_columns=len(GRADES), truncate_label=-1, print_values=False,
        **_common(640, 90 + 30 * max(len(units), 1)),
    )  # fmt: skip
    ordered = list(reversed(units))  # pygal draws the first label at the bottom
    chart.x_labels = [_("%(unit)s (%(rate)s%%)") % {"unit": u.name, "rate": u.pass_rate} for u in ordered]
    chart.margin_left = 8 + _wide_text_extra(chart.x_labels, font_size=13)
    for grade in GRADES:
        chart.add(grade_label(grade), [float(u.share(grade) or 0) for u in ordered])
    return inline_svg(chart, title=title, description=description)


def _wide_text_extra(labels: Sequence[str], *, font_size: int) -> int:
    """pygal sizes a label as 0.6 em a character; a Chinese character is a whole em. The room it misses."""
    wide = max((sum(ord(char) >= 0x2E80 for char in label) for label in labels), default=0)
    return round(wide * 0.45 * font_size)


def unit_grades_description(units: Sequence[UnitGrades]) -> str:
    """Each unit's pass rate and grade counts in words, for the chart's <desc>."""
    parts = []
    for unit in units:
        counts = _("; ").join(
            _("%(grade)s %(count)s") % {"grade": _grade(grade), "count": unit.grades.get(grade, 0)} for grade in GRADES
        )
        parts.append(
            _("%(unit)s: pass rate %(rate)s%% of %(assessed)s assessed (%(counts)s)")
            % {"unit": unit.name, "rate": unit.pass_rate, "assessed": unit.assessed, "counts": counts}
        )
    return _(". ").join(parts) or _("No unit has assessed officials.")


def unit_grades_table(units: Sequence[UnitGrades]) -> dict:
    """The unit chart's numbers as a table, its text alternative beside it: each unit's assessed officials, pass
    rate and the count (share) of each grade."""
    headers = [_("Unit"), _("Assessed"), _("Pass rate"), *(_grade(grade) for grade in GRADES)]
    rows = [
        [unit.name, unit.assessed, _percent_text(unit.pass_rate), *(_count_and_share(unit, grade) for grade in GRADES)]
        for unit in units
    ]
    return {"headers": headers, "rows": rows}


def _count_and_share(unit: UnitGrades, grade: str) -> str:
    return _("%(count)s (%(share)s)") % {"count": unit.grades.get(grade, 0), "share": _percent_text(unit.share(grade))}


def _percent_text(value) -> str:
    return "—" if value is None else f"{value}%"


def trend_chart(years: Sequence[YearFigures], *, title: str, description: str) -> SafeString:
    """Year over year: the pass rate (%) and the average total (points) of each year with assessed officials."""
    import pygal

    style = _style(font_size=14, value_font_size=13, colors=(PASS_RATE_COLOUR, AVERAGE_COLOUR))
    chart = pygal.Bar(
        style=style, range=(0, 100), y_labels=[0, 25, 50, 75, 100], legend_at_bottom=True, print_values=True,
        **_common(560, 280),
    )  # fmt: skip
    chart.x_labels = [str(row.year) for row in years]
    chart.add(
        _("Pass rate (%)"),
        [{"value": float(row.pass_rate or 0), "formatter": lambda v: f"{v:g}%"} for row in years],
    )
    chart.add(_("Average total"), [{"value": float(row.average), "formatter": lambda v: f"{v:g}"} for row in years])
    return inline_svg(chart, title=title, description=description)


def trend_description(years: Sequence[YearFigures]) -> str:
    """Each year's figures in words, for the chart's <desc>."""
    parts = [
        _("%(year)s: pass rate %(rate)s%% of %(assessed)s assessed, average total %(average)s")
        % {"year": row.year, "rate": row.pass_rate, "assessed": row.assessed, "average": row.average}
        for row in years
    ]
    return _(". ").join(parts) or _("No year has assessed officials yet.")


def trend_table(years: Sequence[YearFigures]) -> dict:
    """The year-over-year chart's numbers as a table (its text alternative)."""
    headers = [_("Year"), _("Assessed"), _("Pass rate"), _("Average total")]
    rows = [[row.year, row.assessed, _percent_text(row.pass_rate), row.average] for row in years]
    return {"headers": headers, "rows": rows}


# ---------------------------------------------------------------------------------------------------
# What the pages show: figures from the selectors, drawn

# A city of 400 units: the dashboard draws the weakest and the strongest units; the table below lists them all.
CHART_UNITS = 10


def unit_charts(*, year: int) -> dict:
    """The grade distribution and pass rate of each unit: all of them when few, else the lowest and highest
    ``CHART_UNITS`` by pass rate. One query."""
    units = unit_grade_distribution(year=year)
    if len(units) <= 2 * CHART_UNITS:
        groups = [(_("Pass rate and grades by unit, %(year)s") % {"year": year}, units)]
    else:
        groups = [
            (_("The %(n)s units with the lowest pass rate, %(year)s") % {"n": CHART_UNITS, "year": year},
             units[:CHART_UNITS]),
            (_("The %(n)s units with the highest pass rate, %(year)s") % {"n": CHART_UNITS, "year": year},
             sorted(units, key=lambda u: (-u.passed / u.assessed, -u.assessed, u.code))[:CHART_UNITS]),
        ]  # fmt: skip
    charts = [
        {"title": title, "svg": unit_grades_chart(rows, title=title, description=unit_grades_description(rows)),
         "table": unit_grades_table(rows)}
        for title, rows in groups
        if rows
    ]  # fmt: skip
    return {"unit_charts": charts, "charted_units": len(units)}


def trend_of(*, unit_code: str = "", unit_name: str = "", up_to: int | None = None) -> dict:
    """Year over year for the city or one unit: the pass rate and the average total of every year with data."""
    years = year_trend(unit_code=unit_code, up_to=up_to)
    if unit_code:
        title = _("%(unit)s year over year: pass rate and average total") % {"unit": unit_name or unit_code}
    else:
        title = _("The city year over year: pass rate and average total")
    svg = trend_chart(years, title=title, description=trend_description(years)) if years else ""
    return {"trend_title": title, "trend_chart": svg, "trend_years": years, "trend_table": trend_table(years)}


def _grade(code: str) -> str:
    from portal.templatetags.credits_tags import grade_label

    return grade_label(code)
