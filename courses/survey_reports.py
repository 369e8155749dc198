"""What a survey's half-yearly summary (RULES §5: 每半年汇总) looks like on paper: one chart per question (server-side
SVG, like the portal's other charts: portal.charts) and the workbook. The figures come from the selectors
(courses.selectors.surveys.half_year_summary), already cut to groups of 5 or more; this module only draws and lays
them out — it never reads an answer, and has nothing that could name a respondent.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .survey_rules import MIN_GROUP_SIZE, MULTIPLE, SCALE, SINGLE, QuestionResult

THIS_COLOUR, PREVIOUS_COLOUR = "#0d6efd", "#adb5bd"
CHART_CACHE_SECONDS = 24 * 3600
MEAN_FORMAT = "0.00"


def charted(result: QuestionResult | None) -> bool:
    """Whether a question's result gets a chart: a choice or scale question with enough answers to be shown."""
    return result is not None and result.shown and result.kind in (SINGLE, MULTIPLE, SCALE)


def _figures(result: QuestionResult) -> str:
    return ";".join(f"{c.label}={c.count}/{c.share}" for c in result.choices) + f";n={result.respondents}"


def describe(result: QuestionResult, *, previous: QuestionResult | None = None) -> str:
    """The chart in words, for its <desc> (the page's table says the same)."""

    def options(of: QuestionResult) -> str:
        return _("; ").join(f"{c.label} {c.share}%（{c.count}）" for c in of.choices)

    parts = [_("%(n)s answered: %(options)s.") % {"n": result.respondents, "options": options(result)}]
    if result.mean is not None:
        parts.append(_("The mean is %(mean)s.") % {"mean": result.mean})
    if charted(previous):
        values = {"n": previous.respondents, "options": options(previous)}
        parts.append(_("The previous half year, %(n)s answered: %(options)s.") % values)
    return " ".join(parts)


def question_chart_svg(result: QuestionResult, *, title: str, previous: QuestionResult | None = None) -> str:
    """A question's answers as horizontal bars of the share (%) of each option (or scale value), the previous half
    year's beside them in grey when it is shown too. Empty for a free-text question or a result not shown (fewer
    than 5 answers). Cached under its own figures: pygal takes ~15 ms a chart, a summary has about fifteen."""
    if not charted(result):
        return ""
    compared = previous if charted(previous) and len(previous.choices) == len(result.choices) else None
    key = ":".join(
        [title, get_language() or "", result.kind, _figures(result), _figures(compared) if compared else "-"]
    )
    key = "courses:survey-chart:" + hashlib.sha256(key.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = str(_draw(result, title=title, previous=compared))
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - drawn by pygal, which escapes every text it writes


def _draw(result: QuestionResult, *, title: str, previous: QuestionResult | None) -> SafeString:
    import pygal
    from pygal.style import Style

    from portal.charts import FONT_FAMILY, inline_svg

    colours = (THIS_COLOUR, PREVIOUS_COLOUR) if previous else (THIS_COLOUR,)
    style = Style(
        background="transparent", plot_background="transparent", font_family=FONT_FAMILY, label_font_size=13,
        major_label_font_size=13, legend_font_size=13, value_font_size=12, colors=colours,
    )  # fmt: skip
    labels = [c.label for c in result.choices]
    bars_per_option = 2 if previous else 1
    chart = pygal.HorizontalBar(
        style=style, range=(0, 100), y_labels=[0, 25, 50, 75, 100], print_values=True, show_legend=bool(previous),
        legend_at_bottom=True, truncate_label=-1, js=[], disable_xml_declaration=True, explicit_size=False,
        classes=["portal-chart"], width=640, height=70 + 26 * bars_per_option * max(len(labels), 1), margin=8,
        spacing=10,
    )  # fmt: skip
    # pygal draws the first label at the bottom: reversed, so the options read top-down as on the form.
    chart.x_labels = list(reversed(labels))
    chart.margin_left = 8 + _wide_text_extra(labels)
    chart.add(_("Share this half year"), [_bar(c.share) for c in reversed(result.choices)])
    if previous:
        chart.add(_("Share the previous half year"), [_bar(c.share) for c in reversed(previous.choices)])
    return inline_svg(chart, title=title, description=describe(result, previous=previous))


def _bar(share) -> dict:
    return {"value": float(share), "formatter": lambda v: f"{v:g}%"}


def _wide_text_extra(labels: list[str]) -> int:
    """pygal sizes a label as 0.6 em a character; a Chinese character is a whole em (portal.charts does the same)."""
    wide = max((sum(ord(char) >= 0x2E80 for char in label) for label in labels), default=0)
    return round(wide * 0.45 * 13)


# ---------------------------------------------------------------------------------------------------
# The workbook


def _share(value) -> float | None:
    """A share in per cent as a spreadsheet fraction (formatted 0.0%); None stays empty."""
    return None if value is None else float(value) / 100


def _question_label(question) -> str:
    labels = [question.get_topic_display() if question.topic else "", question.get_need_display() if question.need
              else ""]  # fmt: skip
    return " / ".join(str(label) for label in labels if label)


def summary_workbook(summary) -> bytes:
    """The half-year summary (courses.selectors.surveys.HalfYearSummary) as an xlsx: an overview, one row per option
    (or scale value) of every question with this half year's count and share beside the previous half year's and
    the change, the means, and the free-text answers (sorted, as the page lists them). Counts and words only: a
    respondent appears nowhere, and a question under 5 answers says so instead of its figures."""
    from credits.reports import PERCENT_FORMAT, _save, _Sheet, _workbook, escape_formula

    workbook = _workbook()
    survey, period, previous_period = summary.survey, summary.period, summary.previous_period
    overview = _Sheet(workbook, _("Overview of the survey"), [(_("Item"), 26), (_("Value"), 60)])
    for item, value in (
        (_("Survey title"), survey.title),
        (_("Code"), survey.code),
        (_("Questionnaire used"), survey.questionnaire.title),
        (_("Half year"), period.label()),
        (_("Open from – to"), f"{survey.opens_on.isoformat()} – {survey.closes_on.isoformat()}"),
        (_("Responses in the half year"), summary.results.respondents),
        (_("Compared with the half year"), previous_period.label()),
        (_("Responses then (every survey of the questionnaire)"), summary.previous.respondents),
        (
            _("What is shown"),
            _("Figures of a question with fewer than %(n)s answers are not shown.") % {"n": MIN_GROUP_SIZE},
        ),
    ):
        overview.append([escape_formula(str(item)), escape_formula(value) if isinstance(value, str) else value])
    overview.close()

    columns = [
        (_("Question no."), 8), (_("Question text"), 44), (_("Topic and level of need"), 22), (_("Option"), 26),
        (_("Answers to the question"), 10), (_("Chosen by"), 9), (_("Share"), 9),
        (_("Share in the previous half year"), 14), (_("Change (points)"), 14),
    ]  # fmt: skip
    sheet = _Sheet(workbook, _("Results by question"), columns)
    for number, item in enumerate(summary.questions, start=1):
        question, now, before = item.question, item.now, item.before
        head = [number, escape_formula(question.text), escape_formula(_question_label(question))]
        if not now.shown:
            hidden = _("Fewer than %(n)s answers: figures not shown") % {"n": MIN_GROUP_SIZE}
            sheet.append([*head, escape_formula(str(hidden)), now.respondents, None, None, None, None])
            continue
        if not now.choices:  # a free-text question: its answers are on the next sheet
            sheet.append([*head, escape_formula(str(_("Free text (see the sheet of answers)"))), now.respondents,
                          None, None, None, None])  # fmt: skip
            continue
        for index, tally in enumerate(now.choices):
            old = before.choices[index].share if before is not None and index < len(before.choices) else None
            change = item.share_changes[index] if index < len(item.share_changes) else None
            sheet.append([
                *head, escape_formula(tally.label), now.respondents, tally.count,
                sheet.cell(_share(tally.share), PERCENT_FORMAT),
                sheet.cell(_share(old), PERCENT_FORMAT) if old is not None else None,
                float(change) if change is not None else None,
            ])  # fmt: skip
        if now.mean is not None:
            sheet.append([
                # the mean in the share columns: this half year's, the previous one's and the change
                *head, escape_formula(str(_("Mean of the scale (1–5)"))), now.respondents, None,
                sheet.cell(float(now.mean), MEAN_FORMAT),
                sheet.cell(float(before.mean), MEAN_FORMAT) if before is not None and before.mean is not None else None,
                float(item.mean_change) if item.mean_change is not None else None,
            ])  # fmt: skip
    sheet.close()

    texts = _Sheet(workbook, _("Written answers"), [(_("Question text"), 44), (_("Written answer"), 90)])
    for question, answers in summary.texts:
        for answer in answers:  # sorted by the selector, never in the order they came
            texts.append([escape_formula(question.text), escape_formula(answer)])
    texts.close()
    out = _save(workbook, BytesIO())
    return out.getvalue()
