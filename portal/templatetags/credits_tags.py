"""Template helpers for credits: labels in words, bars against caps with pass-line marks, what is missing, why a cap
cut points, and the years chart. Other portal pages load these too (``{% load credits_tags %}``): keep the names.

Filters: ``points``, ``policy_label``, ``grade_label``, ``veto_label``, ``flag_label``, ``exemption_label``,
``category_label``, ``kind_label``, ``quantity_unit``, ``status_class``.
Tags: ``{% credit_bar code score passed %}``, ``{% shortfall_texts standing closed as texts %}``,
``{% next_grade_text standing %}``, ``{% behind_pace_text standing %}``,
``{% explanation_notes explanation as notes %}``, ``{% years_chart rows %}``.
Python: ``QUANTITY_UNITS`` (what a kind's quantity counts), ``kind_rule_text(kind)``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credits.models import Category, ExemptionReason, Kind, Status, VetoReason
from credits.rules.kunshan_2020 import CATEGORIES, KINDS, MIN_SECONDMENT_MONTHS, PASS_LINES
from credits.standing import Standing
from portal.charts import bar_chart, inline_svg

register = template.Library()

TENTH = Decimal("0.1")

GRADE_LABELS = {
    "excellent": gettext_lazy("Excellent"),
    "good": gettext_lazy("Good"),
    "pass": gettext_lazy("Pass"),
    "fail": gettext_lazy("Fail"),
}
# Computed vetoes come from the pass lines; recorded ones are the org dept's decisions (VetoReason).
VETO_LABELS = {
    "menu_not_passed": gettext_lazy("Menu-style lectures below the pass line"),
    "online_not_passed": gettext_lazy("Online study below the pass line"),
    **dict(VetoReason.choices),
}
FLAG_LABELS = {
    "political_subhealth": gettext_lazy("Failed two years running: political health check rated “sub-healthy”"),
    "no_excellent_appraisal": gettext_lazy("Not eligible for “excellent” in this year's appraisal"),
}
POLICY_LABELS = {"kunshan-2020": gettext_lazy("Kunshan annual training credit assessment (2020)")}
# Bootstrap badge colours of record statuses and grades.
STATUS_CLASSES = {
    Status.SUBMITTED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.WITHDRAWN: "text-bg-secondary",
}
GRADE_COLOURS = {"excellent": "#198754", "good": "#0d6efd", "pass": "#0dcaf0", "fail": "#dc3545"}
EXEMPT_COLOUR = "#adb5bd"

# What the quantity of each kind counts, in one place: the declaration form, record tables and print pages use it.
QUANTITY_UNITS = {
    Kind.CLASS_DAY: gettext_lazy("class day"),
    Kind.CLASS_SPEECH: gettext_lazy("class speech"),
    Kind.CLASS_REFLECTION: gettext_lazy("written reflection"),
    Kind.SECONDMENT_MONTH: gettext_lazy("month of secondment"),
    Kind.MENU_CITY_LECTURE: gettext_lazy("lecture"),
    Kind.MENU_OTHER_LECTURE: gettext_lazy("lecture"),
    Kind.ONLINE_HOUR: gettext_lazy("class hour"),
    Kind.XUEXI_QIANGGUO: gettext_lazy("confirmed year"),
    Kind.CENTRAL_GROUP_SPEAKER: gettext_lazy("attended session"),
    Kind.CENTRAL_GROUP_LISTENER: gettext_lazy("attended session"),
    Kind.SUPERIOR_CENTRAL_GROUP: gettext_lazy("attended session"),
    Kind.BOOK_REFLECTION: gettext_lazy("written reflection"),
    Kind.RESEARCH_REPORT: gettext_lazy("endorsed report"),
    Kind.STUDY_PAPER: gettext_lazy("written paper"),
    Kind.TEACHING_TOPIC: gettext_lazy("taught topic"),
    Kind.TEACHING_FACULTY_SESSION: gettext_lazy("teaching session"),
    Kind.DISCRETIONARY: gettext_lazy("discretionary item"),
}


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
    return str(POLICY_LABELS.get(code, code or ""))


@register.filter
def grade_label(code) -> str:
    return str(GRADE_LABELS.get(code, code or ""))


@register.filter
def veto_label(code) -> str:
    return str(VETO_LABELS.get(code, code))


@register.filter
def flag_label(code) -> str:
    return str(FLAG_LABELS.get(code, code))


@register.filter
def exemption_label(code) -> str:
    return str(dict(ExemptionReason.choices).get(code, code or ""))


@register.filter
def category_label(code) -> str:
    return str(dict(Category.choices).get(code, code))


@register.filter
def kind_label(code) -> str:
    return str(dict(Kind.choices).get(code, code))


@register.filter
def quantity_unit(kind) -> str:
    return str(QUANTITY_UNITS.get(kind, ""))


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


def kind_rule_text(kind: str) -> str:
    """How a kind scores, in words: per what, how many points, and its own limits."""
    spec = KINDS[kind]
    unit = QUANTITY_UNITS.get(kind, "")
    parts = [_("Counted per %(unit)s: %(rate)s points each.") % {"unit": unit, "rate": points(spec.rate)}]
    if spec.cap is not None:
        parts.append(_("At most %(cap)s points a year.") % {"cap": points(spec.cap)})
    if kind == Kind.CLASS_DAY:
        parts.append(_("Counts only when the class result is passed."))
    if kind == Kind.SECONDMENT_MONTH:
        parts.append(_("A secondment shorter than %(months)s months scores 0.") % {"months": MIN_SECONDMENT_MONTHS})
    return " ".join(parts).replace("。 ", "。")  # Chinese sentences run on without a space


# ---------------------------------------------------------------------------------------------------
# Bars


@register.inclusion_tag("portal/official/_credit_bar.html")
def credit_bar(code: str, score, passed: bool | None = None) -> dict:
    """A bar of a category's score against its cap, with the pass line drawn on it (menu 24, online 25)."""
    cap = CATEGORIES[code]
    value = _decimal(score) or Decimal(0)
    line = PASS_LINES.get(code)
    # No colour for a line that is not judged (no line, or an exempt year: passed is None).
    state = "" if line is None or passed is None else "ok" if passed else "short"
    return {
        "code": code,
        "label": category_label(code),
        "score": value,
        "cap": cap,
        "width": _percent(min(value, cap), cap),
        "line": line.score if line else None,
        "line_at": _percent(line.score, cap) if line else None,
        "state": state,
    }


def _percent(part: Decimal, whole: Decimal) -> str:
    # A CSS length with a dot whatever the language (localised "66,7" would break the style).
    return f"{(part * 100 / whole).quantize(TENTH)}%" if whole else "0%"


# ---------------------------------------------------------------------------------------------------
# What is missing, in words


@register.simple_tag
def shortfall_texts(standing: Standing | None, closed: bool = False) -> list[str]:
    """What is still missing to meet each pass line (or, for a closed year, what was missed), in words."""
    if standing is None:
        return []
    texts = []
    for short in standing.shortfalls:
        values = {
            "points": points(short.amount),
            "count": short.activities,
            "line": points(PASS_LINES[short.category].score),
        }
        if short.what == "city_lectures":
            texts.append(
                _("The city training office's menu-style lectures were %(count)s short of the number required.")
                % values
                if closed
                else _("Attend %(count)s more city training office menu-style lectures.") % values
            )
        elif short.category == "menu":
            texts.append(
                _("Menu-style lectures were %(points)s points short of the pass line of %(line)s.") % values
                if closed
                else _(
                    "Menu-style lectures: %(points)s more points to the pass line of %(line)s "
                    "(about %(count)s city lectures)."
                )
                % values
            )
        else:
            texts.append(
                _("Online study was %(points)s points short of the pass line of %(line)s.") % values
                if closed
                else _(
                    "Online study: %(points)s more points to the pass line of %(line)s (about %(count)s class hours)."
                )
                % values
            )
    return texts


@register.simple_tag
def next_grade_text(standing: Standing | None) -> str:
    """How far the total is from the next grade band ("距良好还差 4.5 分")."""
    if standing is None or standing.next_grade is None:
        return ""
    values = {"grade": grade_label(standing.next_grade), "points": points(standing.points_to_next_grade)}
    if standing.shortfalls:
        return _("%(points)s more points to %(grade)s (and both pass lines must be met).") % values
    return _("%(points)s more points to %(grade)s.") % values


@register.simple_tag
def behind_pace_text(standing: Standing | None) -> str:
    if standing is None or not standing.behind_pace:
        return ""
    return _("Behind pace for the date (%(elapsed)s%% of the year gone) on: %(categories)s.") % {
        "elapsed": int(standing.elapsed * 100),
        "categories": "、".join(category_label(code) for code in standing.behind_pace),
    }


# ---------------------------------------------------------------------------------------------------
# Why a cap cut points (AnnualScore.explanation, schema in credits/rules/kunshan_2020.py)


@register.simple_tag
def explanation_notes(explanation: dict | None) -> list[str]:
    """Every cap that cut points, every quantity that scored 0, and the proration, in words."""
    if not explanation:
        return []
    notes = []
    prorated = explanation.get("pr") or {}
    if prorated.get("f"):
        notes.append(
            _(
                "Included among city-managed cadres in month %(month)s: %(months)s assessable months, so each "
                "category was converted to a full year (factor %(factor)s)."
            )
            % {"month": prorated.get("im"), "months": prorated.get("m"), "factor": prorated["f"]}
        )
    for code, category in (explanation.get("c") or {}).items():
        for kind, line in (category.get("k") or {}).items():
            if line.get("z"):
                if kind == Kind.CLASS_DAY:
                    text = _("%(quantity)s class days scored 0: the class result was not passed.")
                else:
                    text = _("%(quantity)s of %(kind)s scored 0 (a secondment shorter than %(months)s months).")
                notes.append(
                    text % {"quantity": points(line["z"]), "kind": kind_label(kind), "months": MIN_SECONDMENT_MONTHS}
                )
            if line.get("cut"):
                notes.append(
                    _("%(kind)s: at most %(cap)s points a year; %(cut)s points above that do not count.")
                    % {"kind": kind_label(kind), "cap": points(line.get("cap")), "cut": points(line["cut"])}
                )
        if category.get("cv") is not None:
            notes.append(
                _("%(category)s: %(sum)s points converted to %(converted)s.")
                % {
                    "category": category_label(code),
                    "sum": points(category.get("sum")),
                    "converted": points(category["cv"]),
                }
            )
        if category.get("cut"):
            notes.append(
                _("%(category)s: the category counts at most %(cap)s points; %(cut)s points above that do not count.")
                % {"category": category_label(code), "cap": points(category.get("cap")), "cut": points(category["cut"])}
            )
    return notes


# ---------------------------------------------------------------------------------------------------
# The years chart (server-side SVG, nothing external)


@register.simple_tag
def years_chart(rows: Iterable) -> SafeString:
    """A bar chart of the total per year (``AnnualScore`` rows or anything with year/total/grade/exempt),
    coloured by grade, with guides at the grade bands. Inline SVG; no script, no external reference.

    The SVG is kept per process for the same figures and language (pygal took ~7% of 我的学分's CPU): the key is
    the data itself, so a changed score is a new key, never a stale chart."""
    bars = tuple(sorted((row.year, str(row.total), row.grade, bool(row.exempt)) for row in rows))
    if not bars:
        return mark_safe("")
    return _years_chart_svg(bars, translation.get_language())


@functools.lru_cache(maxsize=512)
def _years_chart_svg(bars: tuple[tuple[int, str, str, bool], ...], language: str | None) -> SafeString:
    chart = bar_chart(font_size=18, value_font_size=22, height=280, range=(0, 100), y_labels=[0, 60, 75, 90, 100])
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
