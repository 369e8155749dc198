"""A corpus of bad import files, built from raw XML and zip so each file is exactly as hostile as meant.

Every builder takes its size as arguments: the tests build small ones in memory (with the limits lowered where a
limit is the point), ``bench/import_bad_files.py`` builds the big ones (``CORPUS``) and measures each. Each returns
the file's bytes; ``write_*`` variants stream to a path for the big ones that should not be held in memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

ACTIVITY_HEADER = ["工号", "姓名", "学习类型", "数量", "日期", "备注"]
KINDS = ("class_day", "online_hour", "menu_city_lecture", "book_reflection")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="导入数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def column(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: Iterable, *, first_column: int = 1) -> str:
    cells = "".join(cell(f"{column(first_column + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def activity_rows(count: int, *, note: str = "", start: int = 2) -> Iterator[list]:
    for i in range(count):
        staff_no = f"F{i % 5000 + 1:05d}"
        yield [staff_no, "", KINDS[i % len(KINDS)], i % 7 + 1, f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}", note]


def sheet_chunks(
    rows: Iterable[str], *, dimension: str | None = None, merges: Iterable[str] = (), tail: str = ""
) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>"
    merges = list(merges)
    if merges:
        yield f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
        yield "</mergeCells>"
    yield tail
    yield "</worksheet>"


def write_xlsx(
    target, sheet: Iterable[str], *, shared_strings: Iterable[str] | None = None, extra: dict | None = None
) -> None:
    """A minimal workbook Excel and openpyxl open: one sheet (streamed in), optional shared strings and parts."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            buffer = []
            for chunk in sheet:
                buffer.append(chunk)
                if len(buffer) >= 1000:
                    part.write("".join(buffer).encode())
                    buffer = []
            part.write("".join(buffer).encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}">'.encode())
            for chunk in shared_strings or ():
                part.write(chunk.encode())
            part.write(b"</sst>")
        for name, content in (extra or {}).items():
            if isinstance(content, bytes | str):
                archive.writestr(name, content)
            else:
                with archive.open(name, "w", force_zip64=True) as part:
                    for chunk in content:
                        part.write(chunk)


def xlsx(sheet: Iterable[str], **kwargs) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, sheet, **kwargs)
    return out.getvalue()


def header_and(rows: Iterable[list], *, start: int = 2) -> Iterator[str]:
    yield row_xml(1, ACTIVITY_HEADER)
    for number, values in enumerate(rows, start):
        yield row_xml(number, values)


# ---------------------------------------------------------------------------------------------------
# The bad files


def merged_range_bomb(*, ranges: int = 60, rows_each: int = 100_000) -> bytes:
    """A tiny file whose merged ranges cover ``ranges × rows_each`` cells (the 2 KB / 1.7 GB file of issue 8)."""
    merges = [f"{column(8 + i)}1:{column(8 + i)}{rows_each}" for i in range(ranges)]
    return xlsx(sheet_chunks(header_and(activity_rows(2)), merges=merges))


def huge_dimension(*, ref: str = "A1:XFD1048576") -> bytes:
    """Two rows of data in a sheet that declares itself the size of all of Excel."""
    return xlsx(sheet_chunks(header_and(activity_rows(2)), dimension=ref))


def many_rows_xlsx(target, *, rows: int, note: str = "导入", dimension: bool = False) -> None:
    ref = f"A1:F{rows + 1}" if dimension else None
    write_xlsx(target, sheet_chunks(header_and(activity_rows(rows, note=note)), dimension=ref))


def many_rows_csv(target, *, rows: int, note: str = "导入", encoding: str = "gbk") -> None:
    lines = [",".join(ACTIVITY_HEADER)]
    for values in activity_rows(rows, note=note):
        lines.append(",".join(str(v) for v in values))
        if len(lines) >= 10_000:
            target.write(("\r\n".join(lines) + "\r\n").encode(encoding))
            lines = []
    target.write(("\r\n".join(lines) + "\r\n").encode(encoding) if lines else b"")


def zip_bomb(target, *, unpacked: int) -> None:
    """A valid sheet padded with ``unpacked`` bytes of blanks: it packs about 1,000 to 1."""

    def padding() -> Iterator[bytes]:
        block = b" " * (1024 * 1024)
        for _ in range(unpacked // len(block)):
            yield block

    write_xlsx(target, sheet_chunks(header_and(activity_rows(2))), extra={"xl/padding.xml": padding()})


def long_cells_xlsx(*, rows: int, chars: int) -> bytes:
    return xlsx(sheet_chunks(header_and(activity_rows(rows, note="长" * chars))))


def long_cell_csv(*, chars: int = 131_072) -> bytes:
    """The CSV of issue 8 whose note gave csv's own "field larger than field limit"."""
    rows = [",".join(ACTIVITY_HEADER), "F00001,,class_day,1,2025-03-05," + "长" * chars,
            "F00002,,class_day,1,2025-03-06,"]  # fmt: skip
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def wide_rows_xlsx(*, rows: int, last_column: int = 16_384) -> bytes:
    """Rows with a value in the last column Excel has (a 16,384-cell row each when read naively)."""
    return xlsx(sheet_chunks(
        f'<row r="{n}">{cell("A" + str(n), "F00001")}{cell(column(last_column) + str(n), 1)}</row>'
        if n > 1 else row_xml(1, ACTIVITY_HEADER)
        for n in range(1, rows + 1)
    ))  # fmt: skip


def wide_row_csv(*, cells: int) -> bytes:
    """A header and one line of ``cells`` commas and a value at its end (``cells + 1`` strings for csv)."""
    return (",".join(ACTIVITY_HEADER) + "\r\nF00001" + "," * cells + "1\r\n").encode()


def nul_byte_csv() -> bytes:
    """A NUL in a note: the dry run passed and the import failed with "ValueError" (issue 8)."""
    return (",".join(ACTIVITY_HEADER) + "\r\nF00001,,class_day,1,2025-03-05,第一\x00期\r\n").encode("utf-8")


def unbalanced_quote_csv() -> bytes:
    """A quote mark opens the note of row 2 and is never closed: rows 2 and 3 became one record (issue 8)."""
    return (
        ",".join(ACTIVITY_HEADER)
        + '\r\nF00001,,class_day,1,2025-03-05,"第一期\r\nF00002,,online_hour,10,2025-04-01,\r\n'
    ).encode("utf-8")


def shared_strings_many(*, count: int) -> bytes:
    sheet = sheet_chunks(header_and(activity_rows(2)))
    return xlsx(sheet, shared_strings=(f"<si><t>s{i}</t></si>" for i in range(count)))


def shared_strings_deep(*, depth: int) -> bytes:
    nested = "<r>" * depth + "<t>x</t>" + "</r>" * depth
    return xlsx(sheet_chunks(header_and(activity_rows(2))), shared_strings=[f"<si>{nested}</si>"])


def many_parts(*, parts: int) -> bytes:
    return xlsx(sheet_chunks(header_and(activity_rows(2))), extra={f"xl/media/p{i}.bin": b"" for i in range(parts)})


def forged_row_number() -> bytes:
    """A row numbered past Excel's last row: read naively, billions of empty rows come before it."""
    return xlsx(sheet_chunks([row_xml(1, ACTIVITY_HEADER), row_xml(999_999_999, ["F00001", "", "class_day", 1])]))


def huge_styles(*, size: int, varied: bool = False) -> bytes:
    """A styles part openpyxl would parse whole (a DOM of ``size`` bytes); ``varied``: number formats that do not
    pack tightly (so the part passes the ratio check and reaches the size check, or openpyxl)."""
    import random

    rng = random.Random(8)
    count = size // 60
    formats = (f'<numFmt numFmtId="{200 + i}" formatCode="{rng.getrandbits(64):016x}0"/>' if varied
               else '<numFmt numFmtId="200" formatCode="0"/>' for i in range(count))  # fmt: skip
    body = '<?xml version="1.0"?><styleSheet xmlns="' + MAIN + '"><numFmts>' + "".join(formats)
    body += "</numFmts></styleSheet>"
    return xlsx(sheet_chunks(header_and(activity_rows(2))), extra={"xl/styles.xml": body})
