"""Checks of an .xlsx before openpyxl reads it, so that no file up to the upload limit can exhaust memory or time.

An .xlsx is a zip of XML parts. Before the workbook is loaded: the zip's central directory (how many parts, their
size unpacked, how tightly each is packed: zip bombs), the size of every part openpyxl parses whole, and the shared
strings (how many, how deeply nested) are checked. Before a sheet's rows are read, its XML is parsed streaming
(``iterparse``, each element dropped once seen, never the whole tree) for its declared dimension, the row numbers,
the columns holding values, the formulas saved without a value and the merged ranges (openpyxl's read-only mode
does not report merged cells). Each limit is in :mod:`imports.limits`; past one the file is refused in plain words.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, iterparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .limits import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, RATIO_MIN_BYTES, XML_MAX_DEPTH, Limits, megabytes, number

HEADER_ALLOWANCE = 20  # rows above the data (titles, the header) that do not count as data rows
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
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
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and part.file_size:
            with archive.open(part) as source:
                if _DOCTYPE.search(source.read(4096)):
                    raise damaged()  # a workbook never declares a DTD or entities (entity expansion bombs)
    for part in parts:
        if _SHARED_STRINGS_PART.search(part.filename):
            _check_shared_strings(archive, part.filename, limits)


def _parsed_whole(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml")) and not _SHEET_PART.search(name)


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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_shared_strings(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Count the shared strings and refuse deep nesting, streaming (each element dropped once ended)."""
    count = 0
    stack = []
    try:
        with archive.open(name) as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    if len(stack) > XML_MAX_DEPTH:
                        raise damaged()
                    continue
                stack.pop()
                if len(stack) == 1 and _local(element.tag) == "si":
                    count += 1
                    if count > limits.xlsx_max_shared_strings:
                        raise _too_many_texts(limits, count=count)
                if stack:
                    element.clear()
                    stack[-1].remove(element)
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
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
    """One streaming pass over a sheet's XML; ValidationError past a limit."""
    try:
        with archive.open(path.lstrip("/")) as source:
            return _scan(source, title, limits)
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, KeyError):
        raise damaged() from None


def _scan(source, title: str, limits: Limits) -> SheetFacts:
    facts = SheetFacts()
    merged_cells = 0
    stack: list = []
    row = 0
    column = 0
    cells_in_row = 0
    row_has_value = False
    cell_value = cell_formula = False
    most_rows = limits.max_rows + HEADER_ALLOWANCE
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if len(stack) > XML_MAX_DEPTH:
                raise damaged()
            name = _local(element.tag)
            if name == "row":
                row = _row_number(element.get("r"), row)
                column, cells_in_row, row_has_value = 0, 0, False
            elif name == "c":
                cells_in_row += 1
                if cells_in_row > EXCEL_MAX_COLUMNS:
                    raise damaged()
                column = _cell_column(element.get("r"), column)
                cell_value = cell_formula = False
            elif name == "dimension":
                _check_dimension(element.get("ref") or "", title, limits)
            elif name == "mergeCell":
                bounds = _range(element.get("ref") or "")
                facts.merges.append(bounds)
                merged_cells += (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
                if len(facts.merges) > limits.xlsx_max_merged_ranges:
                    raise ValidationError(
                        _(
                            "The sheet “%(sheet)s” has more than %(n)s merged ranges. Unmerge the cells (Home → "
                            "Merge & Center) and save again."
                        )
                        % {"sheet": title, "n": number(limits.xlsx_max_merged_ranges)}
                    )
            continue
        stack.pop()
        name = _local(element.tag)
        if name == "v":
            cell_value = cell_value or bool(element.text)
        elif name == "is":
            cell_value = True
        elif name == "f":
            cell_formula = True
        elif name == "c":
            if cell_value or cell_formula:
                if column > limits.max_columns:
                    raise ValidationError(
                        _(
                            "Row %(row)s has a value in column %(column)s; a row may have at most %(n)s cells. "
                            "Delete the columns that are not imported and save again."
                        )
                        % {"row": number(row), "column": column_letters(column), "n": number(limits.max_columns)}
                    )
                facts.width = max(facts.width, column)
                row_has_value = True
                if cell_formula and not cell_value:
                    facts.uncomputed.add((row, column - 1))
        elif name == "row" and row_has_value:
            facts.rows_with_values += 1
            if facts.rows_with_values > most_rows:
                raise too_many_rows(limits)
        if stack:
            element.clear()
            stack[-1].remove(element)
    if merged_cells > limits.xlsx_max_merged_cells:
        raise ValidationError(
            _(
                "The sheet “%(sheet)s” merges %(cells)s cells in %(ranges)s ranges; at most %(n)s merged cells are "
                "read. Unmerge the cells (Home → Merge & Center) and save again."
            )
            % {
                "sheet": title, "cells": number(merged_cells), "ranges": number(len(facts.merges)),
                "n": number(limits.xlsx_max_merged_cells),
            }
        )  # fmt: skip
    return facts


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
