"""How big an import file may be, in every dimension that costs memory or time (issue 8).

Each limit is a setting (``IMPORT_*``, from the environment; see ``kunshan_training/settings.py`` and the README)
read when a file is checked, so a test or a deployment may change it. A file past a limit is refused with a message
in plain words that names the limit, before the part that would cost the memory is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # The upload: larger files are refused before they are stored or read.
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    # Files up to this size with at most INLINE_MAX_ROWS rows are checked inside the request; larger ones always
    # run as a background job with a progress bar (the worker, or a thread of the web process without a broker).
    "IMPORT_INLINE_MAX_BYTES": 256 * 1024,
    # Rows of data (below the header, blank rows not counted) in one file.
    "IMPORT_MAX_ROWS": 100_000,
    # Cells in one row (the last column holding a value).
    "IMPORT_MAX_COLUMNS": 200,
    # Characters in one cell: Excel's own limit.
    "IMPORT_MAX_CELL_CHARS": 32_767,
    # .xlsx (a zip of XML parts): parts in the archive, their size unpacked, the compression ratio of a part.
    "IMPORT_XLSX_MAX_PARTS": 1_000,
    "IMPORT_XLSX_MAX_UNPACKED_BYTES": 200 * 1024 * 1024,
    "IMPORT_XLSX_MAX_RATIO": 200,
    # Parts other than the sheets and the shared strings are parsed whole by openpyxl: styles, workbook, ...
    "IMPORT_XLSX_MAX_PART_BYTES": 8 * 1024 * 1024,
    # The shared strings (every distinct text of the workbook) are held in memory while the sheet is read.
    "IMPORT_XLSX_MAX_SHARED_STRINGS": 1_000_000,
    "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES": 64 * 1024 * 1024,
    # Merged cells: ranges in one sheet, and the cells they cover together.
    "IMPORT_XLSX_MAX_MERGED_RANGES": 10_000,
    "IMPORT_XLSX_MAX_MERGED_CELLS": 1_000_000,
}

# Excel's own sheet size: a row or column past it is a damaged (or forged) file.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
# No part of a real workbook nests elements deeper than this (sharedStrings: sst > si > r > rPr > font ...).
XML_MAX_DEPTH = 32
# A check that found this many problems stops there (says so, and where): what it holds is bounded, and the file
# needs correcting anyway. The problems before it are all listed and counted.
STOP_AFTER_PROBLEMS = 20_000
# A part smaller than this unpacked is not judged by its compression ratio (tiny parts compress oddly).
RATIO_MIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    inline_max_bytes: int
    max_rows: int
    max_columns: int
    max_cell_chars: int
    xlsx_max_parts: int
    xlsx_max_unpacked_bytes: int
    xlsx_max_ratio: int
    xlsx_max_part_bytes: int
    xlsx_max_shared_strings: int
    xlsx_max_shared_strings_bytes: int
    xlsx_max_merged_ranges: int
    xlsx_max_merged_cells: int


def current() -> Limits:
    """The limits as configured now."""
    values = {name: getattr(settings, name, default) for name, default in DEFAULTS.items()}
    return Limits(**{name.removeprefix("IMPORT_").lower(): int(value) for name, value in values.items()})


def number(value: int) -> str:
    """12,345: limits and counts in messages read the same in English and Chinese."""
    return f"{value:,}"


def megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"


def stopped_at(row: int) -> str:
    from django.utils.translation import gettext as _

    return _(
        "The check stopped at row %(row)s after finding more than %(n)s problems; correct these and check the file "
        "again."
    ) % {"row": number(row), "n": number(STOP_AFTER_PROBLEMS)}
