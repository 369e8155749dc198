"""Checks of an .xlsx before openpyxl reads it, so that no file up to the upload limit can exhaust memory or time.

An .xlsx is a zip of XML parts. Before the workbook is loaded: the zip's central directory (how many parts, their
size unpacked, how tightly each is packed: zip bombs), the size of every part openpyxl parses whole, and the shared
strings (how many, how deeply nested) are checked. Before a sheet's rows are read, its XML is parsed streaming
(expat: elements are seen and forgotten, no tree is built) for its declared dimension, the row numbers,
the columns holding values, the formulas saved without a value and the merged ranges (openpyxl's read-only mode
does not report merged cells). Each limit is in :mod:`imports.limits`; past one the file is refused in plain words.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .limits import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, RATIO_MIN_BYTES, XML_MAX_DEPTH, Limits, megabytes, number

HEADER_ALLOWANCE = 20  # rows above the data (titles, the header) that do not count as data rows
SCAN_CHUNK = 256 * 1024
_SHEET_PART = re.compile(r"(^|/)worksheets/[^/]+\.xml$", re.IGNORECASE)
_SHARED_STRINGS_PART = re.compile(r"(^|/)sharedStrings[^/]*\.xml$", re.IGNORECASE)
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_RANGE_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def damaged() -> ValidationError:
    return ValidationError(
        _("The file could not be read as an .xlsx workbook; it may be damaged. Save it again in Excel or WPS.")
    )


def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


# ---------------------------------------------------------------------------------------------------
# The archive


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip whose parts are too many, too big unpacked or packed like a zip bomb (central directory only;
    Python's zipfile never unpacks more than a part's declared size)."""
    parts = archive.infolist()
    if len(parts) > limits.xlsx_max_parts:
        raise ValidationError(
            _("The .xlsx file holds %(parts)s parts; a workbook has at most %(n)s. Save it again in Excel or WPS.")
            % {"parts": number(len(parts)), "n": number(limits.xlsx_max_parts)}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.xlsx_max_unpacked_bytes:
        raise ValidationError(
            _(
                "Unpacked, the .xlsx file would take %(mb)s MB; at most %(n)s MB is read. Split it into smaller "
                "files, or delete unused sheets, pictures and formatting, and save again."
            )
            % {"mb": megabytes(unpacked), "n": megabytes(limits.xlsx_max_unpacked_bytes)}
        )
    for part in parts:
        ratio = part.file_size / max(1, part.compress_size)
        if part.file_size > RATIO_MIN_BYTES and ratio > limits.xlsx_max_ratio:
            raise ValidationError(
                _(
                    "The file is packed suspiciously tightly (its part %(part)s unpacks to %(ratio)s times its "
                    "size, at most %(n)s), as harmful “zip bomb” files are, so it is not read. Save it again in "
                    "Excel or WPS."
                )
                % {"part": part.filename, "ratio": number(int(ratio)), "n": number(limits.xlsx_max_ratio)}
            )
        if _SHARED_STRINGS_PART.search(part.filename):
            if part.file_size > limits.xlsx_max_shared_strings_bytes:
                raise _too_many_texts(limits, size=part.file_size)
        elif _parsed_whole(part.filename) and part.file_size > limits.xlsx_max_part_bytes:
            raise ValidationError(
                _(
                    "A part of the .xlsx file (%(part)s) is %(mb)s MB unpacked; at most %(n)s MB is read. "
                    "Delete unused styles, pictures or sheets and save again."
                )
                % {"part": part.filename, "mb": megabytes(part.file_size), "n": megabytes(limits.xlsx_max_part_bytes)}
            )
    whole = sum(part.file_size for part in parts if _parsed_whole(part.filename))
    if whole > limits.xlsx_max_part_bytes:  # parsed one after the other, what they become stays with the workbook
        raise ValidationError(
            _(
                "The styles, names and other parts of the .xlsx file take %(mb)s MB unpacked together; at most %(n)s "
                "MB is read. Delete unused styles, names, pictures or sheets and save again."
            )
            % {"mb": megabytes(whole), "n": megabytes(limits.xlsx_max_part_bytes)}
        )
    for part in parts:
        if _parsed_whole(part.filename) and part.file_size:
            _check_prolog(archive, part.filename)  # no DTD: entity expansion bombs
    for part in parts:
        if _SHARED_STRINGS_PART.search(part.filename):
            _check_shared_strings(archive, part.filename, limits)


def _parsed_whole(name: str) -> bool:
    """The parts openpyxl parses into a tree at once: all XML but the sheets and shared strings (streamed)."""
    streamed = _SHEET_PART.search(name) or _SHARED_STRINGS_PART.search(name)
    return name.endswith((".xml", ".rels", ".vml")) and not streamed


def _too_many_texts(limits: Limits, *, count: int | None = None, size: int | None = None) -> ValidationError:
    if count is not None:
        return ValidationError(
            _(
                "The workbook holds more than %(n)s different texts; split it into smaller files and import them "
                "one by one."
            )
            % {"n": number(limits.xlsx_max_shared_strings)}
        )
    return ValidationError(
        _(
            "The workbook's texts take %(mb)s MB unpacked; at most %(n)s MB is read. Split it into smaller files "
            "and import them one by one."
        )
        % {"mb": megabytes(size or 0), "n": megabytes(limits.xlsx_max_shared_strings_bytes)}
    )


class _Stop(Exception):
    """Ends an expat pass early (the prolog was read)."""


def _parser(on_start=None, on_end=None, on_text=None):
    """An expat parser that refuses a DTD (entity expansion bombs) and never reads anything external."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_args):
        raise damaged()  # a workbook part never declares a DTD or entities

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.buffer_text = True
    if on_start:
        parser.StartElementHandler = on_start
    if on_end:
        parser.EndElementHandler = on_end
    if on_text:
        parser.CharacterDataHandler = on_text
    return parser


def _feed(parser, source) -> None:
    while chunk := source.read(SCAN_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _check_prolog(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a DTD anywhere before the root element (read up to it, no further)."""

    def stop(*_args):
        raise _Stop

    try:
        with archive.open(name) as source:
            _feed(_parser(on_start=stop), source)
    except _Stop:
        return
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise damaged() from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _check_shared_strings(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Count the shared strings and refuse deep nesting, streaming (expat: no tree is built)."""
    state = {"depth": 0, "count": 0}

    def start(tag, _attrs):
        state["depth"] += 1
        if state["depth"] > XML_MAX_DEPTH:
            raise damaged()
        if state["depth"] == 2 and _local(tag) == "si":
            state["count"] += 1
            if state["count"] > limits.xlsx_max_shared_strings:
                raise _too_many_texts(limits, count=state["count"])

    def end(_tag):
        state["depth"] -= 1

    try:
        with archive.open(name) as source:
            _feed(_parser(start, end), source)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise damaged() from None


# ---------------------------------------------------------------------------------------------------
# A sheet


@dataclass
class SheetFacts:
    """What the streaming pass over a sheet's XML found."""

    rows_with_values: int = 0
    width: int = 0  # the last column holding a value (1-based)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)  # (row, column index from 0): formula, no value


def scan_sheet(archive: zipfile.ZipFile, path: str, title: str, limits: Limits) -> SheetFacts:
    """One streaming pass over a sheet's XML (expat: no tree is built); ValidationError past a limit."""
    scan = _SheetScan(title, limits)
    try:
        with archive.open(path.lstrip("/")) as source:
            _feed(_parser(scan.start, scan.end, scan.text), source)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        raise damaged() from None
    scan.finish()
    return scan.facts


# The elements the scan looks at, by local name (any namespace prefix).
_ROW, _CELL, _VALUE, _INLINE, _FORMULA, _DIMENSION, _MERGE = range(1, 8)
_KINDS = {"row": _ROW, "c": _CELL, "v": _VALUE, "is": _INLINE, "f": _FORMULA, "dimension": _DIMENSION,
          "mergeCell": _MERGE}  # fmt: skip
MAX_UNCOMPUTED = 100_000  # formula cells saved without a value that are remembered (past it: refused)


class _SheetScan:
    def __init__(self, title: str, limits: Limits):
        self.title, self.limits = title, limits
        self.facts = SheetFacts()
        self.kinds: dict[str, int] = {}
        self.depth = 0
        self.row = self.column = self.cells_in_row = 0
        self.row_has_value = self.cell_value = self.cell_formula = self.in_value = False
        self.merged_cells = 0
        self.most_rows = limits.max_rows + HEADER_ALLOWANCE

    def kind(self, tag: str) -> int:
        kind = self.kinds.get(tag)
        if kind is None:
            kind = self.kinds[tag] = _KINDS.get(_local(tag), 0)
        return kind

    def start(self, tag, attrs) -> None:
        self.depth += 1
        if self.depth > XML_MAX_DEPTH:
            raise damaged()
        kind = self.kind(tag)
        if kind == _CELL:
            self.cells_in_row += 1
            if self.cells_in_row > EXCEL_MAX_COLUMNS:
                raise damaged()
            self.column = _cell_column(attrs.get("r"), self.column)
            self.cell_value = self.cell_formula = False
        elif kind == _VALUE:
            self.in_value = True
        elif kind == _ROW:
            self.row = _row_number(attrs.get("r"), self.row)
            self.column = self.cells_in_row = 0
            self.row_has_value = False
        elif kind == _INLINE:
            self.cell_value = True
        elif kind == _FORMULA:
            self.cell_formula = True
        elif kind == _DIMENSION:
            _check_dimension(attrs.get("ref") or "", self.title, self.limits)
        elif kind == _MERGE:
            self.merge(attrs.get("ref") or "")

    def text(self, data: str) -> None:
        if self.in_value and data:
            self.cell_value = True

    def end(self, tag) -> None:
        self.depth -= 1
        kind = self.kind(tag)
        if kind == _VALUE:
            self.in_value = False
        elif kind == _CELL:
            if self.cell_value or self.cell_formula:
                self.cell_with_value()
        elif kind == _ROW and self.row_has_value:
            self.facts.rows_with_values += 1
            if self.facts.rows_with_values > self.most_rows:
                raise too_many_rows(self.limits)

    def cell_with_value(self) -> None:
        if self.column > self.limits.max_columns:
            raise ValidationError(
                _(
                    "Row %(row)s has a value in column %(column)s; a row may have at most %(n)s cells. "
                    "Delete the columns that are not imported and save again."
                )
                % {"row": number(self.row), "column": column_letters(self.column), "n": number(self.limits.max_columns)}
            )
        self.facts.width = max(self.facts.width, self.column)
        self.row_has_value = True
        if self.cell_formula and not self.cell_value:
            self.facts.uncomputed.add((self.row, self.column - 1))
            if len(self.facts.uncomputed) > MAX_UNCOMPUTED:
                raise ValidationError(
                    _(
                        "More than %(n)s formulas in the file have no calculated value. Open it in Excel or WPS, "
                        "let it calculate, save it and import it again."
                    )
                    % {"n": number(MAX_UNCOMPUTED)}
                )

    def merge(self, ref: str) -> None:
        bounds = _range(ref)
        self.facts.merges.append(bounds)
        self.merged_cells += (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
        if len(self.facts.merges) > self.limits.xlsx_max_merged_ranges:
            raise ValidationError(
                _(
                    "The sheet “%(sheet)s” has more than %(n)s merged ranges. Unmerge the cells (Home → "
                    "Merge & Center) and save again."
                )
                % {"sheet": self.title, "n": number(self.limits.xlsx_max_merged_ranges)}
            )

    def finish(self) -> None:
        if self.merged_cells > self.limits.xlsx_max_merged_cells:
            raise ValidationError(
                _(
                    "The sheet “%(sheet)s” merges %(cells)s cells in %(ranges)s ranges; at most %(n)s merged cells "
                    "are read. Unmerge the cells (Home → Merge & Center) and save again."
                )
                % {
                    "sheet": self.title, "cells": number(self.merged_cells), "ranges": number(len(self.facts.merges)),
                    "n": number(self.limits.xlsx_max_merged_cells),
                }
            )  # fmt: skip


def too_many_rows(limits: Limits) -> ValidationError:
    return ValidationError(
        _("The file has more than %(n)s rows of data; split it into files of at most %(n)s rows and import each.")
        % {"n": number(limits.max_rows)}
    )


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        number_ = previous + 1
    else:
        try:
            number_ = int(text)
        except ValueError:
            raise damaged() from None
    if not previous < number_ <= EXCEL_MAX_ROWS:
        raise damaged()  # rows go down the sheet, within Excel's 1,048,576
    return number_


def _cell_column(ref: str | None, previous: int) -> int:
    if ref is None:
        column = previous + 1
    else:
        match = _CELL_REF.match(ref)
        if not match:
            raise damaged()
        column = column_index(match.group(1))
    if not 1 <= column <= EXCEL_MAX_COLUMNS:
        raise damaged()
    return column


def _range(ref: str) -> tuple[int, int, int, int]:
    if _CELL_REF.match(ref):
        ref = f"{ref}:{ref}"
    match = _RANGE_REF.match(ref)
    if not match:
        raise damaged()
    min_col, min_row = column_index(match.group(1)), int(match.group(2))
    max_col, max_row = column_index(match.group(3)), int(match.group(4))
    if not (1 <= min_row <= max_row <= EXCEL_MAX_ROWS and 1 <= min_col <= max_col <= EXCEL_MAX_COLUMNS):
        raise damaged()
    return min_row, min_col, max_row, max_col


def _check_dimension(ref: str, title: str, limits: Limits) -> None:
    """The size the sheet says it has: past the row or column limit it is refused before a row is read."""
    try:
        min_row, min_col, max_row, max_col = _range(ref)
    except ValidationError:
        return  # a missing or odd dimension: the rows are counted as they are read
    if max_row > limits.max_rows + HEADER_ALLOWANCE or max_col > limits.max_columns:
        raise ValidationError(
            _(
                "The sheet “%(sheet)s” says it spans %(ref)s: %(rows)s rows and %(columns)s columns; at most %(n)s "
                "rows and %(m)s columns are read. If the rows or columns past your data are empty, delete them "
                "(select them, right-click, Delete) and save again; else split the file."
            )
            % {
                "sheet": title, "ref": ref, "rows": number(max_row), "columns": number(max_col),
                "n": number(limits.max_rows), "m": number(limits.max_columns),
            }
        )  # fmt: skip
