"""The registration form and training archive as PDF: valid PDFs with the official's name in a CJK font, the same
figures as the print pages, and who may have them."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from pypdf import PdfReader

from credits import services
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official, StudyAdministrator
from tests.conftest import YEAR, make_user
from tests.reports.headers import inline

pytestmark = pytest.mark.django_db

# Kinds the training section enters with a quantity of 1 and nothing else: twelve lines on the form.
MANY_KINDS = [
    "class_day", "class_speech", "class_reflection", "secondment_month", "menu_city_lecture", "menu_other_lecture",
    "central_group_speaker", "central_group_listener", "superior_central_group", "book_reflection", "study_paper",
    "teaching_topic",
]  # fmt: skip


def add(by, official, kind, quantity, on=None, **extra):
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=on or date(YEAR, 5, 1), **extra
    )


@pytest.fixture
def zhang(staff_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "menu_city_lecture", 4, note="<b>不是标记</b> & 其他")  # markup in a note stays text
    add(staff_user, zhang, "online_hour", 60)
    add(staff_user, zhang, "class_day", 3, on=date(YEAR - 1, 4, 1))
    for year in (YEAR - 1, YEAR):
        refresh_stale()
        rank_year(year=year)
    return zhang


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return PdfReader(BytesIO(content))


def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts(reader: PdfReader) -> dict[str, dict]:
    """Every font the pages use: its name and descriptor."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            for descendant in font.get("/DescendantFonts", []):  # a CID (Type0) font keeps it in its descendant
                descriptor = descendant.get_object().get("/FontDescriptor")
            found[font["/BaseFont"]] = descriptor.get_object() if descriptor is not None else {}
    return found


STANDARD_14 = {"/Helvetica"}  # reportlab lists Helvetica in every page's resources; no text is drawn with it


def assert_fonts_embedded(reader: PdfReader) -> None:
    used = {name: d for name, d in fonts(reader).items() if name not in STANDARD_14}
    assert used, "no font"
    assert [name for name, d in used.items() if "/FontFile2" not in d and "/FontFile3" not in d] == []
    assert all("WenQuanYi" in name for name in used)  # a real CJK font, not STSong-Light (never embedded)


def test_registration_form_pdf_for_the_official(zhang):
    response = browser(zhang.user).get(f"/reports/officials/F001/registration-form/{YEAR}.pdf")
    assert response["Content-Disposition"] == inline(
        f"{YEAR}年度考核登记表（张伟 F001）.pdf", f"registration-form-{YEAR}-F001.pdf"
    )
    reader = pdf(response)
    assert len(reader.pages) == 1
    assert reader.metadata.title == f"张伟 {YEAR} 年度考核登记表"
    assert_fonts_embedded(reader)
    words = text(reader)
    assert "\ufffd" not in words and f"张伟 · F001 · {YEAR}" in words  # "·" reads back as "·" (was "�" in some)
    expected = ("干部年度考核登记表", "张伟", "F001", "市财政局", "“菜单式”选学", "市干教办“菜单式”讲座", "签字确认")
    assert [item for item in expected if item not in words] == []


def test_the_registration_form_sums_the_records_by_kind_on_one_page(officials, staff_user):
    """46 half-hours of online study were 46 lines over 4-5 pages; summed by kind the form is one A4 page."""
    li = officials["li"]
    for n in range(46):
        add(staff_user, li, "online_hour", 0.5, on=date(YEAR, n % 12 + 1, n // 12 + 1), note="网络学院专题课程" * 3)
    for n in range(7):
        add(staff_user, li, "central_group_listener", 1, on=date(YEAR, n + 1, 10))
    for n, kind in enumerate(MANY_KINDS, start=1):  # 13 lines in all, and a veto with a note
        add(staff_user, li, kind, 1, on=date(YEAR, n, 20))
    services.record_veto(by=staff_user, official=li, year=YEAR, reason="discipline", note="培训期间多次缺课")
    refresh_stale()
    reader = pdf(browser(staff_user).get(f"/reports/officials/F002/registration-form/{YEAR}.pdf"))
    assert len(reader.pages) == 1
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    words = "\n".join(lines)
    assert "已通过的学习记录（65 条）" in words
    online = lines.index("网络学院学时")
    assert lines[online + 1 : online + 4] == ["46", "23 学时", f"{YEAR}-01-01 – {YEAR}-12-03"]
    assert "网络学院专题课程" not in words  # the notes are in the archive
    assert "每条已通过的记录详见干部教育培训档案。" in words
    page = browser(staff_user).get(f"/staff/officials/F002/registration/{YEAR}/").content.decode()
    assert page.count("网络学院学时") == 1 and "23 学时" in page and 'data-testid="kinds"' in page


def test_archive_pdf_has_every_year(zhang, staff_user):
    response = browser(staff_user).get("/reports/officials/F001/archive.pdf")
    assert response["Content-Disposition"] == inline("干部教育培训档案（张伟 F001）.pdf", "training-archive-F001.pdf")
    reader = pdf(response)
    assert_fonts_embedded(reader)
    words = text(reader)
    assert "干部教育培训档案" in words and "张伟" in words
    assert f"{YEAR} 年度" in words and f"{YEAR - 1} 年度" in words
    assert "共 3 条已通过的记录" in words


def test_a_long_archive_runs_over_several_pages(staff_user, officials):
    li = officials["li"]
    for day in range(1, 29):
        for month in (1, 2, 3):
            add(staff_user, li, "online_hour", 1, on=date(YEAR, month, day), note="网络学院专题课程" * 3)
    reader = pdf(browser(staff_user).get("/reports/officials/F002/archive.pdf"))
    assert len(reader.pages) >= 3
    assert "第 3 页" in reader.pages[2].extract_text()
    first = reader.pages[0].extract_text()
    # The archive starts on its first page: the year's heading and its first records under the results, not a
    # nearly empty page (the heading was kept with the whole table and both went to page 2).
    assert f"{YEAR} 年度" in first and f"{YEAR}-01-01" in first and f"{YEAR}-01-12" in first


def test_an_official_with_nothing_on_record(officials, staff_user):
    words = text(pdf(browser(staff_user).get("/reports/officials/E001/archive.pdf")))
    assert "暂无培训记录" in words
    words = text(pdf(browser(staff_user).get(f"/reports/officials/E001/registration-form/{YEAR}.pdf")))
    assert "尚未评定" in words and "无已通过的记录" in words


def test_exempt_official_form_says_why(officials, staff_user):
    services.record_exemption(by=staff_user, official=officials["wang"], year=YEAR, reason="other", note="援疆")
    refresh_stale()
    words = text(pdf(browser(staff_user).get(f"/reports/officials/E001/registration-form/{YEAR}.pdf")))
    assert "免于考核: 市委组织部认定的其他情况（援疆）" in words


def test_who_may_have_an_officials_pdf(zhang, officials, unit_admin_user):
    form, archive = f"/reports/officials/F001/registration-form/{YEAR}.pdf", "/reports/officials/F001/archive.pdf"
    for allowed in (zhang.user, unit_admin_user):
        assert browser(allowed).get(form).status_code == 200
        assert browser(allowed).get(archive).status_code == 200
    wang = browser(officials["wang"].user)  # an official of another unit
    assert wang.get(form).status_code == 404 and wang.get(archive).status_code == 404
    other_admin = make_user("education_admin")
    StudyAdministrator.objects.create(user=other_admin, unit=officials["wang"].unit)
    assert browser(other_admin).get(form).status_code == 404
    assert browser(make_user("nobody")).get(archive).status_code == 404
    assert browser(zhang.user).get("/reports/officials/F002/archive.pdf").status_code == 404  # a colleague
    assert browser(zhang.user).get("/reports/officials/NOPE/archive.pdf").status_code == 404
    assert browser(zhang.user).get("/reports/officials/F001/registration-form/1999.pdf").status_code == 404
    anonymous = browser().get(archive)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_pdf_links_on_the_print_pages(zhang, staff_user):
    page = browser(zhang.user).get(f"/me/registration-form/{YEAR}/").content.decode()
    assert f'href="/reports/officials/F001/registration-form/{YEAR}.pdf"' in page
    page = browser(zhang.user).get("/me/archive/").content.decode()
    assert 'href="/reports/officials/F001/archive.pdf"' in page
    page = browser(staff_user).get(f"/staff/officials/F001/registration/{YEAR}/").content.decode()
    assert f'href="/reports/officials/F001/registration-form/{YEAR}.pdf"' in page


def test_a_name_with_markup_is_text(staff_user, units):
    Official.objects.create(staff_no="X1", name="<i>欧阳</i>&", unit=units["finance"])
    words = text(pdf(browser(staff_user).get(f"/reports/officials/X1/registration-form/{YEAR}.pdf")))
    assert "<i>欧阳</i>&" in words


def test_pdf_queries_do_not_grow_with_the_records(zhang, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(staff_user)

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    form, archive = f"/reports/officials/F001/registration-form/{YEAR}.pdf", "/reports/officials/F001/archive.pdf"
    before = (count(form), count(archive))
    for month in range(1, 13):
        add(staff_user, zhang, "online_hour", 2, on=date(YEAR - 2, month, 1))
        add(staff_user, zhang, "study_paper", 1, on=date(YEAR, month, 2))
    assert (count(form), count(archive)) == before


@pytest.fixture
def no_font_file(monkeypatch):
    from credits import pdf_fonts

    pdf_fonts.cjk_font.cache_clear()
    monkeypatch.setattr(pdf_fonts, "CANDIDATES", [("Missing", "/nonexistent/font.ttc", 0)])
    yield
    pdf_fonts.cjk_font.cache_clear()


def test_without_a_font_file_the_pdf_falls_back_with_a_warning(no_font_file, zhang, caplog):
    response = browser(zhang.user).get(f"/reports/officials/F001/registration-form/{YEAR}.pdf")
    reader = pdf(response)
    assert "/STSong-Light" in fonts(reader)
    assert "干部年度考核登记表" in text(reader)
    assert any("No TrueType CJK font installed" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
