"""The pool list and a reserve's file as xlsx (openpyxl write-only) and PDF (reportlab, the project's embedded CJK
font), with the report writers' helpers of ``credits/reports.py``: the bold frozen header and filter, the formula
guard on every text cell, the ruled tables and the page footer."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import IO

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from credits.reports import (
    LIST_SEPARATOR,
    PDF_CONTENT_TYPE,
    TEXT_WIDTH,
    XLSX_CONTENT_TYPE,
    _build_pdf,
    _p,
    _save,
    _Sheet,
    _styles,
    _table,
    _workbook,
    escape_formula,
)

from .models import Reserve

__all__ = ["PDF_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "as_file", "file_pdf", "file_xlsx", "pool_pdf", "pool_xlsx"]


def as_file(content: bytes) -> IO[bytes]:
    return io.BytesIO(content)


def _flags_text(row) -> str:
    from .tables import flag_words

    return LIST_SEPARATOR.join(flag_words(row.flags)) if row is not None else ""


def _soon_text(row) -> str:
    return row.soon_too_old.isoformat() if row is not None and row.soon_too_old else ""


def _pool_rows(reserves: Iterable[Reserve], flags: dict) -> Iterable[list]:
    for reserve in reserves:
        official, row = reserve.official, flags.get(reserve.pk)
        yield [
            official.staff_no,
            official.name,
            official.unit.name,
            reserve.get_level_display(),
            reserve.get_stream_display(),
            reserve.decided_on.isoformat(),
            reserve.get_status_display(),
            _flags_text(row),
            _soon_text(row),
        ]


def _pool_headers() -> list[str]:
    return [_("Staff no."), _("Name"), _("Unit"), _("Level"), _("Stream"), _("Decided on"), _("Status"), _("Flags"),
            _("Too old from")]  # fmt: skip


def pool_xlsx(reserves: Iterable[Reserve], flags: dict, *, day: date) -> IO[bytes]:
    """The pool list (one row per reserve, with the flags judged on ``day``) as an xlsx, rewound for reading."""
    workbook = _workbook()
    widths = (12, 10, 24, 16, 18, 12, 10, 36, 12)
    sheet = _Sheet(workbook, _("Reserve cadres"), list(zip(_pool_headers(), widths, strict=True)))
    for values in _pool_rows(reserves, flags):
        sheet.append([escape_formula(v) for v in values])
    sheet.close()
    return _save(workbook, None)


def pool_pdf(reserves: Iterable[Reserve], flags: dict, *, day: date) -> bytes:
    styles = _styles()
    rows = [_pool_headers()[1:]] + [values[1:] for values in _pool_rows(reserves, flags)]
    if len(rows) == 1:
        rows.append([_("No reserve matches these filters."), "", "", "", "", "", "", ""])
    widths = [w * mm for w in (16, 34, 20, 22, 20, 14, 36, 20)]
    scale = TEXT_WIDTH / sum(widths)
    story = [
        _p(_("Reserve cadre pool"), styles["title"]),
        _p(_("Flags judged on %(day)s") % {"day": day.isoformat()}, styles["subtitle"]),
        _table(rows, [w * scale for w in widths], styles),
    ]
    return _build_pdf(story, title=_("Reserve cadre pool"), footer=day.isoformat())


def _entry_rows(entries) -> list[list[str]]:
    return [
        [e["on"].isoformat() if e["on"] else "", e["label"], " ".join(t for t in (e["title"], e["details"]) if t)]
        for e in entries
    ]


def _file_headers() -> list[str]:
    return [_("Date"), _("Entry"), _("Details")]


def _facts(reserve: Reserve, flags: list[str], day: date) -> list[tuple[str, str]]:
    official = reserve.official
    return [
        (_("Name"), official.name),
        (_("Staff no."), official.staff_no),
        (_("Unit"), official.unit.name),
        (_("Level"), reserve.get_level_display()),
        (_("Stream"), reserve.get_stream_display()),
        (_("Decided on"), reserve.decided_on.isoformat()),
        (_("Decision document"), reserve.decision_document),
        (_("Contact leader"), reserve.contact_leader),
        (_("Status"), reserve.get_status_display()),
        (_("Flags on %(day)s") % {"day": day.isoformat()}, LIST_SEPARATOR.join(flags) or _("None")),
    ]


def file_xlsx(reserve: Reserve, entries, *, flags: list[str], day: date) -> IO[bytes]:
    """The reserve's file: a sheet of the facts, a sheet of the timeline."""
    workbook = _workbook()
    facts = _Sheet(workbook, _("Reserve cadre"), [(_("Item"), 22), (_("Value"), 48)])
    for label, value in _facts(reserve, flags, day):
        facts.append([escape_formula(str(label)), escape_formula(str(value or ""))])
    facts.close()
    timeline = _Sheet(workbook, _("Timeline"), list(zip(_file_headers(), (12, 24, 80), strict=True)))
    for values in _entry_rows(entries):
        timeline.append([escape_formula(v) for v in values])
    timeline.close()
    return _save(workbook, None)


def file_pdf(reserve: Reserve, entries, *, flags: list[str], day: date) -> bytes:
    styles = _styles()
    official = reserve.official
    half = TEXT_WIDTH / 2
    facts = _facts(reserve, flags, day)
    pairs = [[*facts[i], *(facts[i + 1] if i + 1 < len(facts) else ("", ""))] for i in range(0, len(facts), 2)]
    rows = [_file_headers(), *_entry_rows(entries)]
    story = [
        _p(_("Reserve cadre file"), styles["title"]),
        _p(f"{official.name} · {official.staff_no} · {official.unit.name}", styles["subtitle"]),
        _table(pairs, [0.3 * half, 0.7 * half, 0.3 * half, 0.7 * half], styles, header=False, label_columns=(0, 2)),
        _p(_("Timeline"), styles["h2"]),
        _table(rows, [24 * mm, 36 * mm, TEXT_WIDTH - 60 * mm], styles),
    ]
    title = _("Reserve cadre file %(name)s %(staff_no)s") % {"name": official.name, "staff_no": official.staff_no}
    return _build_pdf(story, title=title, footer=f"{official.name} · {official.staff_no} · {day.isoformat()}")
