"""Template helpers for credits: labels in words, bars against caps with pass-line marks, what is missing, why a cap
cut points, and the years chart. Other portal pages load these too (``{% load credits_tags %}``): keep the names.

Filters: ``points``, ``policy_label``, ``grade_label``, ``veto_label``, ``flag_label``, ``exemption_label``,
``category_label``, ``kind_label``, ``quantity_unit``, ``status_class``, ``short_of``.
Tags: ``{% credit_bar code score passed policy %}``, ``{% meter value need state %}``,
``{% shortfall_texts standing closed as texts %}``, ``{% next_grade_text standing %}``,
``{% behind_pace_text standing %}``, ``{% lines_met_text policy %}``, ``{% explanation_notes explanation as notes %}``,
``{% years_chart rows %}``, ``{% years_chart_guides rows %}``.
Python: ``QUANTITY_UNITS`` (what a kind's quantity counts), ``kind_rule_text(kind)``.

No policy's numbers are written here: caps, lines and grade bands are read from the policy (``credits.rules``).
An uncapped category (baoji-2009) is drawn against the year's line on the total (``UNCAPPED_SCALE``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from credits import policies
from credits.models import Status
from credits.policies import FLAG_LABELS, GRADE_LABELS, QUANTITY_UNITS, VETO_LABELS, kind_rule_text  # noqa: F401
from credits.rules import ALL_CATEGORIES, DEFAULT_POLICY, POLICIES, Policy, get_policy
from credits.selectors.officials import NOT_COUNTED, line_on_total
from credits.standing import TOTAL, Standing
from portal.charts import bar_chart, inline_svg

register = template.Library()

TENTH = Decimal("0.1")

# Bootstrap badge colours of record statuses and grades.
STATUS_CLASSES = {
    Status.SUBMITTED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.WITHDRAWN: "text-bg-secondary",
}
GRADE_COLOURS = {"excellent": "#198754", "good": "#0d6efd", "pass": "#0dcaf0", "fail": "#dc3545"}
EXEMPT_COLOUR = "#adb5bd"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def points(value) -> str:
    """A score in plain figures: 12 for 12.0, 26.5 stays 26.5 (scores have one decimal at most)."""
    number = _decimal(value)
    if number is None:
        return ""
    number = number.quantize(TENTH)
    return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)


@register.filter
def policy_label(code) -> str:
    return policies.policy_label(code)


@register.filter
def grade_label(code) -> str:
    return policies.label(code)


@register.filter
def veto_label(code) -> str:
    return policies.label(code)


@register.filter
def flag_label(code) -> str:
    return policies.label(code)


@register.filter
def exemption_label(code) -> str:
    return policies.exemption_label(code)


@register.filter
def category_label(code) -> str:
    if code == NOT_COUNTED:
        return _("Not counted under this year's policy")
    return policies.category_label(code)


@register.filter
def kind_label(code) -> str:
    return policies.kind_label(code)


@register.filter
def quantity_unit(kind) -> str:
    return policies.kind_unit(kind)


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def short_of(need, have) -> Decimal | None:
    """How much ``have`` is short of ``need`` (0 when it reaches it); None when there is no ``need``."""
    need, have = _decimal(need), _decimal(have) or Decimal(0)
    return None if need is None else max(need - have, Decimal(0))


# ---------------------------------------------------------------------------------------------------
# Bars


# An uncapped category is drawn against the year's line on the total (Baoji: each category's share of the effective
# credits the year needs); a policy with neither draws it full.
UNCAPPED_SCALE = "the year's line"


def _policy_of_category(code: str, policy: str | None) -> Policy:
    if policy:
        return get_policy(policy)
    return next((p for p in POLICIES.values() if any(c.code == code for c in p.categories)), get_policy())


def _year_line(policy: Policy) -> Decimal | None:
    """The line the year's total must reach under ``policy`` (None when it judges only categories)."""
    return line_on_total(policy.requirements({}))


@register.inclusion_tag("portal/official/_credit_bar.html")
def credit_bar(code: str, score, passed: bool | None = None, policy: str | None = None) -> dict:
    """A bar of a category's score against its cap, with the pass line drawn on it (the policy's: Kunshan menu 24,
    online 25). An uncapped category (Baoji) is drawn against the year's line on the total (``UNCAPPED_SCALE``)
    and shows its score without a cap."""
    owner = _policy_of_category(code, policy)
    spec = next((c for c in owner.categories if c.code == code), ALL_CATEGORIES[code])
    value = _decimal(score) or Decimal(0)
    scale = spec.cap if spec.cap is not None else (_year_line(owner) or max(value, Decimal(1)))
    line = spec.pass_line
    # No colour for a line that is not judged (no line, or an exempt year: passed is None).
    state = "" if line is None or passed is None else "ok" if passed else "short"
    return {
        "code": code,
        "label": category_label(code),
        "score": value,
        "cap": spec.cap,
        "width": _percent(min(value, scale), scale),
        "line": line,
        "line_at": _percent(line, scale) if line is not None else None,
        "state": state,
    }


@register.inclusion_tag("portal/official/_meter.html")
def meter(value, need, judged: bool = False) -> dict:
    """A plain progress bar of ``value`` towards ``need`` (the year's effective credits, the cycle's credits, study
    hours). Past the line the bar is full and the line is drawn where ``need`` sits. Green once reached; amber when
    it fell short and ``judged`` (a finished year, a judged cycle); the plain colour while it is still open."""
    value = _decimal(value) or Decimal(0)
    need = _decimal(need)
    if need is None or need <= 0:
        return {"width": "100%" if value else "0%", "line_at": None, "state": ""}
    scale = max(value, need)
    return {
        "width": _percent(value, scale),
        "line_at": _percent(need, scale) if value > need else None,
        "state": "ok" if value >= need else "short" if judged else "",
    }


def _percent(part: Decimal, whole: Decimal) -> str:
    # A CSS length with a dot whatever the language (localised "66,7" would break the style).
    return f"{(part * 100 / whole).quantize(TENTH)}%" if whole else "0%"


# ---------------------------------------------------------------------------------------------------
# What is missing, in words


@register.simple_tag
def shortfall_texts(standing: Standing | None, closed: bool = False) -> list[str]:
    """What is still missing to meet each line of the year's policy (or, for a closed year, what was missed)."""
    if standing is None:
        return []
    texts = []
    for short in standing.shortfalls:
        values = {
            "points": points(short.amount),
            "count": short.activities,
            "line": points(short.need),
            "kind": kind_label(short.kind),
            "unit": quantity_unit(short.kind),
            "category": category_label(short.category),
        }
        if short.what == "count":
            if closed:
                texts.append(_("%(kind)s: %(count)s short of the number required.") % values)
            else:
                texts.append(_("Attend %(count)s more: %(kind)s.") % values)
        elif short.category == TOTAL:
            if closed:
                texts.append(_("The year's credits were %(points)s short of %(line)s.") % values)
            else:
                texts.append(
                    _("%(points)s more credits to reach %(line)s this year (about %(count)s %(unit)s).") % values
                )
        elif closed:
            texts.append(_("%(category)s was %(points)s points short of the pass line of %(line)s.") % values)
        else:
            texts.append(
                _("%(category)s: %(points)s more points to the pass line of %(line)s (about %(count)s %(unit)s).")
                % values
            )
    return texts


@register.simple_tag
def next_grade_text(standing: Standing | None) -> str:
    """How far the total is from the next grade band ("距良好还差 4.5 分"); nothing when that band's floor is the
    year's line on the total, which the shortfalls already name (Baoji: pass at the effective credits' line)."""
    if standing is None or standing.next_grade is None:
        return ""
    if any(s.category == TOTAL and s.amount == standing.points_to_next_grade for s in standing.shortfalls):
        return ""
    values = {"grade": grade_label(standing.next_grade), "points": points(standing.points_to_next_grade)}
    if standing.shortfalls:
        return _("%(points)s more points to %(grade)s (and the pass lines must be met).") % values
    return _("%(points)s more points to %(grade)s.") % values


@register.simple_tag
def lines_met_text(policy: Policy | None) -> str:
    """What a result that misses no line may say, naming the policy's lines ("“菜单式”选学、网络学习的合格线均已达到",
    "本年度学分已达到 60 分")."""
    if policy is None:
        return ""
    requirements = policy.requirements({})
    total = _year_line(policy)
    if total is not None:
        return _("The year's line of %(line)s credits is met.") % {"line": points(total)}
    categories = list(dict.fromkeys(r.category for r in requirements if r.category))
    if not categories:
        return ""
    return _("The pass lines of %(categories)s are met.") % {
        "categories": "、".join(category_label(code) for code in categories)
    }


@register.simple_tag
def behind_pace_text(standing: Standing | None) -> str:
    if standing is None or not standing.behind_pace:
        return ""
    return _("Behind pace for the date (%(elapsed)s%% of the year gone) on: %(categories)s.") % {
        "elapsed": int(standing.elapsed * 100),
        "categories": "、".join(category_label(code) for code in standing.behind_pace),
    }


# ---------------------------------------------------------------------------------------------------
# Why a result is what it is (AnnualScore.explanation, schema in each policy's module)


@register.simple_tag
def explanation_notes(explanation: dict | None) -> list[str]:
    """Every cap that cut points, every quantity that scored 0, the proration, what was not counted, in words
    (the result's own policy says which: ``Policy.explain``)."""
    return policies.explanation_notes(explanation)


# ---------------------------------------------------------------------------------------------------
# The years chart (server-side SVG, nothing external)


@register.simple_tag
def years_chart(rows: Iterable) -> SafeString:
    """A bar chart of the total per year (``AnnualScore`` rows or anything with year/total/grade/exempt),
    coloured by grade, with guides at the grade bands. Inline SVG; no script, no external reference.

    The SVG is kept per process for the same figures and language (pygal took ~7% of 我的学分's CPU): the key is
    the data itself, so a changed score is a new key, never a stale chart."""
    rows = list(rows)
    bars = tuple(sorted((row.year, str(row.total), row.grade, bool(row.exempt)) for row in rows))
    if not bars:
        return mark_safe("")
    lines = {
        band.at_least for row in rows for band in get_policy(getattr(row, "policy", "") or DEFAULT_POLICY).grade_bands
    }
    return _years_chart_svg(bars, tuple(sorted(lines)), translation.get_language())


def _grade_lines(rows: Iterable) -> list[tuple[Decimal, str]]:
    """The grade bands of the rows' policies (the chart's guides), lowest first."""
    bands = {}
    for row in rows:
        for band in get_policy(getattr(row, "policy", "") or DEFAULT_POLICY).grade_bands:
            bands.setdefault(band.at_least, band.grade)
    return sorted(bands.items())


@register.simple_tag
def years_chart_guides(rows: Iterable) -> str:
    """The chart's caption: where its guides are, from the grade bands of the years' policies."""
    guides = _(", ").join(
        _("%(line)s (%(grade)s)") % {"line": points(line), "grade": grade_label(grade)}
        for line, grade in _grade_lines(rows)
    )
    return _("Total per year; guides at %(guides)s.") % {"guides": guides}


@functools.lru_cache(maxsize=512)
def _years_chart_svg(
    bars: tuple[tuple[int, str, str, bool], ...], lines: tuple[Decimal, ...], language: str | None
) -> SafeString:
    top = max([Decimal(100), *(Decimal(total) for _year, total, _grade, _exempt in bars)])
    chart = bar_chart(font_size=18, value_font_size=22, height=280, range=(0, float(top)),
                      y_labels=[0, *(float(line) for line in lines), float(top)])  # fmt: skip
    chart.x_labels = [str(year) for year, _total, _grade, _exempt in bars]
    chart.add(
        _("Total"),
        [
            {
                "value": float(total),
                "color": EXEMPT_COLOUR if exempt else GRADE_COLOURS.get(grade, "#0d6efd"),
                "formatter": lambda value: points(value),
                "label": _("Exempt") if exempt else grade_label(grade),
            }
            for _year, total, grade, exempt in bars
        ],
    )
    description = _(". ").join(
        _("%(year)s: %(total)s points, %(grade)s")
        % {"year": year, "total": points(total), "grade": _("Exempt") if exempt else grade_label(grade)}
        for year, total, grade, exempt in bars
    )
    return inline_svg(chart, title=_("Total credits by year"), description=description)
