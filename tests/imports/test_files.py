"""Files people really have: encodings, blank lines, spaces, numbers as text, full-width digits, merged headers,
formulas, old .xls and other file types, files over the size limit, and every date format."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from credits.models import ActivityRecord
from imports import files
from imports.resources import ACTIVITY_COLUMNS, ActivityRecordResource
from imports.services import start_import

from .helpers import ACTIVITY_HEADER, csv_bytes, upload, with_cached_values, xlsx_bytes

ROWS = [
    ["F001", "张伟", "class_day", "2", "2025-03-05", "第一期"],
    ["F002", "李娜", "online_hour", "10", "2025-04-01", ""],
]


def table(data: bytes, name: str = "x.xlsx") -> files.Table:
    return files.read_table(data, ACTIVITY_COLUMNS, name=name)


def values(data: bytes, name: str = "x.xlsx") -> list[tuple[int, dict]]:
    return table(data, name).rows


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_every_encoding_people_save(encoding):
    rows = values(csv_bytes([ACTIVITY_HEADER, *ROWS], encoding=encoding), "x.csv")
    assert [n for n, _ in rows] == [2, 3]
    assert rows[0][1] == {
        "staff_no": "F001", "name": "张伟", "kind": "class_day", "quantity": "2", "occurred_on": "2025-03-05",
        "note": "第一期",
    }  # fmt: skip


def test_csv_as_excel_unicode_text_tab_separated():
    rows = values(csv_bytes([ACTIVITY_HEADER, *ROWS], encoding="utf-16", delimiter="\t"), "x.txt")
    assert rows[1][1]["staff_no"] == "F002" and rows[1][1]["name"] == "李娜"


def test_blank_lines_are_skipped_and_rows_keep_their_numbers():
    data = csv_bytes([ACTIVITY_HEADER, ROWS[0], [], ["", " ", "", "", "", ""], ROWS[1]], encoding="gbk")
    assert [n for n, _ in values(data, "x.csv")] == [2, 5]


def test_trailing_spaces_trimmed_and_numbers_stored_as_text():
    data = xlsx_bytes([ACTIVITY_HEADER, [" F001 ", "张伟\u3000", "class_day ", " 2 ", "2025-03-05  ", "备注 "]])
    row = values(data)[0][1]
    assert row == {"staff_no": "F001", "name": "张伟", "kind": "class_day", "quantity": "2",
                   "occurred_on": "2025-03-05", "note": "备注"}  # fmt: skip


def test_full_width_digits_and_punctuation():
    data = csv_bytes(
        [ACTIVITY_HEADER, ["Ｆ００１", "张伟", "ｃｌａｓｓ＿ｄａｙ", "２．５", "２０２５／３／５", "一，二"]],
        encoding="gbk",
    )
    row = values(data, "x.csv")[0][1]
    assert (row["staff_no"], row["kind"], row["quantity"], row["occurred_on"]) == (
        "F001", "class_day", "2.5", "2025/3/5"
    )  # fmt: skip
    assert row["note"] == "一，二"  # free text keeps its Chinese punctuation


def test_header_found_below_a_merged_title_row():
    data = xlsx_bytes([["2025年度学习记录"], [], ACTIVITY_HEADER, ROWS[0]], merged=["A1:F1"])
    t = table(data)
    assert t.header_row == 3 and [n for n, _ in t.rows] == [4]


def test_two_level_merged_header():
    # 工号 and 姓名 are merged over rows 1-2; "学习情况" spans C1:E1 with its own headers in row 2.
    data = xlsx_bytes(
        [["工号", "姓名", "学习情况", None, None, "备注"], [None, None, "学习类型", "数量", "日期", None], ROWS[0]],
        merged=["A1:A2", "B1:B2", "C1:E1", "F1:F2"],
    )
    t = table(data)
    assert t.header_row == 2
    assert t.rows[0][1]["staff_no"] == "F001" and t.rows[0][1]["note"] == "第一期"


def test_a_date_merged_over_several_rows_applies_to_each():
    data = xlsx_bytes(
        [ACTIVITY_HEADER, ["F001", "张伟", "class_day", 1, datetime(2025, 3, 5)], ["F002", "李娜", "class_day", 1]],
        merged=["E2:E3"],
    )
    assert [r["occurred_on"] for _, r in values(data)] == [datetime(2025, 3, 5)] * 2


def test_formula_cells_give_their_calculated_values():
    data = with_cached_values(xlsx_bytes([ACTIVITY_HEADER, ["F001", "张伟", "class_day", "=1+1", "2025-03-05"]]),
                              {"D2": "2"})  # fmt: skip
    assert values(data)[0][1]["quantity"] == 2


def test_a_formula_without_a_calculated_value_is_a_row_problem(staff_user, officials):
    data = xlsx_bytes([ACTIVITY_HEADER, ["F001", "张伟", "class_day", "=1+1", "2025-03-05"]])
    assert values(data)[0][1]["quantity"] is files.FORMULA_WITHOUT_VALUE
    with translation.override("zh-hans"):
        read = ActivityRecordResource(by=staff_user, year=2025).read(table(data))
    assert read.problems == [(2, "quantity", "公式没有计算结果，请在 Excel 中保存后再导入")]


def test_old_excel_xls_gets_a_clear_message():
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600
    with pytest.raises(ValidationError, match=r"old-style Excel file \(\.xls\).*save it as \.xlsx"):
        table(data, "records.xls")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "records.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "records.png"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00", "records.dat"),
    ],
)
def test_a_file_of_the_wrong_type_gets_a_clear_message(data, name):
    with pytest.raises(ValidationError, match="not a spreadsheet"):
        table(data, name)


def test_a_zip_that_is_not_a_workbook_gets_a_clear_message():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValidationError, match="not a spreadsheet"):
        table(out.getvalue(), "records.docx")


def test_a_damaged_xlsx_gets_a_clear_message():
    data = xlsx_bytes([ACTIVITY_HEADER, ROWS[0]])
    with pytest.raises(ValidationError, match="damaged"):
        table(data[: len(data) // 2])


def test_a_file_over_the_limit_is_refused_before_it_is_read(staff_user, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 1000
    monkeypatch.setattr(files, "read_table", lambda *a, **k: pytest.fail("the file was read"))
    data = csv_bytes([ACTIVITY_HEADER] + [ROWS[0]] * 50)
    with pytest.raises(ValidationError, match="larger than 0.00 MB"):
        start_import(by=staff_user, kind="activities", upload=upload(data, "big.csv"), year=2025)
    from imports.models import ImportJob

    assert not ImportJob.objects.exists()


def test_an_empty_file_is_refused(staff_user):
    with pytest.raises(ValidationError, match="empty"):
        start_import(by=staff_user, kind="activities", upload=upload(b"", "x.csv"), year=2025)


def test_headers_as_code_names_with_marks_and_hints():
    data = csv_bytes(
        [["staff_no", "kind", "数量（天/学时/次）", "*日期", "Note"], ["F001", "class_day", "1", "2025-3-5", "x"]]
    )
    assert values(data, "x.csv")[0][1] == {
        "staff_no": "F001", "kind": "class_day", "quantity": "1", "occurred_on": "2025-3-5", "note": "x"
    }  # fmt: skip


def test_no_header_row_names_the_missing_columns():
    with pytest.raises(ValidationError, match="“学习类型”、“数量”"):
        table(csv_bytes([["工号", "姓名", "日期"], ["F001", "张伟", "2025-03-05"]]), "x.csv")


def test_a_column_twice_in_the_header():
    with pytest.raises(ValidationError, match="“数量” appears twice"):
        table(csv_bytes([[*ACTIVITY_HEADER, "quantity"], ROWS[0]]), "x.csv")


def test_the_sheet_with_the_header_is_found_after_a_cover_sheet():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["请在第二个工作表填写"])
    sheet = book.create_sheet("数据")
    for row in [ACTIVITY_HEADER, ROWS[0]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    t = table(out.getvalue())
    assert t.sheet == "数据" and len(t.rows) == 1


def test_every_date_format(staff_user, officials):
    cells = [datetime(2025, 3, 5), "2025-03-05", "2025/3/5", "2025年3月5日", "20250305", 20250305, 45721,
             "2025.3.5", "２０２５年３月５日", "2025-03-05 00:00:00"]  # fmt: skip
    data = xlsx_bytes([ACTIVITY_HEADER] + [["F001", "张伟", "class_day", 1, cell] for cell in cells])
    read = ActivityRecordResource(by=staff_user, year=2025).read(table(data))
    assert read.problems == []
    assert {v.occurred_on for _, v in read.rows} == {date(2025, 3, 5)}


def test_bad_cells_are_named_by_row_and_column(staff_user, officials):
    data = xlsx_bytes(
        [ACTIVITY_HEADER, ["F001", "张伟", "class_day", "两天", "2025-02-30"], ["F001", None, "x", 1, "2025-03-05"]]
    )
    read = ActivityRecordResource(by=staff_user, year=2025).read(table(data))
    assert read.problems == [
        (2, "quantity", "“两天” is not a number."),
        (2, "occurred_on", "“2025-02-30” is not a date; write it as 2025-03-05."),
        (3, "kind", "Unknown kind “x”; see the codes sheet of the template."),
    ]


def test_kinds_by_their_chinese_name_and_numbers_in_excel_cells(staff_user, officials):
    data = xlsx_bytes([ACTIVITY_HEADER, [1001.0, None, "市干教办菜单式讲座", 2.5, "2025-03-05"]])
    read = ActivityRecordResource(by=staff_user, year=2025).read(table(data))
    assert read.problems == [(2, "staff_no", "There is no official with staff number “1001”.")]
    data = xlsx_bytes([ACTIVITY_HEADER, ["F001", None, "市干教办“菜单式”讲座", 2.5, "2025-03-05"]])
    ((number, row),) = ActivityRecordResource(by=staff_user, year=2025).read(table(data)).rows
    assert (row.kind, row.quantity) == ("menu_city_lecture", Decimal("2.5"))
    assert not ActivityRecord.objects.exists()
