"""Bad files (issue 8): each is refused, or its bad cells named by row and column, in plain words; nothing is
imported; never a 500, through the API and the pages. The NUL and quote-mark regressions; a large file is a
background job and the request does not wait for it. The files are built small, in memory (tests/imports/bad_files.py;
the limits lowered where a limit is the point); bench/import_bad_files.py measures the big ones."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connections
from django.urls import reverse

from credits.models import ActivityRecord
from imports import services
from imports.models import ImportJob
from imports.resources import ACTIVITY_COLUMNS
from imports.tasks import run_import
from tests.conftest import client_for

from . import bad_files
from .helpers import ACTIVITY_HEADER, csv_bytes, upload, xlsx_bytes

URL = "/api/v1/imports/activities/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
GOOD_ROWS = [
    ["F001", "张伟", "class_day", 2, "2025-03-05", "第一期"],
    ["F002", "李娜", "online_hour", 10, "2025-04-01"],
]


def post(client, data: bytes, name: str, **fields):
    return client.post(URL, {"file": upload(data, name), "year": 2025, **fields}, format="multipart")


def zip_bomb(unpacked: int) -> bytes:
    out = io.BytesIO()
    bad_files.zip_bomb(out, unpacked=unpacked)
    return out.getvalue()


def rows_xlsx(rows: int) -> bytes:
    out = io.BytesIO()
    bad_files.many_rows_xlsx(out, rows=rows)
    return out.getvalue()


def rows_csv(rows: int) -> bytes:
    out = io.BytesIO()
    bad_files.many_rows_csv(out, rows=rows)
    return out.getvalue()


# (name, file, settings to lower, words the message must hold). Each is refused as a whole file (row 0).
REFUSED = [
    ("merged-range bomb", lambda: bad_files.merged_range_bomb(ranges=60, rows_each=100_000), {},
     "merges 6,000,000 cells in 60 ranges; at most 1,000,000 merged cells"),
    ("too many merged ranges", lambda: bad_files.merged_range_bomb(ranges=30, rows_each=2),
     {"IMPORT_XLSX_MAX_MERGED_RANGES": 20}, "more than 20 merged ranges"),
    ("huge declared dimension", lambda: bad_files.huge_dimension(), {},
     "says it spans A1:XFD1048576: 1,048,576 rows and 16,384 columns; at most 100,000 rows and 200 columns"),
    ("rows past the limit (xlsx)", lambda: rows_xlsx(30), {"IMPORT_MAX_ROWS": 5},
     "more than 5 rows of data; split it"),
    ("rows past the limit (CSV)", lambda: rows_csv(30), {"IMPORT_MAX_ROWS": 5}, "more than 5 rows of data"),
    ("zip bomb, unpacked size", lambda: zip_bomb(3 * 1024 * 1024), {"IMPORT_XLSX_MAX_UNPACKED_BYTES": 2 * 1024 * 1024},
     "Unpacked, the .xlsx file would take 3 MB; at most 2 MB is read"),
    ("zip bomb, ratio", lambda: zip_bomb(3 * 1024 * 1024), {}, "“zip bomb”"),
    ("very wide row (xlsx)", lambda: bad_files.wide_rows_xlsx(rows=3), {},
     "Row 2 has a value in column XFD; a row may have at most 200 cells"),
    ("very wide row (CSV)", lambda: bad_files.wide_row_csv(cells=20_000), {}, "Row 2 has 20,001 cells"),
    ("wide row past the setting (CSV)", lambda: bad_files.wide_row_csv(cells=12), {"IMPORT_MAX_COLUMNS": 10},
     "Row 2 has 13 cells; a row may have at most 10"),
    ("too many shared strings", lambda: bad_files.shared_strings_many(count=500),
     {"IMPORT_XLSX_MAX_SHARED_STRINGS": 100}, "more than 100 different texts"),
    ("deeply nested shared strings", lambda: bad_files.shared_strings_deep(depth=200), {}, "may be damaged"),
    ("too many parts", lambda: bad_files.many_parts(parts=1_100), {}, "holds 1,106 parts; a workbook has at most"),
    ("a row numbered past Excel's last", bad_files.forged_row_number, {}, "may be damaged"),
    ("a huge styles part", lambda: bad_files.huge_styles(size=4 * 1024 * 1024),
     {"IMPORT_XLSX_MAX_PART_BYTES": 1024 * 1024, "IMPORT_XLSX_MAX_RATIO": 10_000},
     "(xl/styles.xml) is 3 MB unpacked; at most 1 MB is read"),
    ("parts parsed whole, together", lambda: bad_files.xlsx(
        bad_files.sheet_chunks(bad_files.header_and(bad_files.activity_rows(2))),
        extra={"xl/a.xml": "<a>" + " " * 700_000 + "</a>", "xl/b.xml": "<b>" + " " * 700_000 + "</b>"}),
     {"IMPORT_XLSX_MAX_PART_BYTES": 1024 * 1024, "IMPORT_XLSX_MAX_RATIO": 10_000},
     "take 1 MB unpacked together; at most 1 MB is read"),
]  # fmt: skip


def name_of(label: str) -> str:
    return "bad.csv" if "CSV" in label else "bad.xlsx"


@pytest.mark.parametrize("label, build, limits, words", REFUSED, ids=[case[0] for case in REFUSED])
def test_a_bad_file_is_refused_in_plain_words_by_the_api(staff_api, officials, settings, label, build, limits, words):
    for setting, value in limits.items():
        setattr(settings, setting, value)
    for dry_run in ("true", "false"):
        response = post(staff_api, build(), name_of(label), dry_run=dry_run)
        assert response.status_code == 400, response.content
        (problem,) = response.json()["errors"]
        assert problem["row"] == 0 and words in problem["message"]
    assert not ActivityRecord.objects.exists()


@pytest.mark.parametrize("label, build, limits, words", REFUSED[:4], ids=[case[0] for case in REFUSED[:4]])
def test_a_bad_file_is_refused_in_plain_words_on_the_page(client, staff_user, settings, label, build, limits, words):
    for setting, value in limits.items():
        setattr(settings, setting, value)
    client.force_login(staff_user)
    response = client.post(reverse("portal:imports"), {"kind": "activities", "year": 2025,
                                                       "file": upload(build(), name_of(label))}, **EN)  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200 and words in page.text and "nothing was written" in page.text
    assert not ActivityRecord.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Bad cells: named by row and column; the dry run finds what the import would fail on


@pytest.fixture
def inline(settings):
    settings.IMPORT_INLINE_MAX_BYTES = 1024 * 1024  # these files are checked inside the request


def test_a_nul_byte_is_named_by_the_dry_run_and_the_import_writes_nothing(staff_api, officials, inline):
    """Regression: a NUL in a note passed the dry run and the import failed with "ValueError" and HTTP 200."""
    data = ("工号,姓名,学习类型,数量,日期,备注\r\nF001,张伟,class_day,1,2025-03-05,第一\x00期\r\n"
            "F002,李娜,online_hour,10,2025-04-01,\r\n").encode()  # fmt: skip
    dry = post(staff_api, data, "records.csv")
    assert dry.status_code == 200 and dry.json()["status"] == "invalid"
    expected = [{"row": 2, "column": "备注", "message": "This cell holds an invisible NUL character (code 0), which "
                 "cannot be stored. Retype the cell and save the file again."}]  # fmt: skip
    assert dry.json()["errors"] == expected
    real = post(staff_api, data, "records.csv", dry_run="false")
    assert real.status_code == 400 and real.json()["errors"] == expected
    assert not ActivityRecord.objects.exists()


def test_an_unbalanced_quote_never_merges_two_rows_into_one(staff_api, officials):
    """Regression: an unterminated quote silently merged rows 2 and 3 into one record."""
    data = ('工号,姓名,学习类型,数量,日期,备注\r\nF001,张伟,class_day,1,2025-03-05,"第一期\r\n'
            "F002,李娜,online_hour,10,2025-04-01,\r\n").encode()  # fmt: skip
    for dry_run, status in (("true", 200), ("false", 400)):
        response = post(staff_api, data, "records.csv", dry_run=dry_run)
        assert response.status_code == status
        (problem,) = response.json()["errors"]
        assert (problem["row"], problem["column"]) == (2, "备注")
        assert problem["message"].startswith('A quote mark (") opens this cell and is not closed where the cell ends')
        assert "lines 2 to 3 of the file" in problem["message"]
    assert not ActivityRecord.objects.exists()


def test_a_quote_closed_rows_later_is_named_too(staff_api, officials):
    data = ('工号,姓名,学习类型,数量,日期,备注\r\nF001,张伟,class_day,1,2025-03-05,"第一期\r\n'
            'F002,李娜,online_hour,10,2025-04-01,"\r\n').encode()  # fmt: skip
    (problem,) = post(staff_api, data, "records.csv").json()["errors"]
    assert (problem["row"], problem["column"]) == (2, "备注") and "lines 2 to 3" in problem["message"]


def test_text_after_a_closing_quote_is_named_with_its_column_letter(staff_api, officials):
    data = '工号,姓名,学习类型,数量,日期,备注,其他\r\nF001,张伟,class_day,1,2025-03-05,x,"a"b\r\n'.encode()
    (problem,) = post(staff_api, data, "records.csv").json()["errors"]
    assert (problem["row"], problem["column"]) == (2, "G") and "quote mark" in problem["message"]


def test_a_cell_over_several_lines_is_still_one_cell(staff_api, officials):
    data = '工号,姓名,学习类型,数量,日期,备注\r\nF001,张伟,class_day,1,2025-03-05,"第一期\r\n第二期, 好"\r\n'.encode()
    response = post(staff_api, data, "records.csv")
    assert response.json()["status"] == "done" and response.json()["created"] == 1


def test_a_quote_problem_in_the_header_area_names_row_and_column(staff_api, officials):
    data = b'"title\r\n' + csv_bytes([ACTIVITY_HEADER, GOOD_ROWS[0]], encoding="utf-8")
    (problem,) = post(staff_api, data, "records.csv").json()["errors"]
    assert problem["row"] == 0 and problem["message"].startswith("Row 1, column A: A quote mark")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cell_longer_than_excel_allows_is_named_in_plain_words(staff_api, officials, inline, fmt):
    """Regression: a 131,072-character cell gave csv's own "field larger than field limit"."""
    long_note = "长" * 131_072
    rows = [ACTIVITY_HEADER, ["F001", "张伟", "class_day", 1, "2025-03-05", long_note], GOOD_ROWS[1]]
    # (openpyxl cuts a cell at 32,767 characters when it writes: the xlsx is written as raw XML)
    data = csv_bytes(rows) if fmt == "csv" else bad_files.xlsx(bad_files.sheet_chunks(bad_files.header_and(rows[1:])))
    response = post(staff_api, data, f"records.{fmt}")
    assert response.status_code == 200 and response.json()["errors"] == [
        {"row": 2, "column": "备注",
         "message": "This cell holds 131,072 characters; a cell may hold at most 32,767 (Excel's own limit)."}
    ]  # fmt: skip
    assert "field limit" not in response.text and not ActivityRecord.objects.exists()


def test_the_cell_limit_is_a_setting(settings):
    from imports import files

    settings.IMPORT_MAX_CELL_CHARS = 10
    table = files.read_table(csv_bytes([ACTIVITY_HEADER, ["F001", "张伟", "class_day", 1, "2025-03-05", "x" * 11]]),
                             ACTIVITY_COLUMNS, name="x.csv")  # fmt: skip
    assert table.problems == [(2, "note", "This cell holds 11 characters; a cell may hold at most 10 (Excel's own "
                                          "limit).")]  # fmt: skip


def test_a_merged_header_and_a_merged_date_still_read_after_the_checks(staff_api, officials):
    data = xlsx_bytes(
        [
            ["2025年度学习记录"],
            ACTIVITY_HEADER,
            ["F001", "张伟", "class_day", 1, "2025-03-05"],
            ["F002", "李娜", "class_day", 1],
        ],  # fmt: skip
        merged=["A1:F1", "E3:E4"],
    )
    response = post(staff_api, data, "records.xlsx")
    assert response.json()["status"] == "done" and response.json()["created"] == 2


def test_rows_at_the_limit_are_read(staff_api, officials, settings):
    settings.IMPORT_MAX_ROWS = 2
    assert post(staff_api, xlsx_bytes([ACTIVITY_HEADER, *GOOD_ROWS]), "records.xlsx").json()["status"] == "done"


# ---------------------------------------------------------------------------------------------------
# Large files: always a background job; the request returns at once


def test_a_large_file_is_a_background_job_and_the_request_does_not_run_it(
    staff_api, officials, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_BYTES = 100
    ran = []
    monkeypatch.setattr(services, "run_import_job", lambda **kwargs: ran.append(kwargs))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(staff_api, xlsx_bytes([ACTIVITY_HEADER, *GOOD_ROWS]), "records.xlsx", dry_run="false")
    assert response.status_code == 202 and response.json()["status"] == "pending" and ran == []
    assert response["Location"].endswith(f"/api/v1/imports/jobs/{response.json()['id']}/")
    assert len(callbacks) == 1  # the job starts after commit, in the worker or the embedded thread


def test_the_page_of_a_large_file_shows_its_progress(client, staff_user, officials, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 100
    client.force_login(staff_user)
    response = client.post(reverse("portal:imports"), {"kind": "activities", "year": 2025,
                                                       "file": upload(rows_csv(3), "records.csv")})  # fmt: skip
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("portal:import-job", args=[job.pk])
    page = client.get(response["Location"], **EN)
    assert job.status == "pending" and "The file is large; it waits for the background worker" in page.text
    assert 'hx-get="' in page.text


def test_a_small_file_with_many_rows_is_a_background_job_too(staff_user, officials, monkeypatch, settings):
    monkeypatch.setattr(services, "INLINE_MAX_ROWS", 3)
    job = services.start_import(by=staff_user, kind="activities", upload=upload(rows_csv(5), "r.csv"), year=2025)
    assert job.status == "pending"  # not run here (no commit in this test: the job waits)


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_mode_the_request_returns_while_the_job_runs_in_a_thread(
    staff_user, officials, settings, monkeypatch
):
    settings.EMBEDDED_JOBS = "thread"
    settings.IMPORT_INLINE_MAX_BYTES = 100
    started, release = threading.Event(), threading.Event()
    real_read = services.read_table

    def slow_read(*args, **kwargs):
        started.set()
        assert release.wait(10)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(services, "read_table", slow_read)
    response = post(client_for(staff_user), xlsx_bytes([ACTIVITY_HEADER, *GOOD_ROWS]), "records.xlsx", dry_run="false")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    assert started.wait(10)  # running in the background while the response is already here
    job = ImportJob.objects.get()
    assert job.status == "running" and not ActivityRecord.objects.exists()
    release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("job-"):
            thread.join(10)
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 2) and ActivityRecord.objects.count() == 2
    connections.close_all()


def test_a_background_job_of_a_bad_file_keeps_the_problem_on_its_row(staff_user, officials, settings):
    job = ImportJob.objects.create(kind="activities", year=2025, dry_run=True, requested_by=staff_user)
    from django.core.files.base import ContentFile

    job.file.save("bomb.xlsx", ContentFile(bad_files.merged_range_bomb()))
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "invalid" and "merged cells" in job.errors[0]["message"]


def test_a_small_xlsx_holding_much_xml_is_a_background_job(staff_user, officials, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 64 * 1024
    settings.IMPORT_XLSX_MAX_RATIO = 10_000
    padding = b"<worksheet>" + b" " * 3 * 1024 * 1024 + b"</worksheet>"  # a few KB that unpack to 3 MB of XML
    data = bad_files.xlsx(bad_files.sheet_chunks(bad_files.header_and(bad_files.activity_rows(2))),
                          extra={"xl/worksheets/sheet2.xml": padding})  # fmt: skip
    assert len(data) < 64 * 1024  # judged by its XML's size, not counted in the request
    job = services.start_import(by=staff_user, kind="activities", upload=upload(data, "r.xlsx"), year=2025)
    assert job.status == "pending"


def test_every_problem_is_counted_though_only_the_first_are_kept(staff_user, officials, monkeypatch):
    monkeypatch.setattr(services, "KEEP_PROBLEMS", 3)
    rows = [["F404", "", "class_day", 1, "2025-03-05"]] * 10
    job = services.start_import(by=staff_user, kind="activities", upload=upload(xlsx_bytes([ACTIVITY_HEADER, *rows])),
                                year=2025)  # fmt: skip
    assert (job.status, job.error_count, [e["row"] for e in job.errors]) == ("invalid", 10, [2, 3, 4])


def test_a_check_finding_very_many_problems_stops_and_says_where(staff_user, officials, monkeypatch):
    from imports import limits, resources

    monkeypatch.setattr(resources, "STOP_AFTER_PROBLEMS", 3)
    monkeypatch.setattr(resources, "READ_CHUNK", 2)
    monkeypatch.setattr(limits, "STOP_AFTER_PROBLEMS", 3)
    rows = [["F404", "", "class_day", "x", "2025-03-05"]] * 10  # two problems a row
    job = services.start_import(by=staff_user, kind="activities", upload=upload(xlsx_bytes([ACTIVITY_HEADER, *rows])),
                                year=2025)  # fmt: skip
    assert job.status == "invalid" and job.errors[0] == {
        "row": 0, "column": "",
        "message": "The check stopped at row 3 after finding more than 3 problems; correct these and check the file "
                   "again.",
    }  # fmt: skip
    assert [e["row"] for e in job.errors[1:]] == [2, 2, 3, 3]
    nul_rows = [["F001", "张伟", "class_day", 1, "2025-03-05", "a\x00"]] * 10
    job = services.start_import(by=staff_user, kind="activities", upload=upload(csv_bytes([ACTIVITY_HEADER, *nul_rows]),
                                "r.csv"), year=2025)  # fmt: skip
    assert job.errors[0]["message"].startswith("The check stopped at row 5")
    assert {e["row"] for e in job.errors[1:]} == {2, 3, 4, 5}  # rows past 5 were not read


def test_many_shared_strings_within_the_limits_are_read(staff_api, officials, settings):
    settings.IMPORT_XLSX_MAX_PART_BYTES = 4096  # the shared strings are streamed: not a part parsed whole
    header = "".join(f'<c r="{bad_files.column(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(5))
    row = '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="C2" t="inlineStr"><is><t>class_day</t></is></c>' \
          '<c r="D2"><v>1</v></c><c r="E2" t="inlineStr"><is><t>2025-03-05</t></is></c></row>'  # fmt: skip
    strings = [f"<si><t>{text}</t></si>" for text in [*ACTIVITY_HEADER[:5], "F001", *(f"x{i}" for i in range(500))]]
    data = bad_files.xlsx(bad_files.sheet_chunks([f'<row r="1">{header}</row>', row]), shared_strings=strings)
    assert post(staff_api, data, "records.xlsx").json()["status"] == "done"


def test_the_page_names_a_nul_and_a_quote_mark_by_row_and_column(client, staff_user, officials, inline):
    client.force_login(staff_user)
    data = ("工号,姓名,学习类型,数量,日期,备注\r\nF001,张伟,class_day,1,2025-03-05,第一\x00期\r\n"
            'F002,李娜,online_hour,10,2025-04-01,"第二期\r\n'
            "F001,张伟,class_day,1,2025-03-06,\r\n").encode()  # fmt: skip
    response = client.post(reverse("portal:imports"), {"kind": "activities", "year": 2025,
                                                       "file": upload(data, "records.csv")}, **EN)  # fmt: skip
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200 and "2 problems found; nothing was written." in page.text
    assert '<td class="text-nowrap">2</td><td class="text-nowrap">备注</td>' in page.text
    assert '<td class="text-nowrap">3</td><td class="text-nowrap">备注</td>' in page.text
    assert "invisible NUL character" in page.text and "A quote mark (&quot;) opens this cell" in page.text
    assert not ActivityRecord.objects.exists()


def test_several_nul_characters_in_a_small_csv_are_each_named(staff_api, officials):
    rows = [["F001", "张伟", "class_day", 1, f"2025-03-0{day}", "第\x00一期"] for day in range(1, 6)]
    response = post(staff_api, csv_bytes([ACTIVITY_HEADER, *rows], encoding="utf-8"), "records.csv")
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(n, "备注") for n in range(2, 7)]
