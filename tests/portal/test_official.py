"""The official's pages (/me/): standing in words and bars, declaring with evidence, withdrawing, print pages,
who may open them, and a fixed number of queries whatever the number of records and years."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits import services
from credits.models import ActivityRecord, StaleScore
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests import evidence_files
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

PDF = evidence_files.pdf()  # a whole, well-formed PDF: evidence is parsed in full
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


def this_year() -> int:
    return timezone.localdate().year


def add(by, official, kind, quantity, on: date | None = None, **extra) -> ActivityRecord:
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=on or date(YEAR, 5, 1), **extra
    )


def score_all(*years: int) -> None:
    """What the worker does after commit: recompute the stale scores, then rank the years."""
    refresh_stale()
    for year in years:
        rank_year(year=year)


@pytest.fixture
def zhang(officials):
    return officials["zhang"]


@pytest.fixture
def zhang_client(client, zhang):
    client.force_login(zhang.user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# ---------------------------------------------------------------------------------------------------
# 我的学分: bars, lines, what is missing


def test_bars_carry_the_pass_lines_and_the_page_says_what_is_missing(zhang_client, zhang, staff_user):
    year = this_year()
    on = date(year, 1, 1)
    add(staff_user, zhang, "menu_city_lecture", 2, on)  # 10
    add(staff_user, zhang, "menu_other_lecture", 1, on)  # 4 -> menu 14
    add(staff_user, zhang, "online_hour", 44, on)  # 22
    add(staff_user, zhang, "class_day", 3, on)  # offjob 6
    score_all(year)

    page = zhang_client.get("/me/", **EN).content.decode()

    assert 'class="credit-bar' in page
    assert 'class="line" style="left: 80.0%" data-label="24"' in page  # menu: 24 of 30
    assert 'class="line" style="left: 83.3%" data-label="25"' in page  # online: 25 of 30
    assert 'class="fill short" style="width: 46.7%"' in page  # menu 14 of 30, below its line
    assert page.count('data-label="') == 2  # only menu and online have pass lines
    assert '<span class="display-6 fw-semibold" data-testid="total">42</span>' in page
    assert "Attend 2 more: City training office menu lecture." in page
    assert "Menu-style lectures: 10 more points to the pass line of 24 (about 2 lecture)." in page
    assert "Online study: 3 more points to the pass line of 25 (about 6 class hour)." in page
    assert "18 more points to Pass (and the pass lines must be met)." in page


def test_the_page_reads_in_chinese_by_default(zhang_client, zhang, staff_user):
    year = this_year()
    add(staff_user, zhang, "menu_city_lecture", 2, date(year, 1, 1))
    add(staff_user, zhang, "online_hour", 44, date(year, 1, 1))
    score_all(year)

    page = zhang_client.get("/me/").content.decode()

    assert "我的学分" in page
    assert "还需参加 2 次市干教办“菜单式”讲座" in page
    assert "网络学习还差 3 分达到合格线 25 分（约 6 学时）" in page
    assert "“菜单式”选学" in page and "合格线" in page


def test_a_finished_year_shows_grade_rank_vetoes_and_flags_in_words(zhang_client, zhang, officials, staff_user):
    add(staff_user, zhang, "class_day", 2)
    add(staff_user, officials["li"], "class_day", 5)
    services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline", note="培训期间多次缺课")
    score_all(YEAR)

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Result of the year" in page
    assert 'data-testid="grade">Fail</span>' in page
    assert "Rank 2 of 2 in the city, 2 of 2 in your unit." in page
    assert "Menu-style lectures below the pass line" in page
    assert "Online study below the pass line" in page
    assert "Serious breach of training discipline（培训期间多次缺课）" in page
    assert "Not eligible for “excellent” in this year&#x27;s appraisal" in page
    assert "City training office menu lecture: 4 short of the number required" in page  # past tense for a closed year
    assert "more points to" not in page  # no "still to go" for a finished year


def test_a_recorded_veto_this_year_offers_no_road_to_a_better_grade(zhang_client, zhang, staff_user):
    year = this_year()
    add(staff_user, zhang, "class_day", 2, date(year, 1, 1))
    services.record_veto(by=staff_user, official=zhang, year=year, reason="absent_from_dispatch")
    score_all(year)

    page = zhang_client.get("/me/", **EN).content.decode()

    assert "Absent without reason from dispatched training" in page
    assert "more points to Pass" not in page
    assert "grade Fail" in page  # the forecast stays at fail


def test_caps_that_cut_points_are_explained(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "xuexi_qiangguo", 2)  # 10 points, own cap 5
    add(staff_user, zhang, "online_hour", 60)  # 30 + 5 = 35, category cap 30
    add(staff_user, zhang, "class_day", 2, class_passed=False)
    score_all(YEAR)

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Xuexi Qiangguo app (yearly): at most 5 points a year; 5 points above that do not count." in page
    assert "Online study: the category counts at most 30 points; 5 points above that do not count." in page
    assert "2 class days scored 0: the class result was not passed." in page


def test_an_exempt_year_shows_the_reason_and_no_grade(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 2)
    services.record_exemption(by=staff_user, official=zhang, year=YEAR, reason="other", note="援疆一年")
    score_all(YEAR)

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Exempt from assessment" in page
    assert "Exempt: Other case decided by the organization department (援疆一年)." in page
    assert 'class="fill " style="width: 0.0%"' in page  # pass lines are not judged in an exempt year
    assert 'data-testid="grade"' not in page and 'data-testid="rank"' not in page
    assert 'data-testid="total">4<' in page  # credits are still shown


def test_no_score_yet_shows_zeros(zhang_client):
    page = zhang_client.get("/me/", **EN).content.decode()

    assert "every category shows 0" in page
    assert 'data-testid="total">0<' in page
    assert len(re.findall(r'class="credit-bar[ "]', page)) == 5
    assert "Attend 4 more: City training office menu lecture." in page
    # Nothing yet while the year is under way (until 31 December): behind pace on both pass lines, forecast fail.
    behind = r"Behind pace for the date \(\d+% of the year gone\) on: Menu-style lectures、Online study\."
    assert re.search(behind, page) or timezone.localdate() == date(this_year(), 12, 31)
    assert "grade Fail" in page


def test_a_change_waiting_for_the_worker_says_scores_are_being_updated(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 2)
    assert StaleScore.objects.filter(official=zhang, year=YEAR).exists()

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Scores are being updated" in page
    score_all(YEAR)
    assert "Scores are being updated" not in zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()


def test_a_bad_year_falls_back_to_this_year_with_a_message(zhang_client):
    for bad in ("abc", "1850", "9999", "2025x"):
        response = zhang_client.get(f"/me/?year={bad}", **EN)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"showing {this_year()}" in page
        assert f"My credits, {this_year()}" in page


def test_records_show_status_reason_evidence_and_group_by_category(
    zhang_client, zhang, staff_user, unit_admin_user, media
):
    rejected = add(zhang.user, zhang, "study_paper", 1, evidence=SimpleUploadedFile("p.pdf", PDF))
    services.reject_record(by=staff_user, record=rejected, reason="论文未经审阅，请补充审阅意见")
    add(zhang.user, zhang, "class_day", 2)
    add(staff_user, zhang, "online_hour", 10)
    for_zhang_by_admin = add(unit_admin_user, zhang, "class_reflection", 1)

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Rejected because: 论文未经审阅，请补充审阅意见" in page
    assert f'href="/records/{rejected.pk}/evidence/"' in page
    assert 'id="records-offjob"' in page and 'id="records-self_study"' in page and 'id="records-online"' in page
    assert page.count(">Withdraw</button>") == 1  # own submitted declaration only, not the admin's nor rejected
    assert f"/me/records/{for_zhang_by_admin.pk}/withdraw/" not in page
    assert "10 class hour" in page and "1 written paper" in page


def test_the_years_table_and_chart(zhang_client, zhang, staff_user):
    for year, days in ((YEAR - 2, 5), (YEAR - 1, 2), (YEAR, 7)):
        add(staff_user, zhang, "class_day", days, date(year, 6, 1))
    score_all(YEAR - 2, YEAR - 1, YEAR)

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    table = page[page.index('data-testid="history"') :]
    assert all(f'?year={y}">{y}</a>' in table for y in (YEAR - 2, YEAR - 1, YEAR))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert "<!--" not in svg and "@import" not in svg
    assert str(YEAR - 2) in svg


# ---------------------------------------------------------------------------------------------------
# 申报


def test_the_declaration_form_is_multipart_and_offers_only_declarable_kinds(zhang_client):
    page = zhang_client.get("/me/declare/", **EN).content.decode()

    assert 'enctype="multipart/form-data"' in page
    select = page[page.index('<select name="kind"') : page.index("</select>")]
    offered = set(re.findall(r'<option value="([a-z_]+)"', select))
    assert offered == {
        "class_day", "class_speech", "class_reflection", "secondment_month",
        "research_report", "study_paper", "teaching_topic", "teaching_faculty_session",
    }  # fmt: skip
    assert "Counted per class day: 2 points each. Counts only when the class result is passed." in page
    assert "Counted per month of secondment: 3 points each. A secondment shorter than 3 months scores 0." in page
    assert '<span class="input-group-text" id="quantity-unit">class day</span>' in page


def declaration(**changes) -> dict:
    data = {
        "kind": "class_day",
        "quantity": "3",
        "occurred_on": f"{YEAR}-04-10",
        "class_passed": "on",
        "note": "全市年轻干部培训班",
        "evidence": SimpleUploadedFile("结业证书.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_declaring_with_a_pdf_creates_a_submitted_record(zhang_client, zhang, media):
    response = zhang_client.post("/me/declare/", declaration(), **EN)

    record = ActivityRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/?year={YEAR}#record-{record.pk}"
    assert (record.official, record.kind, record.quantity) == (zhang, "class_day", 3)
    assert record.status == "submitted" and record.source == "declared" and record.created_by == zhang.user
    assert record.evidence.read() == PDF
    page = zhang_client.get(response["Location"], **EN).content.decode()
    assert "was submitted; the training section will review it" in page
    assert ">Submitted</span>" in page


def test_a_file_named_pdf_that_is_not_one_is_refused_and_nothing_is_written(zhang_client, media):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")

    response = zhang_client.post("/me/declare/", declaration(evidence=fake), **EN)

    assert response.status_code == 200
    assert "The evidence file must be a PDF, JPEG or PNG file." in response.content.decode()
    assert not ActivityRecord.objects.exists()
    assert not any(media.rglob("*.*"))


def test_the_chinese_form_explains_a_refused_file(zhang_client, media):
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")

    page = zhang_client.post("/me/declare/", declaration(evidence=fake)).content.decode()

    assert "佐证材料必须是 PDF、JPEG 或 PNG 文件。" in page


def test_an_oversized_file_is_refused(zhang_client, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048)

    page = zhang_client.post("/me/declare/", declaration(evidence=big), **EN).content.decode()

    assert "larger than" in page and not ActivityRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"kind": "menu_city_lecture"}, "Select a valid choice"),
        ({"kind": "discretionary"}, "Select a valid choice"),
        ({"quantity": "abc"}, "Enter a number"),
        ({"quantity": "0"}, "greater than or equal to 0.1"),
        ({"quantity": "2.25"}, "decimal place"),
        ({"quantity": "5000"}, "at most 1000"),
        ({"occurred_on": "2999-01-01"}, "The date is in the future."),
        ({"occurred_on": "yesterday"}, "Enter a valid date"),
        ({"evidence": None}, "Attach the evidence"),
    ],
)
def test_bad_input_is_refused_in_plain_words(zhang_client, media, changes, field_text):
    response = zhang_client.post("/me/declare/", declaration(**changes), **EN)

    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_a_published_year_is_refused_above_the_form(zhang_client, staff_user, media):
    services.publish_year(by=staff_user, year=YEAR)

    page = zhang_client.post("/me/declare/", declaration(), **EN).content.decode()

    assert "are published and locked" in page and 'data-testid="form-errors"' in page
    assert not ActivityRecord.objects.exists()


def test_a_self_study_paper_ignores_the_class_result(zhang_client, media):
    zhang_client.post("/me/declare/", declaration(kind="study_paper", quantity="1", class_passed=None), **EN)

    assert ActivityRecord.objects.get().class_passed is True


# ---------------------------------------------------------------------------------------------------
# Withdraw


def test_withdraw_with_htmx_swaps_the_row(zhang_client, zhang):
    record = add(zhang.user, zhang, "study_paper", 1)

    response = zhang_client.post(f"/me/records/{record.pk}/withdraw/", **HTMX)

    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="record-{record.pk}"') and ">Withdrawn</span>" in row
    assert "<html" not in row and ">Withdraw</button>" not in row
    assert '<span id="pending-count" class="text-muted small" hx-swap-oob="true"></span>' in row  # none left
    record.refresh_from_db()
    assert record.status == "withdrawn"


def test_a_waiting_declaration_of_a_published_year_offers_no_withdraw_button(zhang_client, zhang, staff_user):
    """Issue 9: a year published over waiting records showed 撤回, which then failed when pressed."""
    record = add(zhang.user, zhang, "study_paper", 1)
    services.publish_year(by=staff_user, year=YEAR, override_reason="考核截止")

    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    row = page[page.index(f'<tr id="record-{record.pk}"') :]
    row = row[: row.index("</tr>")]
    assert ">Withdraw</button>" not in row
    assert "The year is published: this declaration can no longer be withdrawn." in row


def test_withdraw_without_javascript_goes_back_to_the_page(zhang_client, zhang):
    record = add(zhang.user, zhang, "study_paper", 1)

    response = zhang_client.post(f"/me/records/{record.pk}/withdraw/", **EN)

    assert response.status_code == 302 and response["Location"] == f"/me/?year={YEAR}"
    record.refresh_from_db()
    assert record.status == "withdrawn"
    assert "was withdrawn" in zhang_client.get(response["Location"], **EN).content.decode()


def test_a_reviewed_record_cannot_be_withdrawn(zhang_client, zhang, staff_user):
    record = add(zhang.user, zhang, "study_paper", 1)
    services.approve_record(by=staff_user, record=record)

    response = zhang_client.post(f"/me/records/{record.pk}/withdraw/", **HTMX)

    assert response.status_code == 200
    assert "Only records still waiting for review can be withdrawn." in response.content.decode()
    record.refresh_from_db()
    assert record.status == "approved"


def test_a_record_the_unit_admin_declared_cannot_be_withdrawn_by_the_official(zhang_client, zhang, unit_admin_user):
    record = add(unit_admin_user, zhang, "study_paper", 1)

    response = zhang_client.post(f"/me/records/{record.pk}/withdraw/", **EN)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "submitted"


def test_withdraw_is_post_only(zhang_client, zhang):
    record = add(zhang.user, zhang, "study_paper", 1)

    assert zhang_client.get(f"/me/records/{record.pk}/withdraw/").status_code == 405


# ---------------------------------------------------------------------------------------------------
# Row scope and role crossings


def test_another_officials_record_can_be_neither_withdrawn_nor_downloaded(client, officials, media):
    wang = officials["wang"]
    theirs = add(wang.user, wang, "study_paper", 1, evidence=SimpleUploadedFile("w.pdf", PDF))
    client.force_login(officials["zhang"].user)

    assert client.post(f"/me/records/{theirs.pk}/withdraw/").status_code == 404
    assert client.post(f"/me/records/{theirs.pk}/withdraw/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(f"/records/{theirs.pk}/evidence/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"
    assert "w.pdf" not in client.get(f"/me/?year={YEAR}").content.decode()


def test_own_evidence_can_be_downloaded(zhang_client, zhang, media):
    mine = add(zhang.user, zhang, "study_paper", 1, evidence=SimpleUploadedFile("mine.pdf", PDF))

    response = zhang_client.get(f"/records/{mine.pk}/evidence/")

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_a_colleagues_records_never_show_on_my_page(zhang_client, officials, staff_user):
    add(staff_user, officials["li"], "teaching_topic", 1, note="李娜的授课")

    assert "李娜的授课" not in zhang_client.get(f"/me/?year={YEAR}").content.decode()


ME_PAGES = ["/me/", "/me/declare/", f"/me/registration-form/{YEAR}/", "/me/archive/"]


@pytest.mark.parametrize("url", ME_PAGES)
def test_users_without_an_official_profile_get_403(client, unit_admin_user, staff_user, url):
    for user in (unit_admin_user, staff_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_withdraw_by_a_user_without_an_official_profile_is_403(client, zhang, unit_admin_user):
    record = add(zhang.user, zhang, "study_paper", 1)
    client.force_login(unit_admin_user)

    assert client.post(f"/me/records/{record.pk}/withdraw/").status_code == 403


@pytest.mark.parametrize("url", [*ME_PAGES, "/me/records/1/withdraw/"])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.post(url) if "withdraw" in url else client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


# ---------------------------------------------------------------------------------------------------
# Print pages


def test_the_registration_form_prints_the_year(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 5, note="春季主体班")
    add(staff_user, zhang, "menu_city_lecture", 4)
    add(zhang.user, zhang, "study_paper", 1)  # submitted: not on the form
    score_all(YEAR)

    response = zhang_client.get(f"/me/registration-form/{YEAR}/", **EN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Annual appraisal registration form for cadres" in page
    assert "张伟" in page and "F001" in page and "市财政局" in page and "Section chief" in page
    assert 'data-testid="total"><strong>30</strong>' in page
    assert 'data-testid="grade"><strong>Fail</strong>' in page
    assert "Online study below the pass line" in page
    # Summed by kind (the form fits one page); the notes are in the archive. The submitted paper is not there.
    assert "Training class day" in page and "5 class day" in page and "Self-study paper" not in page
    assert "Approved training records (2)" in page
    assert "Official's signature" in page and "Unit's opinion (seal)" in page
    assert "data-print" in page and "@page { size: A4" in page
    assert "navbar" not in page
    assert "not yet published" in page


def test_the_registration_form_in_chinese(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 5)
    score_all(YEAR)

    page = zhang_client.get(f"/me/registration-form/{YEAR}/").content.decode()

    assert "干部年度考核登记表" in page and "本人签字" in page and "不合格" in page and "打印" in page


def test_the_registration_form_of_an_impossible_year_is_404(zhang_client):
    assert zhang_client.get("/me/registration-form/1999/").status_code == 404
    assert zhang_client.get(f"/me/registration-form/{this_year() + 1}/").status_code == 404


def test_the_archive_lists_every_year_and_approved_record(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 2, date(YEAR - 1, 3, 1), note="去年的培训班")
    add(staff_user, zhang, "teaching_topic", 1, date(YEAR, 3, 1), note="今年的授课")
    rejected = add(zhang.user, zhang, "study_paper", 1, note="被退回的论文")
    services.reject_record(by=staff_user, record=rejected, reason="不符合要求")
    score_all(YEAR - 1, YEAR)

    page = zhang_client.get("/me/archive/", **EN).content.decode()

    assert "Cadre training archive" in page
    assert page.index(f"Year {YEAR}") < page.index(f"Year {YEAR - 1}")  # newest first
    assert page.index("今年的授课") < page.index("去年的培训班")
    assert "被退回的论文" not in page
    assert "2 approved records in all." in page
    assert "navbar" not in page


# ---------------------------------------------------------------------------------------------------
# A fixed number of queries


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_run_a_fixed_number_of_queries(zhang_client, zhang, officials, staff_user, django_assert_max_num_queries):
    li = officials["li"]
    for n in range(5):
        add(staff_user, zhang, "class_day", 1, date(YEAR, 1, n + 1))
    add(staff_user, li, "class_day", 1)
    score_all(YEAR)
    few = {url: _queries(zhang_client, url) for url in ("/me/", f"/me/?year={YEAR}", "/me/archive/",
                                                         f"/me/registration-form/{YEAR}/")}  # fmt: skip

    kinds = ["class_day", "study_paper", "menu_city_lecture", "online_hour", "teaching_topic"]
    for n in range(60):
        year = YEAR - n % 4
        add(staff_user, zhang, kinds[n % 5], 1, date(year, n % 12 + 1, 1), note=f"第 {n} 条")
    for n in range(6):
        add(zhang.user, zhang, "study_paper", 1, date(YEAR, 2, n + 1))  # submitted, with withdraw buttons
    services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline")
    score_all(YEAR - 3, YEAR - 2, YEAR - 1, YEAR)
    assert Official.objects.get(pk=zhang.pk).scores.count() == 4

    many = {url: _queries(zhang_client, url) for url in few}
    assert many == few
    # 12 + whether the year is published (issue 9: no withdraw then) + the study hours of the year and its cycle
    with django_assert_max_num_queries(14):
        zhang_client.get(f"/me/?year={YEAR}")
    with django_assert_max_num_queries(12):
        zhang_client.get("/me/archive/")


# --- a returned declaration corrected and declared again; the duplicate warning at entry (issue 9) ---------------


@pytest.fixture
def returned(zhang, staff_user, media):
    record = add(zhang.user, zhang, "class_day", 3, on=date(YEAR, 4, 10), note="培训班",
                 evidence=SimpleUploadedFile("p.pdf", PDF))  # fmt: skip
    return services.reject_record(by=staff_user, record=record, reason="天数有误，应为 2 天")


def test_a_returned_record_offers_correct_and_declare_again(zhang_client, returned):
    page = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()
    row = page.split(f'id="record-{returned.pk}"')[1].split("</tr>")[0]
    assert f"/me/records/{returned.pk}/redeclare/" in row and "Correct and declare again" in row


def test_the_redeclare_form_is_filled_in_from_the_returned_record(zhang_client, returned):
    page = zhang_client.get(f"/me/records/{returned.pk}/redeclare/", **EN).content.decode()
    assert "天数有误，应为 2 天" in page  # the reason, above the form
    assert 'value="3.0"' in page or 'value="3"' in page
    assert f'value="{YEAR}-04-10"' in page and "培训班</textarea>" in page
    assert '<option value="class_day" data-unit="class day" selected>' in page
    assert 'name="evidence"' in page and "Leave empty to keep the evidence" in page


def test_a_corrected_record_is_declared_again_and_waits_while_the_old_stays_returned(zhang_client, zhang, returned):
    """Regression (issue 9): a returned declaration could not be corrected and declared again."""
    data = declaration(quantity="2", evidence=None)
    response = zhang_client.post(f"/me/records/{returned.pk}/redeclare/", data, **EN)
    new = ActivityRecord.objects.exclude(pk=returned.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/me/?year={YEAR}#record-{new.pk}"
    assert (new.status, new.quantity, new.kind, new.source) == ("submitted", 2, "class_day", "declared")
    assert new.evidence.read() == PDF  # the returned record's evidence, checked again and copied
    returned.refresh_from_db()
    assert returned.status == "rejected" and returned.reject_reason == "天数有误，应为 2 天"
    from audit.models import ChangeLog

    log = ChangeLog.objects.get(model="credits.activityrecord", object_id=str(new.pk))
    assert log.actor == zhang.user and f"record {returned.pk}" in log.reason


def test_only_a_returned_record_of_ones_own_can_be_declared_again(zhang_client, zhang, officials, staff_user, media):
    waiting = add(zhang.user, zhang, "study_paper", 1, evidence=SimpleUploadedFile("p.pdf", PDF))
    assert zhang_client.get(f"/me/records/{waiting.pk}/redeclare/").status_code == 404
    wang = officials["wang"]
    theirs = add(wang.user, wang, "study_paper", 1, evidence=SimpleUploadedFile("w.pdf", PDF))
    services.reject_record(by=staff_user, record=theirs, reason="x")
    assert zhang_client.get(f"/me/records/{theirs.pk}/redeclare/").status_code == 404
    with pytest.raises(services.ValidationError):
        services.redeclare_record(by=zhang.user, record=waiting, kind="study_paper", quantity=1,
                                  occurred_on=date(YEAR, 5, 1))  # fmt: skip


def test_the_same_kind_and_date_warns_and_asks_for_a_tick_then_declares(zhang_client, zhang, media):
    add(zhang.user, zhang, "class_day", 3, on=date(YEAR, 4, 10), evidence=SimpleUploadedFile("p.pdf", PDF))
    response = zhang_client.post("/me/declare/", declaration(), **EN)
    page = response.content.decode()
    assert response.status_code == 200 and ActivityRecord.objects.count() == 1  # nothing saved yet
    assert 'data-testid="similar-warning"' in page and "You already have 1 record of this kind on this date" in page
    assert 'name="confirm_duplicate"' in page and "Choose the evidence file again." in page
    response = zhang_client.post("/me/declare/", declaration(confirm_duplicate="on"), **EN)
    assert response.status_code == 302 and ActivityRecord.objects.count() == 2  # a warning, not a block


def test_the_warning_comes_at_entry_as_the_kind_and_date_are_chosen(zhang_client, zhang, media):
    other = add(zhang.user, zhang, "class_day", 3, on=date(YEAR, 4, 10), evidence=SimpleUploadedFile("p.pdf", PDF))
    url = "/me/declare/similar/"
    hit = zhang_client.get(url, {"kind": "class_day", "occurred_on": f"{YEAR}-04-10"}, **HTMX).content.decode()
    assert "You already have 1 record" in hit and "3 class day" in hit
    miss = zhang_client.get(url, {"kind": "class_day", "occurred_on": f"{YEAR}-04-11"}, **HTMX).content.decode()
    assert miss.strip() == ""
    bad = zhang_client.get(url, {"kind": "nope", "occurred_on": "x" * 5000}, **HTMX)
    assert bad.status_code == 200 and bad.content.decode().strip() == ""
    services.withdraw_record(by=zhang.user, record=other)  # withdrawn records do not count
    gone = zhang_client.get(url, {"kind": "class_day", "occurred_on": f"{YEAR}-04-10"}, **HTMX).content.decode()
    assert gone.strip() == ""
    page = zhang_client.get("/me/declare/", **EN).content.decode()
    assert 'hx-get="/me/declare/similar/"' in page
