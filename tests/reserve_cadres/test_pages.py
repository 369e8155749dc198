"""The reserve pool's pages (/reserves/): who may open each (403 for a role that may not, 404 outside the unit),
a reserve taken through exam, defense (the result at once, two decimals), practice, talk, assessment and appointment
through the forms, form errors in plain words, the pool's flags and 90-day look-ahead, a unit's due items, bounded
queries for the pool, and the exports (xlsx and PDF bytes parsed)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from organisation.models import Official
from reserve_cadres.models import Reserve, ReserveStatus
from reserve_cadres.services import reserves as services

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + timedelta(days=days)


@pytest.fixture
def pool(staff_user, officials):
    """zhang (finance, section chief) and wang (education) in the pool; li (finance) decided, birth dates set."""
    decided = timezone.localdate() - timedelta(days=400)
    Official.objects.filter(pk=officials["zhang"].pk).update(birth_date=years_ago(35))
    Official.objects.filter(pk=officials["li"].pk).update(birth_date=years_ago(30))
    Official.objects.filter(pk=officials["wang"].pk).update(birth_date=years_ago(41, days=30))  # 41 in 30 days
    made = {}
    for key, level, stream in (("zhang", "section_chief", "economic"), ("li", "deputy_section", "party_government"),
                               ("wang", "section_chief", "technical")):  # fmt: skip
        official = Official.objects.get(pk=officials[key].pk)
        made[key] = services.add_reserve(
            by=staff_user, official=official, level=level, stream=stream, decided_on=decided,
            decision_document="县委〔2025〕1号", contact_leader="赵县长",
        )  # fmt: skip
    return made


# -- who may open what


def test_the_published_list_is_for_every_signed_in_user_and_shows_only_the_published_fields(
    pool, staff_user, unit_admin_user, officials
):
    for user in (staff_user, unit_admin_user, officials["zhang"].user, officials["wang"].user):
        page = signed_in(user).get("/reserves/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "张伟" in html and "王芳" in html and "Economic management" in html
        assert "县委〔2025〕1号" not in html and "赵县长" not in html  # details are not published
    assert signed_in(None).get("/reserves/").status_code == 302


def test_a_disqualified_reserve_leaves_the_published_list(pool, staff_user, officials):
    services.disqualify(by=staff_user, reserve=pool["wang"], reason="age", note="超过40周岁")
    html = signed_in(officials["zhang"].user).get("/reserves/").content.decode()
    assert "王芳" not in html and "张伟" in html


STAFF_ONLY = ["/reserves/pool/", "/reserves/pool.xlsx", "/reserves/pool.pdf"]


@pytest.mark.parametrize("url", STAFF_ONLY)
def test_the_pool_and_its_exports_are_the_training_sections(url, pool, staff_user, unit_admin_user, officials):
    assert signed_in(staff_user).get(url).status_code == 200
    assert signed_in(unit_admin_user).get(url).status_code == 403
    assert signed_in(officials["zhang"].user).get(url).status_code == 403
    assert signed_in(None).get(url).status_code == 302


def test_a_reserves_file_is_the_training_sections_and_the_units_and_404_outside_the_unit(
    pool, staff_user, unit_admin_user, officials
):
    own, other = pool["zhang"].pk, pool["wang"].pk
    for suffix in ("", "file.xlsx", "file.pdf"):
        assert signed_in(staff_user).get(f"/reserves/{own}/{suffix}").status_code == 200
        assert signed_in(staff_user).get(f"/reserves/{other}/{suffix}").status_code == 200
        assert signed_in(unit_admin_user).get(f"/reserves/{own}/{suffix}").status_code == 200
        assert signed_in(unit_admin_user).get(f"/reserves/{other}/{suffix}").status_code == 404
        assert signed_in(officials["zhang"].user).get(f"/reserves/{own}/{suffix}").status_code == 403
    assert signed_in(staff_user).get("/reserves/999999/").status_code == 404


def test_the_defense_page_is_the_training_sections(pool, staff_user, unit_admin_user, officials):
    url = f"/reserves/{pool['zhang'].pk}/defense/"
    assert signed_in(staff_user).get(url).status_code == 200
    assert signed_in(unit_admin_user).get(url).status_code == 403
    assert signed_in(unit_admin_user).post(url, {}).status_code == 403
    assert signed_in(officials["zhang"].user).get(url).status_code == 403
    assert signed_in(staff_user).get("/reserves/999999/defense/").status_code == 404


@pytest.mark.parametrize("entry", ["exam", "practice", "training", "disqualify", "appoint"])
def test_a_unit_administrator_cannot_post_the_training_sections_entries(entry, pool, unit_admin_user):
    response = signed_in(unit_admin_user).post(f"/reserves/{pool['zhang'].pk}/{entry}/", {"year": 2026})
    assert response.status_code == 403
    assert Reserve.objects.get(pk=pool["zhang"].pk).status == ReserveStatus.ACTIVE


def test_a_unit_administrator_enters_talks_and_assessments_for_their_unit_only(pool, unit_admin_user, officials):
    client = signed_in(unit_admin_user)
    today = timezone.localdate()
    response = client.post(f"/reserves/{pool['zhang'].pk}/talk/", {"held_on": today.isoformat(), "note": "谈心"})
    assert response.status_code == 302
    assert pool["zhang"].talks.count() == 1 and pool["zhang"].talks.get().leader == "赵县长"
    response = client.post(f"/reserves/{pool['wang'].pk}/talk/", {"held_on": today.isoformat(), "note": "x"})
    assert response.status_code == 404 and pool["wang"].talks.count() == 0
    response = client.post(f"/reserves/{pool['zhang'].pk}/assessment/", {"year": today.year, "result": "competent"})
    assert response.status_code == 302 and pool["zhang"].assessments.get().result == "competent"
    # An official reads only the published list.
    response = signed_in(officials["zhang"].user).post(f"/reserves/{pool['zhang'].pk}/talk/", {})
    assert response.status_code == 403


def test_unit_page_for_the_unit_administrator_the_training_section_picks_a_unit(
    pool, staff_user, unit_admin_user, officials
):
    page = signed_in(unit_admin_user).get("/reserves/unit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "张伟" in html and "李娜" in html and "王芳" not in html
    assert signed_in(officials["zhang"].user).get("/reserves/unit/").status_code == 403
    assert signed_in(staff_user).get("/reserves/unit/").status_code == 302  # to the pool
    assert "王芳" in signed_in(staff_user).get("/reserves/unit/?unit=B02").content.decode()
    assert signed_in(staff_user).get("/reserves/unit/?unit=NOPE").status_code == 404


def test_the_unit_page_lists_what_is_due_and_overdue(pool, unit_admin_user):
    # Decided 400 days ago with nothing entered: the past half years' reflections are overdue.
    html = signed_in(unit_admin_user).get("/reserves/unit/").content.decode()
    due = html.split('data-testid="due"')[1].split("</table>")[0]
    assert "data-overdue" in due and "Reflection article" in due
    assert 'data-testid="overdue-count"' in html


# -- a reserve through the forms


def test_a_reserve_through_exam_defense_practice_assessment_and_appointment(pool, staff_user):
    client = signed_in(staff_user)
    reserve = pool["zhang"]
    year = timezone.localdate().year
    base = f"/reserves/{reserve.pk}/"
    assert client.post(base + "exam/", {"year": year, "score": "60"}).status_code == 302
    votes = {"excellent": 6, "competent": 6, "basically_competent": 2, "incompetent": 1}  # 15 voters
    panel = {f"examiner_{n}": s for n, s in enumerate(["80", "75.5", "90", "66", "70.25"], start=1)}
    response = client.post(base + "defense/", {"year": year, **panel, **votes}, follow=True)
    html = response.content.decode()
    # panel 76.35, vote (600 + 480 + 120) / 15 = 80, score 76.35 × 0.6 + 80 × 0.4 = 77.81
    assert 'data-testid="panel-score">76.35<' in html
    assert 'data-testid="vote-score">80.00<' in html
    assert 'data-testid="score">77.81<' in html and "Defense passed" in html
    today = timezone.localdate().isoformat()
    response = client.post(base + "practice/", {"kind": "rotation", "place": "某镇", "starts_on": today})
    assert response.status_code == 302
    assert client.post(base + "assessment/", {"year": year, "result": "excellent"}).status_code == 302
    assert client.post(base + "appoint/", {}).status_code == 302
    reserve.refresh_from_db()
    assert reserve.status == ReserveStatus.APPOINTED
    html = client.get(base).content.decode()
    timeline = html.split('data-testid="timeline"')[1].split("</ol>")[0]
    for kind in ("decision", "exam", "defense", "practice", "assessment", "appointed"):
        assert f'data-kind="{kind}"' in timeline
    assert "77.81" in timeline
    assert 'action="/reserves/' not in html  # the file is closed: no forms


def test_the_defense_shows_two_decimals_half_up(pool, staff_user):
    year = timezone.localdate().year
    services.record_exam(by=staff_user, reserve=pool["zhang"], year=year, score=70)
    panel = {f"examiner_{n}": "70" for n in range(1, 7)}  # 6 examiners: panel 70
    votes = {"excellent": 1, "competent": 0, "basically_competent": 0, "incompetent": 16}  # 17 voters: 5.882352…
    html = signed_in(staff_user).post(f"/reserves/{pool['zhang'].pk}/defense/", {"year": year, **panel, **votes},
                                      follow=True).content.decode()  # fmt: skip
    # 70 × 0.6 + 5.882352… × 0.4 = 44.352941… → 44.35; vote 5.88
    assert 'data-testid="vote-score">5.88<' in html and 'data-testid="score">44.35<' in html
    assert "Defense not passed" in html


def test_defense_errors_are_in_plain_words(pool, staff_user):
    client = signed_in(staff_user)
    year = timezone.localdate().year
    url = f"/reserves/{pool['zhang'].pk}/defense/"
    votes = {"excellent": 10, "competent": 5, "basically_competent": 0, "incompetent": 0}
    five = {f"examiner_{n}": "80" for n in range(1, 6)}
    # No passed exam this year.
    response = client.post(url, {"year": year, **five, **votes})
    assert response.status_code == 200 and "passed written exam" in response.content.decode()
    services.record_exam(by=staff_user, reserve=pool["zhang"], year=year, score=80)
    four = {f"examiner_{n}": "80" for n in range(1, 5)}
    html = client.post(url, {"year": year, **four, **votes}).content.decode()
    assert "5 to 7 examiners" in html
    html = client.post(url, {"year": year, **five, **{**votes, "excellent": 4}}).content.decode()
    assert "15 to 20 voters" in html
    html = client.post(url, {"year": year, **five, "examiner_1": "101", **votes}).content.decode()
    assert "A score is from 0 to 100." in html
    html = client.post(url, {"year": year, **five, "examiner_1": "abc", **votes}).content.decode()
    assert "Enter a score such as 85 or 85.5." in html
    assert not pool["zhang"].defenses.exists()


def test_disqualifying_needs_a_reason_and_a_note_in_plain_words(pool, staff_user):
    client = signed_in(staff_user)
    url = f"/reserves/{pool['wang'].pk}/disqualify/"
    html = client.post(url, {"reason": "", "note": ""}).content.decode()
    assert "Choose the reason for disqualification." in html and "Write a note saying why." in html
    assert Reserve.objects.get(pk=pool["wang"].pk).status == ReserveStatus.ACTIVE
    assert client.post(url, {"reason": "age", "note": "超过40周岁"}).status_code == 302
    reserve = Reserve.objects.get(pk=pool["wang"].pk)
    assert reserve.status == ReserveStatus.DISQUALIFIED and reserve.disqualify_reason == "age"


def test_entry_form_errors_are_in_plain_words(pool, staff_user):
    client = signed_in(staff_user)
    base = f"/reserves/{pool['zhang'].pk}/"
    html = client.post(base + "exam/", {"year": 2026, "score": "100.5"}).content.decode()
    assert "A score is from 0 to 100." in html
    html = client.post(base + "practice/", {"kind": "rotation", "place": "镇", "starts_on": "2026-05-01",
                                            "ends_on": "2026-04-01"}).content.decode()  # fmt: skip
    assert "The end is before the start." in html
    html = client.post(base + "reflection/", {"period": "2026-1", "title": "体会"}).content.decode()
    assert "Write the half year as 2026H1 or 2026H2." in html
    assert client.post(base + "nonsense/", {}).status_code == 404


def test_a_reflection_file_that_is_not_what_it_says_is_refused_in_plain_words(pool, unit_admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.pdf", b"not a pdf at all", content_type="application/pdf")
    period = f"{timezone.localdate().year}H1"
    response = signed_in(unit_admin_user).post(
        f"/reserves/{pool['zhang'].pk}/reflection/", {"period": period, "title": "体会", "upload": fake}
    )
    assert response.status_code == 200 and not pool["zhang"].reflections.exists()
    assert 'class="invalid-feedback' in response.content.decode() or "alert-danger" in response.content.decode()


# -- the pool: flags, the look-ahead, filters, bounded queries


def test_the_pool_shows_flags_and_who_turns_too_old_within_90_days(pool, staff_user):
    year = timezone.localdate().year
    services.record_exam(by=staff_user, reserve=pool["li"], year=year, score=59.99)
    client = signed_in(staff_user)
    html = client.get("/reserves/pool/").content.decode()
    confirm = html.split('data-testid="to-confirm"')[1].split("</ul>")[0]
    soon = html.split('data-testid="soon-too-old"')[1].split("</ul>")[0]
    assert "李娜" in confirm and "Failed the written exam" in confirm
    assert "王芳" in soon and "王芳" not in confirm
    # Judged 31 days on, wang is over the age limit.
    later = (timezone.localdate() + timedelta(days=31)).isoformat()
    html = client.get(f"/reserves/pool/?on={later}").content.decode()
    confirm = html.split('data-testid="to-confirm"')[1].split("</ul>")[0]
    assert "王芳" in confirm and "Over the age limit" in confirm
    # The filters.
    table = client.get("/reserves/pool/?stream=technical").content.decode().split('data-testid="pool"')[1]
    assert "王芳" in table and "张伟" not in table
    table = client.get("/reserves/pool/?unit=B01&level=deputy_section").content.decode().split('data-testid="pool"')[1]
    assert "李娜" in table and "张伟" not in table and "王芳" not in table
    assert client.get("/reserves/pool/?on=not-a-date&unit=NOPE").status_code == 200  # bad filters: no 500


def test_the_pool_page_costs_the_same_queries_whatever_the_number_of_reserves(pool, staff_user, units):
    client = signed_in(staff_user)
    client.get("/reserves/pool/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reserves/pool/").status_code == 200
    decided = timezone.localdate() - timedelta(days=400)
    for n in range(12):
        official = Official.objects.create(staff_no=f"X{n:03}", name=f"储备{n}", unit=units["education"],
                                           rank="deputy_section", birth_date=years_ago(30))  # fmt: skip
        reserve = services.add_reserve(by=staff_user, official=official, level="deputy_section", stream="economic",
                                       decided_on=decided)  # fmt: skip
        services.record_exam(by=staff_user, reserve=reserve, year=timezone.localdate().year, score=50)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/reserves/pool/").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# -- exports


def test_the_pool_exports_open_and_hold_the_rows(pool, staff_user):
    client = signed_in(staff_user, language="zh-hans")
    response = client.get("/reserves/pool.xlsx?stream=technical")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="reserve-pool-')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and len(rows) == 2 and rows[1][1] == "王芳"
    response = client.get("/reserves/pool.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "王芳" in text and "张伟" in text


def test_the_file_exports_open_and_hold_the_timeline(pool, staff_user, unit_admin_user):
    year = timezone.localdate().year
    services.record_exam(by=staff_user, reserve=pool["zhang"], year=year, score=88)
    client = signed_in(unit_admin_user)
    response = client.get(f"/reserves/{pool['zhang'].pk}/file.xlsx")
    assert 'filename="reserve-file-F001.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    facts, timeline = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert ("Name", "张伟") in facts
    assert [row[1] for row in timeline[1:]] == ["Decision", "Written exam"]
    response = client.get(f"/reserves/{pool['zhang'].pk}/file.pdf")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "张伟" in text and "88" in text
