"""Report writers: the year's city or unit workbook, the rankings workbook, and the registration form and training
archive as PDF.

Workbooks are written with openpyxl's write-only mode (rows go to the file as they are read; no whole workbook in
memory) into a file: the export job's (``exports.services.run_export_job``, in the background, never inside a request:
the city report for 100,000 officials takes ~14 s) or an anonymous temporary file. ``progress(rows)`` is told how many
rows are written after every batch of ``chunk_size`` rows read from the cursor (the job's progress and heartbeat).

Every text cell goes through ``escape_formula`` (a spreadsheet opens ``=…``, ``+…``, ``-…`` and ``@…`` as a formula).
Labels are in the active language (Chinese by default), looked up once per workbook, not per row.

Every sheet and PDF follows the year's policy: its categories, its grades, and the figures it stores beside them
(``credits.selectors.reports.policy_figures``: baoji-2009's earned, carry in, effective, carry out and five-year
cycle; the total column is the effective credits then). Study hours (RULES §3) are in every year's report: summed
for the whole year in one aggregate (``credits.selectors.hours.hours_by_official``), never a query per official.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape as xml_escape

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from organisation.models import Rank, Unit
from portal.templatetags.credits_tags import points

from .models import Category, ExemptionReason, Kind
from .pdf_fonts import cjk_font
from .policies import (
    FLAG_LABELS,
    GRADE_LABELS,
    QUANTITY_UNITS,
    VETO_LABELS,
    category_label,
    policy_label,
    policy_of_year,
)
from .rules import Policy
from .rules.common import cycle_of
from .rules.hours import HoursResult, judge_hours
from .selectors.hours import hours_by_official, official_hours
from .selectors.reports import (
    AFTER_TOTAL,
    BEFORE_TOTAL,
    CARRY_FIGURES,
    CYCLE_FIGURES,
    REPORT_CHUNK,
    GradeDistribution,
    ScoreFigures,
    UnitSummary,
    figure_words,
    hours_by_year,
    official_rows,
    policy_figures,
    ranking_rows,
    score_figures,
    total_words,
    unit_summaries,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
# A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice (tab and CR too: OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
LIST_SEPARATOR = "；"  # between vetoes or flags in one cell, as on the print pages
PERCENT_FORMAT = "0.0%"
SCORE_FORMAT = "0.0"


def escape_formula(value):
    """``value`` as it may go into a spreadsheet cell: a text starting with ``= + - @`` (or tab, CR) gets a leading
    ``'`` so it stays text (a formula-injection guard); anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return FORMULA_ESCAPE + value
    return value


def report_filename(kind: str, year: int, unit: Unit | None) -> str:
    """The ASCII file name (``filename=``, for tools that cannot read UTF-8 names; browsers get the name in the user's
    language from ``filename*``: kunshan_training/downloads.py): ``training-credits-2025-B01.xlsx``."""
    return f"{kind}-{year}{f'-{unit.code}' if unit is not None else ''}.xlsx"


def _labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in dict(choices).items()}


class _Sheet:
    """A write-only sheet with a bold, frozen header row, column widths and a filter over the rows written."""

    def __init__(self, workbook: Workbook, title: str, columns: list[tuple[str, float]]):
        self.ws = workbook.create_sheet(title=title[:31])
        self.width = len(columns)
        self.rows = 0
        for n, (_header, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(n)].width = width
        self.ws.freeze_panes = "A2"
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
        header = []
        for title_text, _width in columns:
            cell = WriteOnlyCell(self.ws, value=escape_formula(title_text))
            cell.font, cell.alignment = bold, wrap
            header.append(cell)
        self.ws.append(header)

    def append(self, values: Iterable) -> None:
        self.ws.append(values)
        self.rows += 1

    def cell(self, value, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = number_format
        return cell

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows + 1}"


def _workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = _("Cadre training portal")
    return workbook


def _save(workbook: Workbook, target: IO[bytes] | None) -> IO[bytes]:
    if target is None:  # the caller streams it out and closes it (FileResponse does), which deletes it
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(target)
    target.seek(0)
    return target


# ---------------------------------------------------------------------------------------------------
# The year report (city or unit)


Progress = Callable[[int], None]


def _told(rows: Iterable[tuple], progress: Progress | None, every: int) -> Iterator[tuple]:
    """``rows`` unchanged; ``progress(n)`` after every ``every`` rows and once at the end."""
    n = 0
    for n, row in enumerate(rows, start=1):
        yield row
        if progress is not None and n % every == 0:
            progress(n)
    if progress is not None:
        progress(n)


def write_year_report(
    user,
    *,
    year: int,
    unit: Unit | None = None,
    target: IO[bytes] | None = None,
    chunk_size: int = REPORT_CHUNK,
    progress: Progress | None = None,
) -> IO[bytes]:
    """The year's report as an ``.xlsx`` in ``target`` (default: a new temporary file), rewound for reading.

    Sheet 1 one row per official with a score of the year (with the policy's figures and the study hours); sheet 2
    one row per unit; sheet 3 the grade distribution. ``unit`` limits every sheet to that unit. Queries: the year's
    policy, one aggregate of the year's study hours, one streamed read of the rows, three for the unit figures —
    the same whatever the number of officials.
    """
    workbook = _workbook()
    policy = policy_of_year(year)
    hours = hours_by_official(year=year, officials=Q(official__unit=unit) if unit is not None else None)
    rows = official_rows(user, year=year, unit=unit, chunk_size=chunk_size)
    short = _officials_sheet(workbook, _told(rows, progress, chunk_size), policy, year=year, hours=hours)
    del hours  # the units sheet needs only the counts
    summaries = unit_summaries(user, year=year, unit=unit, policy=policy)
    _units_sheet(workbook, summaries, policy, hours_short=short)
    _grades_sheet(workbook, GradeDistribution.of(summaries), policy)
    return _save(workbook, target)


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else yes if value else no


def _official_columns() -> list[tuple[str, int]]:
    """Who the row is about: the same five columns, headers and widths, on every sheet of officials."""
    return [(_("Staff no."), 12), (_("Name"), 10), (_("Unit code"), 10), (_("Unit"), 22), (_("Post level"), 12)]


def _official_cells(staff_no: str, name: str, unit_code: str, unit_name: str, rank_label: str) -> tuple:
    return (*(escape_formula(text) for text in (staff_no, name, unit_code, unit_name)), rank_label)


def _officials_sheet(
    workbook: Workbook, rows: Iterable[tuple], policy: Policy, *, year: int, hours: dict
) -> Counter[str]:
    """Sheet 1; answers how many officials of each unit (by code) are short of the year's study hours."""
    codes = [spec.code for spec in policy.categories]
    figures = policy_figures(policy, year)
    words = figure_words()
    before = [key for key in BEFORE_TOTAL if key in figures]
    after = [key for key in AFTER_TOTAL if key in figures]
    cycle = CYCLE_FIGURES in figures
    first, last = cycle_of(year)
    span = {"first": first, "last": last}
    sheet = _Sheet(
        workbook,
        _("Officials"),
        [
            *_official_columns(),
            *((category_label(code), 11) for code in codes),
            *((words[key], 10) for key in before),
            (total_words(figures), 8),
            *((words[key], 10) for key in after),
            *(
                ((_("Credits of the cycle %(first)s–%(last)s") % span, 12), (_("Cycle credits met"), 10))
                if cycle
                else ()
            ),
            (_("Grade"), 8),
            (_("Exempt from assessment"), 10),
            (_("Reason for exemption"), 24),
            (_("Vetoes"), 28),
            (_("Consequences"), 36),
            (_("City rank"), 9),
            (_("Unit rank"), 9),
            (_("Study hours of the year"), 10),
            (_("Study hours required"), 10),
            (_("Study hours met"), 10),
            (_("Study hours of the cycle %(first)s–%(last)s") % span, 12),
            (_("Cycle hours required"), 10),
            (_("Cycle hours met"), 10),
        ],
    )
    grades, vetoes, flags = _labels(GRADE_LABELS), _labels(VETO_LABELS), _labels(FLAG_LABELS)
    ranks, reasons = _labels(Rank.choices), _labels(ExemptionReason.choices)
    yes, no = _("Yes"), _("No")
    esc = escape_formula
    none = (Decimal(0), Decimal(0))
    short: Counter[str] = Counter()
    for row in rows:
        (staff_no, name, unit_code, unit_name, rank, categories, total, grade, exempt, exempt_reason, exempt_note,
         veto_codes, flag_codes, city_rank, unit_rank, stored_figures, official_id) = row  # fmt: skip
        reason = reasons.get(exempt_reason, exempt_reason) if exempt else None
        if reason and exempt_note:
            reason = f"{reason}（{exempt_note}）"
        year_hours, cycle_hours = hours.get(official_id, none)
        studied = judge_hours(rank=rank, year=year, year_hours=year_hours, cycle_hours=cycle_hours)
        if studied.met is False:
            short[unit_code] += 1
        carried = _figure_cells(score_figures(stored_figures), before, after, cycle, yes, no) if figures else ((), ())
        sheet.append(
            (
                *_official_cells(staff_no, name, unit_code, unit_name, ranks.get(rank, rank)),
                *(_category_score(categories, code) for code in codes),
                *carried[0],
                total,
                *carried[1],
                None if exempt else grades.get(grade, grade) or None,
                yes if exempt else None,
                esc(reason),
                esc(LIST_SEPARATOR.join(vetoes.get(v, v) for v in veto_codes or ())) or None,
                esc(LIST_SEPARATOR.join(flags.get(f, f) for f in flag_codes or ())) or None,
                city_rank,
                unit_rank,
                studied.hours,
                studied.required,
                _yes_no(studied.met, yes, no),
                studied.cycle_hours,
                studied.cycle_required,
                _yes_no(studied.cycle_met, yes, no),
            )
        )
    sheet.close()
    return short


def _figure_cells(
    figures: ScoreFigures | None, before: list[str], after: list[str], cycle: bool, yes: str, no: str
) -> tuple[tuple, tuple]:
    """The carry figures of a row around its total: (before, after) cells."""
    values = figures._asdict() if figures is not None else {}
    after_cells = [values.get(key) for key in after]
    if cycle:
        after_cells += [values.get("cycle_earned"), _yes_no(values.get("cycle_passed"), yes, no)]
    return tuple(values.get(key) for key in before), tuple(after_cells)


def _category_score(categories, code: str) -> Decimal | None:
    """A category's stored score (JSON text on SQLite, a dict on PostgreSQL) as a number for the sheet."""
    if isinstance(categories, str):
        categories = json.loads(categories)
    found = (categories or {}).get(code)
    return Decimal(found["score"]) if found else None


def _units_sheet(
    workbook: Workbook, summaries: list[UnitSummary], policy: Policy, *, hours_short: Counter[str] | None = None
) -> None:
    grades = _labels(GRADE_LABELS)
    judged = [spec.code for spec in policy.categories if spec.pass_line is not None]
    sheet = _Sheet(
        workbook,
        _("Unit summaries"),
        [
            (_("Unit code"), 10),
            (_("Unit"), 22),
            (_("Number of officials"), 8),
            (_("Assessed"), 8),
            (_("Exempt from assessment"), 10),
            *((grades[grade], 8) for grade in policy.grades),
            (_("Failed by a veto"), 10),
            *(
                column
                for code in judged
                for column in (
                    (_("%(item)s: passed") % {"item": category_label(code)}, 14),
                    (_("%(item)s: pass rate") % {"item": category_label(code)}, 14),
                )
            ),
            (_("Central-group sessions held"), 12),
            *(
                ((_("Sessions required"), 10), (_("Sessions short"), 10))
                if policy.group_study_sessions_required
                else ()
            ),
            (_("Mean total of the assessed"), 12),
            (_("Unit flags"), 24),
            (_("Officials short of the year's study hours"), 12),
        ],
    )
    hours_short = hours_short if hours_short is not None else Counter()
    flags = _labels(FLAG_LABELS)
    for s in summaries:
        sheet.append(
            (
                escape_formula(s.code),
                escape_formula(s.name),
                s.officials,
                s.assessed,
                s.exempt,
                *(s.grades.get(grade, 0) for grade in policy.grades),
                s.vetoed,
                *(
                    value
                    for code in judged
                    for value in (s.passed.get(code, 0), sheet.cell(s.rate(code), PERCENT_FORMAT))
                ),
                s.sessions,
                *((s.sessions_required, s.sessions_short) if policy.group_study_sessions_required else ()),
                sheet.cell(s.mean_total, SCORE_FORMAT),
                escape_formula(LIST_SEPARATOR.join(flags.get(f, f) for f in s.flags)) or None,
                hours_short[s.code],
            )
        )
    sheet.close()


def _grades_sheet(workbook: Workbook, distribution: GradeDistribution, policy: Policy) -> None:
    grades = _labels(GRADE_LABELS)
    sheet = _Sheet(
        workbook,
        _("Grade distribution"),
        [(_("Grade"), 22), (_("Headcount"), 10), (_("Share of the assessed"), 14)],
    )
    for grade in policy.grades:
        count = distribution.grades.get(grade, 0)
        sheet.append((grades[grade], count, sheet.cell(distribution.share(count), PERCENT_FORMAT)))
    for label, count in (
        (_("Assessed officials"), distribution.assessed),
        (_("Failed by a veto"), distribution.vetoed),
    ):
        sheet.append((label, count, sheet.cell(distribution.share(count), PERCENT_FORMAT)))
    sheet.append((_("Exempt from assessment"), distribution.exempt, None))
    sheet.close()


# ---------------------------------------------------------------------------------------------------
# Rankings


def write_rankings(
    user,
    *,
    year: int,
    unit: Unit | None = None,
    target: IO[bytes] | None = None,
    chunk_size: int = REPORT_CHUNK,
    progress: Progress | None = None,
) -> IO[bytes]:
    """The year's rankings as an ``.xlsx``: the assessed officials of the city by city rank, or of one unit by unit
    rank (RULES §1.7; exempt officials have no rank). Two queries: the year's policy, the streamed rows."""
    workbook = _workbook()
    figures = policy_figures(policy_of_year(year), year)
    sheet = _Sheet(
        workbook,
        _("Rankings"),
        [
            (_("City rank"), 9),
            (_("Unit rank"), 9),
            *_official_columns(),
            (total_words(figures), 8),
            (_("Grade"), 8),
            (_("Vetoes"), 28),
        ],
    )
    grades, vetoes, ranks = _labels(GRADE_LABELS), _labels(VETO_LABELS), _labels(Rank.choices)
    esc = escape_formula
    rows = _told(ranking_rows(user, year=year, unit=unit, chunk_size=chunk_size), progress, chunk_size)
    for city_rank, unit_rank, staff_no, name, unit_code, unit_name, rank, total, grade, veto_codes in rows:
        sheet.append(
            (
                city_rank,
                unit_rank,
                *_official_cells(staff_no, name, unit_code, unit_name, ranks.get(rank, rank)),
                total,
                grades.get(grade, grade) or None,
                esc(LIST_SEPARATOR.join(vetoes.get(v, v) for v in veto_codes or ())) or None,
            )
        )
    sheet.close()
    return _save(workbook, target)


# ---------------------------------------------------------------------------------------------------
# Registration form and training archive as PDF (reportlab; the CJK font is embedded: credits/pdf_fonts.py)

PAGE_MARGINS = (12 * mm, 14 * mm)  # top/bottom, left/right: as the print pages (@page A4, 12mm 14mm)
TEXT_WIDTH = A4[0] - 2 * PAGE_MARGINS[1]
GRID = colors.black
HEADER_FILL = colors.HexColor("#f3f3f3")
YEAR_HEADING_ROOM = 45 * mm  # a year's heading starts a new page only when its first rows would not fit under it


def _font() -> str:
    return cjk_font()


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10.5, alignment=TA_CENTER, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "year": ParagraphStyle("year", parent=body, fontSize=12, leading=17, spaceBefore=10, spaceAfter=4),
        "body": body,
        "num": ParagraphStyle("num", parent=body, alignment=TA_RIGHT),
        "date": ParagraphStyle("date", parent=body, alignment=TA_RIGHT, rightIndent=22 * mm),  # room to write it
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "notice": ParagraphStyle(
            "notice", parent=body, fontSize=9, borderColor=GRID, borderWidth=0.6, borderPadding=4, spaceAfter=8
        ),
    }


def _p(text, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: reportlab reads markup, so names and notes are escaped."""
    return Paragraph(xml_escape("" if text is None else str(text)), style)


def _table(
    rows: list[list], widths: list[float], styles: dict, *, header: bool = True, numeric=(), label_columns=()
) -> Table:
    """A ruled table like the print pages' ``paper-table``: cells wrap, the header row repeats on each page."""
    cells = [
        [cell if isinstance(cell, Flowable) else _p(cell, styles["num" if n in numeric else "body"]) for n, cell in
         enumerate(row)]
        for row in rows
    ]  # fmt: skip
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    commands += [("BACKGROUND", (column, 0), (column, -1), HEADER_FILL) for column in label_columns]
    table.setStyle(TableStyle(commands))
    return table


def _records_table(records, styles: dict) -> Table:
    categories, kinds = _labels(Category.choices), _labels(Kind.choices)
    rows = [[_("No."), _("Date"), _("Category"), _("Kind"), _("Quantity"), _("Note")]]
    for n, record in enumerate(records, start=1):
        unit = QUANTITY_UNITS.get(record.kind, "")
        rows.append(
            [
                n,
                record.occurred_on.isoformat(),
                categories.get(record.category, record.category),
                kinds.get(record.kind, record.kind),
                f"{points(record.quantity)} {unit}".strip(),
                record.note,
            ]
        )
    if not records:
        rows.append([_("No approved records."), "", "", "", "", ""])
    table = _table(rows, [w * mm for w in (11, 23, 27, 45, 22, 54)], styles, numeric=(0,))
    if not records:
        table.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    return table


def _kinds_table(kinds, styles: dict) -> Table:
    """The registration form's records summed by kind (``records_by_kind``): one line per kind, so the form
    fits one A4 page however many records there are."""
    categories, kinds_labels = _labels(Category.choices), _labels(Kind.choices)
    rows = [[_("Category"), _("Kind"), _("Records"), _("Quantity"), _("Dates")]]
    for total in kinds:
        unit = QUANTITY_UNITS.get(total.kind, "")
        dates = total.first.isoformat()
        if total.last != total.first:
            dates += f" – {total.last.isoformat()}"
        rows.append(
            [
                categories.get(total.category, total.category),
                kinds_labels.get(total.kind, total.kind),
                total.count,
                f"{points(total.quantity)} {unit}".strip(),
                dates,
            ]
        )
    if not kinds:
        rows.append([_("No approved records."), "", "", "", ""])
    table = _table(rows, [w * mm for w in (28, 52, 16, 30, 56)], styles, numeric=(2, 3))
    if not kinds:
        table.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    return table


def _met_words() -> dict[bool, str]:
    return {True: _("met"), False: _("not met")}


def _bracket(text: str) -> str:
    return f"（{text}）"


def _carry_text(figures: ScoreFigures) -> str:
    """The year's carry figures (baoji-2009) on one line: earned, carried in, effective, carried out, the cycle."""
    words = figure_words()
    parts = [f"{words[key]} {points(getattr(figures, key))}" for key in CARRY_FIGURES]
    if figures.cycle_first_year is not None:
        span = {"first": figures.cycle_first_year, "last": figures.cycle_last_year}
        label = _("Credits of the cycle %(first)s–%(last)s") % span
        cycle = f"{label} {points(figures.cycle_earned)}"
        if figures.cycle_passed is not None:
            cycle += _bracket(_met_words()[figures.cycle_passed])
        else:
            cycle += _bracket(_("judged in %(year)s") % {"year": figures.cycle_last_year})
        parts.append(cycle)
    return LIST_SEPARATOR.join(parts)


def _form_hours(context: dict) -> HoursResult:
    """The form's study hours: the context's when it has them, else one query for the official's year."""
    found = context.get("hours")
    if isinstance(found, HoursResult):
        return found
    return official_hours(official=context["official"], year=context["year"])


def _hours_text(hours: HoursResult) -> tuple[str, str]:
    """(the year's hours, the cycle's hours) against the requirement, in words."""
    yes_no = _met_words()
    if hours.required is None:
        year, cycle = (_("%(hours)s hours") % {"hours": points(h)} for h in (hours.hours, hours.cycle_hours))
        return year + _bracket(_("no requirement for the post level")), cycle
    year = _("%(hours)s of %(required)s required") % {"hours": points(hours.hours), "required": points(hours.required)}
    year += f"（{yes_no[hours.met]}）"
    cycle = _("%(hours)s of %(required)s required") % {
        "hours": points(hours.cycle_hours),
        "required": points(hours.cycle_required),
    }
    if hours.cycle_met is None:
        cycle += _bracket(_("judged in %(year)s") % {"year": hours.cycle_last_year})
    else:
        cycle += f"（{yes_no[hours.cycle_met]}）"
    return year, cycle


def _hours_rows(hours: HoursResult) -> list[list[str]]:
    """The form's row of study hours: the year's and the cycle's, against the post level's requirement."""
    year, cycle = _hours_text(hours)
    span = {"first": hours.cycle_first_year, "last": hours.cycle_last_year}
    text = _("This year %(year)s; cycle %(first)s–%(last)s %(cycle)s") % {"year": year, "cycle": cycle, **span}
    return [[_("Study hours"), text]]


def _grade_text(score, exemption=None) -> str:
    if score is None:
        return _("Not assessed yet")
    if score.exempt:
        reason = _labels(ExemptionReason.choices).get(score.exempt_reason, score.exempt_reason)
        note = f"（{exemption.note}）" if exemption is not None and exemption.note else ""
        return f"{_('Exempt from assessment')}: {reason}{note}"
    return str(GRADE_LABELS.get(score.grade, score.grade or "")) or _("Not assessed yet")


def _build_pdf(story: list, *, title: str, footer: str) -> bytes:
    buffer = io.BytesIO()
    font = _font()

    def page_footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(PAGE_MARGINS[1], 8 * mm, footer)
        canvas.drawRightString(A4[0] - PAGE_MARGINS[1], 8 * mm, _("Page %(page)s") % {"page": document.page})
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=PAGE_MARGINS[0],
        bottomMargin=PAGE_MARGINS[0],
        leftMargin=PAGE_MARGINS[1],
        rightMargin=PAGE_MARGINS[1],
        title=title,
        initialFontName=font,  # no unused Helvetica in the file: every font in it is the embedded one
        author=_("Cadre training portal"),
        creator=_("Cadre training portal"),
    )
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()


def registration_form_pdf(context: dict) -> bytes:
    """The training section of 《干部年度考核登记表》 as a PDF, from ``registration_form_context`` (the same
    figures and wording as the print page)."""
    styles = _styles()
    official, unit, year, score = context["official"], context["unit"], context["year"], context["score"]
    snapshot = context["snapshot"]
    story: list = [
        _p(_("Annual appraisal registration form for cadres"), styles["title"]),
        _p(_("Education and training section · %(year)s") % {"year": year}, styles["subtitle"]),
    ]
    notices = []
    if context.get("updating"):
        notices.append(_("Scores are being updated: a recent change is not counted yet."))
    if not context.get("published"):
        notices.append(_("The results of this year are not yet published by the training section; for reference only."))
    if notices:
        story.append(_p(" ".join(notices), styles["notice"]))
    half = TEXT_WIDTH / 2
    policy = policy_label(context["policy"].code)
    story.append(
        _table(
            [
                [_("Name"), official.name, _("Staff no."), official.staff_no],
                [_("Unit"), unit.name, _("Post level"), official.get_rank_display()],
                [_("Assessment year"), year, _("Assessment rules"), policy],
            ],
            [0.3 * half, 0.7 * half, 0.3 * half, 0.7 * half],
            styles,
            header=False,
            label_columns=(0, 2),
        )
    )
    story.append(_p(_("Training credits"), styles["h2"]))
    categories = _labels(Category.choices)
    rows = [[_("Category"), _("Cap"), _("Pass line"), _("Score"), _("Line met")]]
    for row in context["categories"]:
        met = "—" if row["line"] is None or snapshot.exempt else _("Yes") if row["passed"] else _("No")
        line = points(row["line"]) if row["line"] is not None else "—"
        cap = points(row["cap"]) if row["cap"] is not None else "—"
        rows.append([categories.get(row["code"], row["code"]), cap, line, points(row["score"]), met])
    caps = [row["cap"] for row in context["categories"]]
    whole = points(sum(caps)) if caps and None not in caps else "—"
    figures = score_figures(score.figures) if score is not None else None
    total_label = total_words(policy_figures(context["policy"], year))
    rows.append([total_label, whole, "—", points(snapshot.total), ""])
    story.append(_table(rows, [w * mm for w in (62, 28, 28, 32, 32)], styles, numeric=(1, 2, 3)))
    story.append(Spacer(1, 4 * mm))
    vetoes, notes = _labels(VETO_LABELS), {v.reason: v.note for v in context.get("recorded_vetoes", [])}
    veto_text = LIST_SEPARATOR.join(
        vetoes.get(code, code) + (f"（{notes[code]}）" if notes.get(code) else "")
        for code in (score.vetoes if score else [])
    )
    rows = [[_("Grade"), _grade_text(score, context.get("exemption"))], [_("Veto"), veto_text or _("None")]]
    if score is not None and score.flags:
        flags = _labels(FLAG_LABELS)
        rows.append([_("Consequences"), LIST_SEPARATOR.join(flags.get(f, f) for f in score.flags)])
    if score is not None and score.city_rank:
        rows.append(
            [_("Ranking"), _("City %(city)s, unit %(unit)s") % {"city": score.city_rank, "unit": score.unit_rank}]
        )
    if figures is not None:
        rows.append([_("Credits and carry-over"), _carry_text(figures)])
    rows += _hours_rows(_form_hours(context))
    story.append(_table(rows, [30 * mm, TEXT_WIDTH - 30 * mm], styles, header=False, label_columns=(0,)))
    records = context["records"]
    heading = ngettext(
        "Approved training record (%(counter)s)", "Approved training records (%(counter)s)", len(records)
    ) % {"counter": len(records)}
    story += [
        _p(heading, styles["h2"]),
        _kinds_table(context["kinds"], styles),
        Spacer(1, 1.5 * mm),
        _p(_("Each approved record is listed in the training archive."), styles["small"]),
    ]
    boxes = [
        [_p(label, styles["body"]), Spacer(1, 11 * mm), _p(_("Date:"), styles["date"])]
        for label in (_("Official's signature"), _("Unit's opinion (seal)"), _("Organization department's review"))
    ]
    signatures = Table([boxes], colWidths=[TEXT_WIDTH / 3] * 3)
    signatures.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    today = timezone.localdate().isoformat()
    printed_line = _p(_("Printed from the cadre training portal on %(printed)s.") % {"printed": today}, styles["small"])
    story.append(KeepTogether([_p(_("Signatures"), styles["h2"]), signatures, Spacer(1, 3 * mm), printed_line]))
    title = _("Registration form %(year)s, %(name)s") % {"year": year, "name": official.name}
    return _build_pdf(story, title=title, footer=f"{official.name} · {official.staff_no} · {year}")


def archive_pdf(context: dict) -> bytes:
    """The official's training archive as a PDF, from ``archive_context``: every year's result, every approved
    record, year by year (newest first), as the print page."""
    styles = _styles()
    official, unit = context["official"], context["unit"]
    story: list = [
        _p(_("Cadre training archive"), styles["title"]),
        _p(
            " · ".join([official.name, official.staff_no, unit.name, str(official.get_rank_display())]),
            styles["subtitle"],
        ),
    ]
    years = context["years"]
    grades, vetoes = _labels(GRADE_LABELS), _labels(VETO_LABELS)
    reasons = _labels(ExemptionReason.choices)
    hours = hours_by_year(
        (record for entry in years for record in entry["records"]),
        rank=official.rank,
        years=[entry["year"] for entry in years],
    )
    words = figure_words()

    def grade_of(score) -> str:
        if score is None:
            return "—"
        if score.exempt:
            return f"{_('Exempt')}（{reasons.get(score.exempt_reason, score.exempt_reason)}）"
        return grades.get(score.grade, score.grade) or "—"

    if years:
        story.append(_p(_("Results by year"), styles["h2"]))
        rows = [
            [_("Year"), _("Total"), _("Grade"), _("City rank"), _("Unit rank"), _("Study hours"), _("Approved records")]
        ]
        for entry in years:
            score = entry["score"]
            studied = hours[entry["year"]]
            rows.append(
                [
                    entry["year"],
                    points(score.total) if score else "—",
                    grade_of(score),
                    (score.city_rank if score else None) or "—",
                    (score.unit_rank if score else None) or "—",
                    points(studied.hours) + (f" / {points(studied.required)}" if studied.required is not None else ""),
                    len(entry["records"]),
                ]
            )
        widths = (16, 20, 46, 20, 20, 32, 28)
        story.append(_table(rows, [w * mm for w in widths], styles, numeric=(1, 3, 4, 5, 6)))
        for entry in years:
            score = entry["score"]
            parts = [_("Year %(y)s") % {"y": entry["year"]}]
            if score is not None:
                figures = score_figures(score.figures)
                if figures is not None:
                    parts += [f"{words[key]} {points(getattr(figures, key))}" for key in CARRY_FIGURES]
                else:
                    parts.append(f"{_('total')} {points(score.total)}")
                if score.exempt or score.grade:
                    parts.append(_("Exempt") if score.exempt else grades.get(score.grade, score.grade))
                parts += [vetoes.get(code, code) for code in score.vetoes]
            parts.append(_("study hours %(hours)s") % {"hours": points(hours[entry["year"]].hours)})
            # The heading goes with the first rows, not the whole table: keepWithNext would keep it with all the
            # year's records and push both to a new page, leaving the first page nearly empty.
            story += [
                CondPageBreak(YEAR_HEADING_ROOM),
                _p(" · ".join(parts), styles["year"]),
                _records_table(entry["records"], styles),
            ]
    else:
        story.append(_p(_("No training on record yet."), styles["body"]))
    printed = timezone.localdate().isoformat()
    closing = _("%(count)s approved records in all. Printed from the cadre training portal on %(printed)s.")
    story += [Spacer(1, 4 * mm), _p(closing % {"count": context["record_count"], "printed": printed}, styles["small"])]
    title = _("Training archive, %(name)s") % {"name": official.name}
    return _build_pdf(story, title=title, footer=f"{official.name} · {official.staff_no}")
