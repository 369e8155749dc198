"""Reading the spreadsheets people really have into rows of cleaned cell values.

- ``.xlsx`` from Excel or WPS: the first sheet with a header row; merged cells (a merged header, a date merged over
  several rows) give every cell of the range the value of its top-left cell; formulas give their cached values, and a
  formula that was never calculated is marked (:data:`FORMULA_WITHOUT_VALUE`) so the row can say so.
- ``.csv``: UTF-8 with or without BOM, GBK/GB18030 as Excel and WPS save it in China, UTF-16 ("Unicode text");
  comma, semicolon or tab separated.
- Headers: the template's Chinese header or the code name, in any row among the first :data:`HEADER_SCAN_ROWS`
  (the first row holding every required header); ``*`` marks and a bracketed hint after the name are ignored.
- Cells: trimmed; codes, numbers and dates NFKC-normalised (full-width digits and punctuation become ASCII);
  whole floats become ints (Excel stores 12 as 12.0). Blank rows are skipped.
- An ``.xls`` (old binary Excel), a file of another type, an empty file or one over the size limit is refused with
  a message in plain words before anything is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER_SCAN_ROWS = 20
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, .doc and other old Office files
OTHER_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf")
TEXT_STRIP = " \t\r\n\u3000\xa0\ufeff"
SCAN_CHUNK = 1024 * 1024


class _NoHeader(Exception):
    """No header row in a sheet; ``missing`` are the required columns the best candidate row lacked."""

    def __init__(self, missing: set[Column]):
        self.missing = missing


class _Uncomputed:
    """A formula cell saved without a calculated value (files written by scripts, or Excel not saving values)."""

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_VALUE"


FORMULA_WITHOUT_VALUE = _Uncomputed()


@dataclass(frozen=True)
class Column:
    """One column of an import file: its code name, the template's Chinese header and other accepted headers."""

    code: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    free_text: bool = False  # kept as typed (only trimmed): names and notes keep their Chinese punctuation
    help: str = ""  # what to put in it (shown in the template's header comment)


@dataclass
class Table:
    columns: list[Column]  # found in the header, in file order
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number as the spreadsheet shows it, values)
    sheet: str = ""
    header_row: int = 1


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_size(size: int | None) -> None:
    """Refuse a file over the limit before it is read."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Split it into smaller files and import them one by one.")
            % {"mb": _megabytes(limit)}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))


def _megabytes(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"


def read_table(data: bytes, columns: Sequence[Column], *, name: str = "") -> Table:
    """The rows of an uploaded spreadsheet under the headers of ``columns``; ValidationError for a file problem."""
    check_size(len(data))
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "This is an old-style Excel file (.xls). Open it in Excel or WPS, save it as .xlsx "
                "(or CSV) and import that file."
            )
        )
    if head.startswith(XLSX_MAGIC):
        return _read_xlsx(data, columns)
    if any(head.startswith(magic) for magic in OTHER_MAGICS) or name.lower().endswith((".xls", ".ods", ".numbers")):
        raise _not_a_spreadsheet()
    return _read_csv(data, columns)


def _not_a_spreadsheet() -> ValidationError:
    return ValidationError(
        _("This file is not a spreadsheet we can read. Import an .xlsx or .csv file (download the template).")
    )


# ---------------------------------------------------------------------------------------------------
# Headers


def header_key(text) -> str:
    """Compare headers loosely: NFKC, no spaces, no ``*`` marks, no bracketed hint, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text).replace("*", "")
    text = re.sub(r"\(.*\)$", "", text)  # "数量(天/学时/次)" and "数量（天）" (NFKC made the brackets ASCII)
    return text.lower()


def _header_index(columns: Sequence[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for text in (column.code, column.header, *column.aliases):
            index[header_key(text)] = column
    return index


def _match_header(cells: Sequence, index: dict[str, Column]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    for position, value in enumerate(cells):
        if value is None or value is FORMULA_WITHOUT_VALUE:
            continue
        column = index.get(header_key(value))
        if column is not None:
            if column in found.values():
                raise ValidationError(
                    _("The column “%(column)s” appears twice in the header row.") % {"column": column.header}
                )
            found[position] = column
    return found


def _find_header(rows: Iterator[tuple[int, list]], columns: Sequence[Column]):
    """Consume rows up to the header; returns (header row number, {position: Column}) or the best near miss."""
    index = _header_index(columns)
    required = {c for c in columns if c.required}
    best: set[Column] = set()
    for number, cells in rows:
        if number > HEADER_SCAN_ROWS:
            break
        found = _match_header(cells, index)
        if required <= set(found.values()) and found:
            return number, found
        if len(set(found.values()) & required) > len(best):
            best = set(found.values()) & required
    return None, required - best


def _no_header(columns: Sequence[Column], missing: set[Column]) -> ValidationError:
    names = "、".join(f"“{c.header}”" for c in columns if c in missing) or "、".join(
        f"“{c.header}”" for c in columns if c.required
    )
    return ValidationError(
        _(
            "No header row found: none of the first %(n)s rows has the columns %(columns)s. "
            "Use the template, or put these headers in one row above the data."
        )
        % {"n": HEADER_SCAN_ROWS, "columns": names}
    )


# ---------------------------------------------------------------------------------------------------
# Cells


def clean_cell(value, *, free_text: bool = False):
    """A cell as the import widgets expect it: trimmed text or None, ints for whole floats, dates as they are."""
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return value
    if isinstance(value, str):
        if not free_text:
            value = unicodedata.normalize("NFKC", value)
        value = value.strip(TEXT_STRIP)
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime | date | time | int):
        return value
    return clean_cell(str(value), free_text=free_text)


def _table_rows(
    rows: Iterable[tuple[int, list]], columns: Sequence[Column]
) -> tuple[int, dict[int, Column], list[tuple[int, dict]]]:
    rows = iter(rows)
    header_row, found = _find_header(rows, columns)
    if header_row is None:
        raise _NoHeader(found)
    table_rows = []
    for number, cells in rows:
        values = {}
        for position, column in found.items():
            raw = cells[position] if position < len(cells) else None
            values[column.code] = clean_cell(raw, free_text=column.free_text)
        if all(v is None for v in values.values()):
            continue  # a blank line (or one with only unnamed columns filled)
        table_rows.append((number, values))
    return header_row, found, table_rows


# ---------------------------------------------------------------------------------------------------
# CSV


def decode_text(data: bytes) -> str:
    """BOM → its encoding; else UTF-8 if it decodes, else GB18030 (a superset of GBK, what Excel/WPS save in China)."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise _not_a_spreadsheet()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise _not_a_spreadsheet() from None


def _read_csv(data: bytes, columns: Sequence[Column]) -> Table:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    sample = "\n".join(text[:8192].split("\n")[:HEADER_SCAN_ROWS])
    delimiter = max(",\t;", key=lambda d: (sample.count(d), d == ","))
    if not any(d in sample for d in ",\t;") and "\n" not in text.strip() and len(first_line) > 200:
        raise _not_a_spreadsheet()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_row, found, rows = _table_rows(((n, row) for n, row in enumerate(reader, 1)), columns)
    except _NoHeader as error:
        raise _no_header(columns, error.missing) from None
    except csv.Error as error:
        raise ValidationError(_("The CSV file could not be read: %(error)s") % {"error": error}) from None
    return Table(columns=list(found.values()), rows=rows, sheet="", header_row=header_row)


# ---------------------------------------------------------------------------------------------------
# xlsx


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str) -> tuple[list[str], bool]:
    """The merged ranges and whether any formula is present, read from the sheet's XML in chunks.

    openpyxl's read-only mode (needed for big files) does not report merged cells.
    """
    merges: list[str] = []
    has_formula = False
    tail = b""
    with archive.open(path.lstrip("/")) as source:
        while chunk := source.read(SCAN_CHUNK):
            window = tail + chunk
            has_formula = has_formula or bool(_FORMULA.search(window))
            cut = window.rfind(b"<")  # keep an element split across chunks for the next window
            cut = cut if cut > len(window) - 200 else len(window)
            merges.extend(m.decode() for m in _MERGE.findall(window[:cut]))
            tail = window[cut:]
    merges.extend(m.decode() for m in _MERGE.findall(tail))
    return merges, has_formula


def _merged_fill(refs: list[str]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each covered cell (row, column index from 0) → its range's top-left cell."""
    from openpyxl.utils.cell import range_boundaries

    fill = {}
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if (max_row - min_row + 1) * (max_col - min_col + 1) > 100_000:
            continue  # a whole-sheet merge is formatting, not data
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if (row, col) != (min_row, min_col):
                    fill[(row, col - 1)] = (min_row, min_col - 1)
    return fill


def _sheet_rows(sheet, fill: dict, uncomputed: set[tuple[int, int]]) -> Iterator[tuple[int, list]]:
    anchors = set(fill.values())
    anchor_values: dict[tuple[int, int], object] = {}
    fill_by_row: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for (row, position), top_left in fill.items():
        fill_by_row.setdefault(row, []).append((position, top_left))
    uncomputed_by_row: dict[int, list[int]] = {}
    for row, position in uncomputed:
        uncomputed_by_row.setdefault(row, []).append(position)
    anchor_rows = {row for row, _position in anchors}
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
        cells = list(values)
        for position in uncomputed_by_row.get(number, ()):
            if position < len(cells) and cells[position] is None:
                cells[position] = FORMULA_WITHOUT_VALUE
        if number in anchor_rows:
            for position, value in enumerate(cells):
                if (number, position) in anchors:
                    anchor_values[(number, position)] = value
        for position, top_left in fill_by_row.get(number, ()):
            cells.extend([None] * (position + 1 - len(cells)))
            if cells[position] is None:
                cells[position] = anchor_values.get(top_left)
        yield number, cells


def _uncomputed_formulas(data: bytes, title: str) -> set[tuple[int, int]]:
    """Cells holding a formula whose value was never calculated (None with data_only=True)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        formulas, cached = book[title], values[title]
        formulas.reset_dimensions()
        cached.reset_dimensions()
        found = set()
        for number, (f_row, v_row) in enumerate(
            zip(formulas.iter_rows(values_only=True), cached.iter_rows(values_only=True), strict=False), 1
        ):
            for position, formula in enumerate(f_row):
                is_formula = (isinstance(formula, str) and formula.startswith("=")) or (
                    formula is not None and not isinstance(formula, str | int | float | bool | datetime | date | time)
                )
                if is_formula and (position >= len(v_row) or v_row[position] is None):
                    found.add((number, position))
        return found
    finally:
        book.close()
        values.close()


_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>]")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")


def estimate_rows(data: bytes) -> int:
    """Rows holding data, cheaply, without parsing cells: lines of a CSV; for an xlsx, the rows of its biggest sheet
    that have a value (a template's formatted empty rows do not count)."""
    if not data.startswith(XLSX_MAGIC):
        return data.count(b"\n") + 1
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return max((_rows_with_values(archive, name) for name in sheets), default=0)
    except (zipfile.BadZipFile, OSError, KeyError):
        return 0  # unreadable: reading it says why


def _rows_with_values(archive: zipfile.ZipFile, name: str) -> int:
    count, carry = 0, b""
    with archive.open(name) as source:
        while chunk := source.read(SCAN_CHUNK):
            segments = _ROW_START.split(carry + chunk)
            carry = segments.pop()  # the last row may go on in the next chunk
            count += sum(1 for segment in segments[1:] if _HAS_VALUE.search(segment))
            if segments:
                carry = b"<row " + carry
    segments = _ROW_START.split(carry)
    return count + sum(1 for segment in segments[1:] if _HAS_VALUE.search(segment))


def _read_xlsx(data: bytes, columns: Sequence[Column]) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, EOFError):
        if _is_other_zip(data):  # a .docx, an .ods, a zip archive
            raise _not_a_spreadsheet() from None
        raise ValidationError(
            _("The file could not be read as an .xlsx workbook; it may be damaged. Save it again in Excel or WPS.")
        ) from None
    try:
        missing: set[Column] = set()
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            path = getattr(sheet, "_worksheet_path", None)
            merges, has_formula = _scan_sheet_xml(book._archive, path) if path else ([], False)
            fill = _merged_fill(merges)
            uncomputed = _uncomputed_formulas(data, sheet.title) if has_formula else set()
            sheet.reset_dimensions()  # some writers store a wrong dimension; read every row there is
            try:
                header_row, found, rows = _table_rows(_sheet_rows(sheet, fill, uncomputed), columns)
            except _NoHeader as error:
                missing = missing or error.missing
                continue
            return Table(columns=list(found.values()), rows=rows, sheet=sheet.title, header_row=header_row)
        raise _no_header(columns, missing)
    finally:
        book.close()


def _is_other_zip(data: bytes) -> bool:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "xl/workbook.xml" not in names
