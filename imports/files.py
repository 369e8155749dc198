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
- Nothing grows with the file past :mod:`imports.limits`: an .xlsx is checked first (:mod:`imports.xlsx_checks`),
  then read in openpyxl's read-only mode row by row; a CSV is decoded and split streaming. A cell unfit to read
  (a NUL character, longer than Excel's 32,767 characters, an unbalanced quote mark) is a problem by row and column
  in ``Table.problems``; the dry run and the import read through the same code, so they find the same problems.
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
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import limits, xlsx_checks

HEADER_SCAN_ROWS = 20
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
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # cells unfit to read: (row, column, text)


def max_bytes() -> int:
    return limits.current().max_bytes


def check_size(size: int | None) -> None:
    """Refuse a file over the limit before it is read."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Split it into smaller files and import them one by one.")
            % {"mb": limits.megabytes(limit)}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))


def _size_of(source: BinaryIO) -> int:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def read_table(data: bytes | BinaryIO, columns: Sequence[Column], *, name: str = "") -> Table:
    """The rows of an uploaded spreadsheet under the headers of ``columns``; ValidationError for a file problem.

    ``data`` is the file's bytes or a seekable binary file (read streaming: the memory used does not grow with the
    file beyond the limits of :mod:`imports.limits`). Problems of single cells (a NUL character, a cell longer
    than Excel allows, an unbalanced quote mark in a CSV) are in ``Table.problems`` by row and column.
    """
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    check_size(_size_of(source))
    head = source.read(8)
    source.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "This is an old-style Excel file (.xls). Open it in Excel or WPS, save it as .xlsx "
                "(or CSV) and import that file."
            )
        )
    if head.startswith(XLSX_MAGIC):
        return _read_xlsx(source, columns)
    if any(head.startswith(magic) for magic in OTHER_MAGICS) or name.lower().endswith((".xls", ".ods", ".numbers")):
        raise _not_a_spreadsheet()
    return _read_csv(source, columns)


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


class _Fault(Exception):
    """A cell that stops the reading of the rest of the file (an unbalanced quote mark in a CSV)."""

    def __init__(self, row: int, position: int, message: str):
        self.row, self.position, self.message = row, position, message


def _cell_problem(raw, limit: int) -> str | None:
    if not isinstance(raw, str):
        return None
    if len(raw) > limit:
        return _("This cell holds %(chars)s characters; a cell may hold at most %(n)s (Excel's own limit).") % {
            "chars": limits.number(len(raw)),
            "n": limits.number(limit),
        }
    if "\x00" in raw:
        return _(
            "This cell holds an invisible NUL character (code 0), which cannot be stored. Retype the cell and save "
            "the file again."
        )
    return None


def _column_name(position: int, found: dict[int, Column]) -> str:
    """A problem's column: the code of an imported column (shown as its header), else the column's letters."""
    column = found.get(position)
    return column.code if column else xlsx_checks.column_letters(position + 1)


def _table_rows(rows: Iterable[tuple[int, list]], columns: Sequence[Column], limit: limits.Limits) -> Table:
    rows = iter(rows)
    found: dict[int, Column] = {}
    try:
        header_row, found = _find_header(rows, columns)
    except _Fault as fault:
        raise ValidationError(
            _("Row %(row)s, column %(column)s: %(problem)s")
            % {"row": fault.row, "column": xlsx_checks.column_letters(fault.position + 1), "problem": fault.message}
        ) from None
    if header_row is None:
        raise _NoHeader(found)
    table = Table(columns=list(found.values()), header_row=header_row)
    try:
        for number, cells in rows:
            values = {}
            for position, column in found.items():
                raw = cells[position] if position < len(cells) else None
                problem = _cell_problem(raw, limit.max_cell_chars)
                if problem:
                    table.problems.append((number, column.code, problem))
                    raw = None
                values[column.code] = clean_cell(raw, free_text=column.free_text)
            if all(v is None for v in values.values()):
                continue  # a blank line (or one with only unnamed columns filled)
            if len(table.rows) >= limit.max_rows:
                raise xlsx_checks.too_many_rows(limit)
            table.rows.append((number, values))
            if len(table.problems) > limits.STOP_AFTER_PROBLEMS:
                table.problems.append((0, "", limits.stopped_at(number)))
                break
    except _Fault as fault:
        table.problems.append((fault.row, _column_name(fault.position, found), fault.message))
    return table


# ---------------------------------------------------------------------------------------------------
# CSV


_CONTROL = frozenset(range(32)) - {9, 10, 13}


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (NUL, ...) in the first 4 KB: a binary file. A stray NUL in a cell is named by its cell."""
    return sum(1 for byte in head if byte in _CONTROL) > max(8, len(head) // 20)


def _encoding(source: BinaryIO) -> str:
    """BOM → its encoding; else UTF-8 if the whole file decodes, else GB18030 (a superset of GBK, what Excel/WPS
    save in China). Decoded in chunks: nothing is kept."""
    head = source.read(4096)
    source.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_binary(head):
        raise _not_a_spreadsheet()
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := source.read(SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        finally:
            source.seek(0)
    raise _not_a_spreadsheet()


def decode_text(data: bytes) -> str:
    """The text of a CSV file's bytes, in the encoding :func:`_encoding` finds."""
    return data.decode(_encoding(io.BytesIO(data)))


class _Lines:
    """The lines of a CSV's text for the csv reader, keeping those of the record being read (to locate a quote
    problem) and refusing a line with more cells than any sheet has before csv splits it into a list."""

    def __init__(self, text: io.TextIOBase, delimiter: str):
        self.text, self.delimiter = text, delimiter
        self.record: list[str] = []
        self.records = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.text)
        cells = line.count(self.delimiter) + 1
        if cells > xlsx_checks.EXCEL_MAX_COLUMNS:
            raise _too_wide(self.records + 1, cells, limits.current())
        self.record.append(line)
        return line


def _too_wide(row: int, cells: int, limit: limits.Limits) -> ValidationError:
    return ValidationError(
        _(
            "Row %(row)s has %(cells)s cells; a row may have at most %(n)s. Delete the columns that are not "
            "imported and save again."
        )
        % {"row": limits.number(row), "cells": limits.number(cells), "n": limits.number(limit.max_columns)}
    )


def _quote_problem(first_line: int, last_line: int) -> str:
    return _(
        'A quote mark (") opens this cell and is not closed where the cell ends, so lines %(first)s to %(last)s of '
        "the file would run together into one row. Remove the quote mark, or close it at the end of the cell."
    ) % {"first": limits.number(first_line), "last": limits.number(last_line)}


def _bad_quote_position(record: str, delimiter: str) -> int:
    """The cell (from 0) where a quote mark opens a cell and is not closed where the cell ends."""
    position, start, i, size = 0, True, 0, len(record)
    while i < size:
        char = record[i]
        if start and char == '"':
            i += 1
            while i < size:
                if record[i] == '"':
                    if i + 1 < size and record[i + 1] == '"':
                        i += 2
                        continue
                    break
                i += 1
            if i >= size or (i + 1 < size and record[i + 1] not in (delimiter, "\r", "\n")):
                return position  # never closed, or text after the closing quote mark
            i += 1
            start = False
            continue
        if char == delimiter:
            position, start = position + 1, True
        elif char in "\r\n":
            start = True
        else:
            start = False
        i += 1
    return position


def _csv_rows(text: io.TextIOBase, delimiter: str) -> Iterator[tuple[int, list]]:
    """Records (numbered as a spreadsheet shows them) of a CSV; an unbalanced quote mark is a :class:`_Fault`."""
    lines = _Lines(text, delimiter)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    limit = limits.current()
    while True:
        first_line = reader.line_num + 1
        lines.record = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            record = "".join(lines.record)
            raise _Fault(lines.records + 1, _bad_quote_position(record, delimiter),
                         _quote_problem(first_line, reader.line_num)) from None  # fmt: skip
        lines.records += 1
        if reader.line_num > first_line:
            # A cell over several lines is fine (Alt+Enter in Excel), unless a line in it looks like a row of its own.
            for position, cell in enumerate(cells):
                if any(part.count(delimiter) >= max(1, len(cells) - 1) for part in cell.splitlines()[1:]):
                    raise _Fault(lines.records, position, _quote_problem(first_line, reader.line_num))
        width = len(cells)
        while width and not cells[width - 1]:
            width -= 1
        if width > limit.max_columns:
            raise _too_wide(lines.records, width, limit)
        yield lines.records, cells


def _read_csv(source: BinaryIO, columns: Sequence[Column]) -> Table:
    limit = limits.current()
    encoding = _encoding(source)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    try:
        sample = text.read(8192)
        lines = sample.split("\n")
        first_line = lines[0]
        sample = "\n".join(lines[:HEADER_SCAN_ROWS])
        delimiter = max(",\t;", key=lambda d: (sample.count(d), d == ","))
        if not any(d in sample for d in ",\t;") and len(lines) < 2 and len(first_line) > 200:
            raise _not_a_spreadsheet()
        text.seek(0)
        if csv.field_size_limit() < limit.max_bytes:
            csv.field_size_limit(limit.max_bytes)  # cells are measured by Excel's limit below, with row and column
        try:
            return _table_rows(_csv_rows(text, delimiter), columns, limit)
        except _NoHeader as error:
            raise _no_header(columns, error.missing) from None
        except csv.Error as error:
            raise ValidationError(_("The CSV file could not be read: %(error)s") % {"error": error}) from None
    except UnicodeDecodeError:
        raise _not_a_spreadsheet() from None
    finally:
        text.detach()


# ---------------------------------------------------------------------------------------------------
# xlsx


class _MergedFill:
    """Merged ranges applied while the rows stream by: every cell of a range gets its top-left cell's value.

    Only ranges covering the row being read are looked at, and only within the row's width (the last column that
    holds a value), so the work is bounded by the merged cells of the sheet, which :mod:`.xlsx_checks` limits."""

    def __init__(self, merges: list[tuple[int, int, int, int]], width: int):
        self.pending = sorted(merges, reverse=True)  # popped from the end: by first row
        self.active: list[tuple[int, int, int, int]] = []
        self.anchors: dict[tuple[int, int], object] = {}
        self.width = width

    def apply(self, number: int, cells: list) -> None:
        while self.pending and self.pending[-1][0] <= number:
            self.active.append(self.pending.pop())
        if not self.active:
            return
        self.active = [m for m in self.active if m[2] >= number]
        for min_row, min_col, _max_row, max_col in self.active:
            if min_col > self.width:
                continue
            if min_row == number:
                self.anchors[(min_row, min_col)] = cells[min_col - 1]
            value = self.anchors.get((min_row, min_col))
            for position in range(min_col - 1, min(max_col, self.width)):
                if cells[position] is None:
                    cells[position] = value


def _sheet_rows(sheet, facts: xlsx_checks.SheetFacts) -> Iterator[tuple[int, list]]:
    width = max(1, facts.width)
    fill = _MergedFill(facts.merges, width)
    uncomputed_by_row: dict[int, list[int]] = {}
    for row, position in facts.uncomputed:
        uncomputed_by_row.setdefault(row, []).append(position)
    for number, values in enumerate(sheet.iter_rows(min_row=1, max_col=width, values_only=True), 1):
        if number > xlsx_checks.EXCEL_MAX_ROWS:
            raise xlsx_checks.damaged()
        cells = list(values)
        for position in uncomputed_by_row.get(number, ()):
            if position < len(cells) and cells[position] is None:
                cells[position] = FORMULA_WITHOUT_VALUE
        fill.apply(number, cells)
        yield number, cells


def _is_other_zip(source: BinaryIO) -> bool:
    try:
        source.seek(0)
        names = zipfile.ZipFile(source).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "xl/workbook.xml" not in names


def _read_xlsx(source: BinaryIO, columns: Sequence[Column]) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limit = limits.current()
    try:
        with zipfile.ZipFile(source) as archive:
            xlsx_checks.check_archive(archive, limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise xlsx_checks.damaged() from None
    source.seek(0)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, EOFError,
            AttributeError, RecursionError):  # fmt: skip
        if _is_other_zip(source):  # a .docx, an .ods, a zip archive
            raise _not_a_spreadsheet() from None
        raise xlsx_checks.damaged() from None
    try:
        missing: set[Column] = set()
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            path = getattr(sheet, "_worksheet_path", None)
            if not path:
                continue
            facts = xlsx_checks.scan_sheet(book._archive, path, sheet.title, limit)
            if not facts.rows_with_values:
                continue
            sheet.reset_dimensions()  # some writers store a wrong dimension: the scan found the real width
            try:
                table = _table_rows(_sheet_rows(sheet, facts), columns, limit)
            except _NoHeader as error:
                missing = missing or error.missing
                continue
            except (KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, OSError, EOFError):
                raise xlsx_checks.damaged() from None
            table.sheet = sheet.title
            return table
        raise _no_header(columns, missing)
    finally:
        book.close()


XML_BYTES_PER_ROW = 100  # a row of an import sheet takes at least this much XML (6 cells of about 40 bytes: more)
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>]")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")


def estimate_rows(data: bytes | BinaryIO) -> int:
    """Rows holding data, cheaply, streaming and without parsing cells: lines of a CSV; for an xlsx, the rows of its
    biggest sheet that have a value (a template's formatted empty rows do not count). 0 for a file that the
    checks will refuse (a zip bomb is not unpacked here)."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    source.seek(0)
    head = source.read(4)
    source.seek(0)
    if not head.startswith(XLSX_MAGIC):
        lines = 1
        while chunk := source.read(SCAN_CHUNK):
            lines += chunk.count(b"\n")
        source.seek(0)
        return lines
    try:
        with zipfile.ZipFile(source) as archive:
            xlsx_checks.check_archive(archive, limits.current())
            sheets = [i for i in archive.infolist() if re.match(r"xl/worksheets/[^/]+\.xml$", i.filename)]
            unpacked = sum(sheet.file_size for sheet in sheets)
            if unpacked > 32 * limits.current().inline_max_bytes:
                return unpacked // XML_BYTES_PER_ROW  # much XML in a small file: judged by its size, not counted here
            return max((_rows_with_values(archive, sheet.filename) for sheet in sheets), default=0)
    except (ValidationError, zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError):
        return 0  # unreadable: reading it says why
    finally:
        source.seek(0)


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
