"""Report writers: the year's city or unit workbook, the rankings workbook, and the registration form and training
archive as PDF.

Workbooks are written with openpyxl's write-only mode (rows go to the file as they are read; no whole workbook in
memory) into an anonymous temporary file that the caller streams out (``FileResponse``) and that disappears when
closed. The choice over a Celery export job: the city report for 100,000 officials takes well under the request
ceiling (see ``bench/export_bench.py``), so nobody waits on a job row or polls for a file.

Every text cell goes through ``escape_formula`` (a spreadsheet opens ``=…``, ``+…``, ``-…`` and ``@…`` as a formula).
Labels are in the active language (Chinese by default), looked up once per workbook, not per row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from organisation.models import Rank, Unit
from portal.templatetags.credits_tags import FLAG_LABELS, GRADE_LABELS, VETO_LABELS

from .models import Category, ExemptionReason
from .rules.kunshan_2020 import CATEGORIES
from .selectors.reports import (
    GRADES,
    REPORT_CHUNK,
    GradeDistribution,
    UnitSummary,
    official_rows,
    ranking_rows,
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
    """ASCII file names (every browser and ``curl -OJ`` keep them): ``training-credits-2025-B01.xlsx``."""
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


def write_year_report(
    user, *, year: int, unit: Unit | None = None, target: IO[bytes] | None = None, chunk_size: int = REPORT_CHUNK
) -> IO[bytes]:
    """The year's report as an ``.xlsx`` in ``target`` (default: a new temporary file), rewound for reading.

    Sheet 1 one row per official with a score of the year; sheet 2 one row per unit; sheet 3 the grade
    distribution. ``unit`` limits every sheet to that unit. Queries: one streamed read of the rows, three for the
    unit figures — the same whatever the number of officials.
    """
    workbook = _workbook()
    _officials_sheet(workbook, official_rows(user, year=year, unit=unit, chunk_size=chunk_size))
    summaries = unit_summaries(user, year=year, unit=unit)
    _units_sheet(workbook, summaries)
    _grades_sheet(workbook, GradeDistribution.of(summaries))
    return _save(workbook, target)


def _officials_sheet(workbook: Workbook, rows: Iterable[tuple]) -> None:
    categories = _labels(Category.choices)
    sheet = _Sheet(
        workbook,
        _("Officials"),
        [
            (_("Staff no."), 12),
            (_("Name"), 10),
            (_("Unit code"), 10),
            (_("Unit"), 22),
            (_("Post level"), 12),
            *((categories[code], 11) for code in CATEGORIES),
            (_("Total"), 8),
            (_("Grade"), 8),
            (_("Exempt from assessment"), 10),
            (_("Reason for exemption"), 24),
            (_("Vetoes"), 28),
            (_("Consequences"), 36),
            (_("City rank"), 9),
            (_("Unit rank"), 9),
        ],
    )
    grades, vetoes, flags = _labels(GRADE_LABELS), _labels(VETO_LABELS), _labels(FLAG_LABELS)
    ranks, reasons = _labels(Rank.choices), _labels(ExemptionReason.choices)
    yes = _("Yes")
    esc = escape_formula
    for row in rows:
        (staff_no, name, unit_code, unit_name, rank, offjob, menu, online, group_study, self_study, total, grade,
         exempt, exempt_reason, exempt_note, veto_codes, flag_codes, city_rank, unit_rank) = row  # fmt: skip
        reason = reasons.get(exempt_reason, exempt_reason) if exempt else None
        if reason and exempt_note:
            reason = f"{reason}（{exempt_note}）"
        sheet.append(
            (
                esc(staff_no),
                esc(name),
                esc(unit_code),
                esc(unit_name),
                ranks.get(rank, rank),
                offjob,
                menu,
                online,
                group_study,
                self_study,
                total,
                None if exempt else grades.get(grade, grade) or None,
                yes if exempt else None,
                esc(reason),
                esc(LIST_SEPARATOR.join(vetoes.get(v, v) for v in veto_codes or ())) or None,
                esc(LIST_SEPARATOR.join(flags.get(f, f) for f in flag_codes or ())) or None,
                city_rank,
                unit_rank,
            )
        )
    sheet.close()


def _units_sheet(workbook: Workbook, summaries: list[UnitSummary]) -> None:
    grades = _labels(GRADE_LABELS)
    categories = _labels(Category.choices)
    sheet = _Sheet(
        workbook,
        _("Unit summaries"),
        [
            (_("Unit code"), 10),
            (_("Unit"), 22),
            (_("Number of officials"), 8),
            (_("Assessed"), 8),
            (_("Exempt from assessment"), 10),
            *((grades[grade], 8) for grade in GRADES),
            (_("Failed by a veto"), 10),
            (_("%(item)s: passed") % {"item": categories["menu"]}, 14),
            (_("%(item)s: pass rate") % {"item": categories["menu"]}, 14),
            (_("%(item)s: passed") % {"item": categories["online"]}, 12),
            (_("%(item)s: pass rate") % {"item": categories["online"]}, 12),
            (_("Central-group sessions held"), 12),
            (_("Sessions required"), 10),
            (_("Sessions short"), 10),
            (_("Mean total of the assessed"), 12),
        ],
    )
    for s in summaries:
        sheet.append(
            (
                escape_formula(s.code),
                escape_formula(s.name),
                s.officials,
                s.assessed,
                s.exempt,
                *(s.grades.get(grade, 0) for grade in GRADES),
                s.vetoed,
                s.menu_passed,
                sheet.cell(s.menu_rate, PERCENT_FORMAT),
                s.online_passed,
                sheet.cell(s.online_rate, PERCENT_FORMAT),
                s.sessions,
                s.sessions_required,
                s.sessions_short,
                sheet.cell(s.mean_total, SCORE_FORMAT),
            )
        )
    sheet.close()


def _grades_sheet(workbook: Workbook, distribution: GradeDistribution) -> None:
    grades = _labels(GRADE_LABELS)
    sheet = _Sheet(
        workbook,
        _("Grade distribution"),
        [(_("Grade"), 22), (_("Headcount"), 10), (_("Share of the assessed"), 14)],
    )
    for grade in GRADES:
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
    user, *, year: int, unit: Unit | None = None, target: IO[bytes] | None = None, chunk_size: int = REPORT_CHUNK
) -> IO[bytes]:
    """The year's rankings as an ``.xlsx``: the assessed officials of the city by city rank, or of one unit by unit
    rank (RULES §1.7; exempt officials have no rank). One streamed query."""
    workbook = _workbook()
    sheet = _Sheet(
        workbook,
        _("Rankings"),
        [
            (_("City rank"), 9),
            (_("Unit rank"), 9),
            (_("Staff no."), 12),
            (_("Name"), 10),
            (_("Unit code"), 10),
            (_("Unit"), 22),
            (_("Post level"), 12),
            (_("Total"), 8),
            (_("Grade"), 8),
            (_("Vetoes"), 28),
        ],
    )
    grades, vetoes, ranks = _labels(GRADE_LABELS), _labels(VETO_LABELS), _labels(Rank.choices)
    esc = escape_formula
    for city_rank, unit_rank, staff_no, name, unit_code, unit_name, rank, total, grade, veto_codes in ranking_rows(
        user, year=year, unit=unit, chunk_size=chunk_size
    ):
        sheet.append(
            (
                city_rank,
                unit_rank,
                esc(staff_no),
                esc(name),
                esc(unit_code),
                esc(unit_name),
                ranks.get(rank, rank),
                total,
                grades.get(grade, grade) or None,
                esc(LIST_SEPARATOR.join(vetoes.get(v, v) for v in veto_codes or ())) or None,
            )
        )
    sheet.close()
    return _save(workbook, target)
