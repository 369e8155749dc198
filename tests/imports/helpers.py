"""Real files made in the tests: xlsx (openpyxl; merged headers, formulas with and without values) and CSV."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

ACTIVITY_HEADER = ["工号", "姓名", "学习类型", "数量", "日期", "备注"]


def xlsx_bytes(rows, *, merged=(), sheet_title="导入数据", extra_sheets=()) -> bytes:
    """A workbook whose first sheet holds ``rows`` (lists of cell values; strings starting "=" are formulas)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    for ref in merged:
        sheet.merge_cells(ref)
    for title, extra_rows in extra_sheets:
        extra = book.create_sheet(title)
        for row in extra_rows:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells a cached value, as Excel does when it saves (openpyxl writes formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?',
                        rf"\g<1>\g<2><v>{value}</v>",
                        text,
                    )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def csv_bytes(rows, *, encoding="utf-8-sig", delimiter=",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def upload(data: bytes, name: str = "records.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
