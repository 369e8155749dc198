"""The training section's pages (/staff/): approval queue, officials and decisions, dashboard, rankings, years."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import ChangeLog
from credits.models import (
    ActivityRecord,
    AnnualScore,
    Exemption,
    GroupStudySession,
    PublishedYear,
    RecomputeJob,
    Veto,
)
from organisation.models import Official, Unit
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def browser(user=None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def staff(staff_user) -> Client:
    return browser(staff_user)


def record(official, kind="class_day", *, on=None, status="submitted", quantity=1, **extra) -> ActivityRecord:
    from credits.rules import ALL_KINDS

    return ActivityRecord.objects.create(
        official=official,
        kind=kind,
        category=extra.pop("category", ALL_KINDS[kind].category),
        quantity=quantity,
        occurred_on=on or date(YEAR, 3, 1),
        status=status,
        **extra,
    )


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def row_ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="record-(\d+)"', text(response))}


# ---------------------------------------------------------------------------------------------------
# Who may open the staff pages


def staff_urls(officials) -> list[tuple[str, str]]:
    zhang = officials["zhang"]
    pk = record(zhang).pk
    exemption = Exemption.objects.create(official=zhang, year=YEAR, reason="sick_leave")
    veto = Veto.objects.create(official=zhang, year=YEAR, reason="discipline")
    job = RecomputeJob.objects.create(year=YEAR)
    approved = record(zhang, "study_paper", status="approved").pk
    return [
        ("get", f"/staff/officials/F001/records/{approved}/revoke/"),
        ("post", f"/staff/officials/F001/records/{approved}/revoke/"),
        ("get", f"/staff/officials/F001/records/{approved}/correct/"),
        ("post", f"/staff/officials/F001/records/{approved}/correct/"),
        ("post", "/staff/officials/F001/decisions/1/restore/"),
        ("get", "/staff/"),
        ("post", "/staff/approve/"),
        ("post", f"/staff/records/{pk}/approve/"),
        ("get", f"/staff/records/{pk}/reject/"),
        ("post", f"/staff/records/{pk}/reject/"),
        ("get", f"/staff/records/{pk}/row/"),
        ("get", "/staff/dashboard/"),
        ("get", "/staff/rankings/"),
        ("get", "/staff/officials/"),
        ("get", "/staff/officials/F001/"),
        ("post", "/staff/officials/F001/points/"),
        ("post", "/staff/officials/F001/exemptions/"),
        ("post", f"/staff/officials/F001/exemptions/{exemption.pk}/remove/"),
        ("post", "/staff/officials/F001/vetoes/"),
        ("post", f"/staff/officials/F001/vetoes/{veto.pk}/remove/"),
        ("get", f"/staff/officials/F001/registration/{YEAR}/"),
        ("get", "/staff/officials/F001/archive/"),
        ("get", "/staff/years/"),
        ("post", f"/staff/years/{YEAR}/recompute/"),
        ("get", f"/staff/years/jobs/{job.pk}/"),
        ("post", f"/staff/years/{YEAR}/publish/"),
        ("post", f"/staff/years/{YEAR}/reopen/"),
    ]


def test_officials_and_unit_admins_get_403_on_every_staff_page_and_action(officials, unit_admin_user):
    urls = staff_urls(officials)

    def state():
        submitted = ActivityRecord.objects.filter(status="submitted").count()
        approved = ActivityRecord.objects.filter(status="approved").count()
        return submitted, approved, Exemption.objects.count(), Veto.objects.count()

    before = state()
    for user in (officials["zhang"].user, officials["wang"].user, unit_admin_user):
        client = browser(user)
        for method, url in urls:
            response = getattr(client, method)(url, {"reason": "x", "record_ids": ["1"]} if method == "post" else {})
            assert response.status_code == 403, (user.username, method, url, response.status_code)
    assert state() == before and not PublishedYear.objects.exists() and RecomputeJob.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(officials):
    for method, url in staff_urls(officials):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_staff_pages_open_in_chinese_by_default(staff_user, officials):
    record(officials["zhang"])
    client = browser(staff_user, language="zh-hans")
    assert "审核队列" in text(client.get("/staff/")) and "疑似重复" in text(client.get("/staff/"))
    assert "全市概览" in text(client.get("/staff/dashboard/"))
    assert "重新开放记录" in text(client.get("/staff/years/"))
    assert "酌情赋分" in text(client.get("/staff/officials/F001/"))


# ---------------------------------------------------------------------------------------------------
# The approval queue


def test_the_queue_shows_submitted_records_by_default_and_filters_narrow_it(staff, officials):
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    a = record(zhang, "class_day", on=date(YEAR, 2, 1))
    b = record(li, "study_paper", on=date(YEAR, 5, 1))
    c = record(wang, "class_reflection", on=date(YEAR, 8, 1))
    approved = record(zhang, "study_paper", on=date(YEAR, 6, 1), status="approved")
    rejected = record(wang, "class_day", on=date(YEAR, 6, 2), status="rejected", reject_reason="无证明")

    assert row_ids(staff.get("/staff/")) == {a.pk, b.pk, c.pk}
    assert row_ids(staff.get("/staff/", {"unit": "B02"})) == {c.pk}
    assert row_ids(staff.get("/staff/", {"kind": "study_paper"})) == {b.pk}
    assert row_ids(staff.get("/staff/", {"category": "offjob"})) == {a.pk, c.pk}
    assert row_ids(staff.get("/staff/", {"occurred_after": f"{YEAR}-04-01", "occurred_before": f"{YEAR}-06-30"})) == {
        b.pk
    }
    assert row_ids(staff.get("/staff/", {"status": "approved"})) == {approved.pk}
    assert row_ids(staff.get("/staff/", {"status": ""})) == {a.pk, b.pk, c.pk, approved.pk, rejected.pk}
    assert row_ids(staff.get("/staff/", {"q": "李"})) == {b.pk}
    assert row_ids(staff.get("/staff/", {"q": "E00"})) == {c.pk}
    response = staff.get("/staff/", {"unit": "B01", "kind": "class_day"})
    assert row_ids(response) == {a.pk} and "1 record matches" in text(response)


def test_a_malformed_filter_is_reported_and_the_other_filters_still_apply(staff, officials):
    a = record(officials["zhang"])
    record(officials["wang"])
    response = staff.get("/staff/", {"occurred_after": "2025-13-45", "unit": "B01"})
    assert response.status_code == 200
    assert "Enter a valid date." in text(response)
    assert row_ids(response) == {a.pk}


def test_the_api_keeps_its_filters_and_gains_the_name_search(staff_user, officials):
    from tests.conftest import client_for

    record(officials["zhang"], "class_day")
    record(officials["wang"], "study_paper", status="approved")
    api = client_for(staff_user)
    assert api.get("/api/v1/activities/?unit=B02&kind=study_paper&status=approved").json()["count"] == 1
    assert api.get("/api/v1/activities/?status=submitted&status=approved").json()["count"] == 2
    assert api.get("/api/v1/activities/?unit=NOPE").json()["count"] == 0  # an unknown code still finds nothing
    assert api.get("/api/v1/activities/?q=张").json()["results"][0]["official"] == "F001"
    assert api.get("/api/v1/activities/?kind=bogus").status_code == 400


def test_the_queue_is_sorted_and_paginated_by_50(staff, officials):
    zhang = officials["zhang"]
    ActivityRecord.objects.bulk_create(
        [
            ActivityRecord(
                official=zhang,
                kind="online_hour",
                category="online",
                quantity=1,
                status="submitted",
                occurred_on=date(YEAR, 1, 1 + n % 28),
            )
            for n in range(60)
        ]  # fmt: skip
    )
    first = staff.get("/staff/")
    assert len(row_ids(first)) == 50 and "60 records match" in text(first)
    assert len(row_ids(staff.get("/staff/", {"page": 2}))) == 10
    assert len(row_ids(staff.get("/staff/", {"page": "x", "per_page": 1000}))) == 50  # page size is fixed
    by_date = staff.get("/staff/", {"sort": "occurred_on"})
    dates = re.findall(rf"({YEAR}-\d\d-\d\d)</td>", text(by_date))
    assert dates == sorted(dates)


def test_suspected_duplicates_are_flagged_in_words(staff, officials):
    zhang, li = officials["zhang"], officials["li"]
    waiting = record(zhang, "class_day", on=date(YEAR, 4, 1))
    record(zhang, "class_day", on=date(YEAR, 4, 1), status="approved")  # the twin already counts
    lone = record(zhang, "class_day", on=date(YEAR, 4, 2))
    not_a_twin = record(li, "class_day", on=date(YEAR, 4, 3))
    record(li, "class_day", on=date(YEAR, 4, 3), status="rejected")  # a rejected twin does not count
    html = text(staff.get("/staff/"))
    rows = dict(re.findall(r'<tr id="record-(\d+)" class="([^"]*)"', html))
    assert "duplicate" in rows[str(waiting.pk)]
    assert "duplicate" not in rows[str(lone.pk)] and "duplicate" not in rows[str(not_a_twin.pk)]
    row = html[html.index(f'id="record-{waiting.pk}"') :].split("</tr>")[0]
    assert "Suspected duplicate" in row


def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_rows(
    staff, staff_user, officials, django_assert_num_queries
):
    """Every part of a row (declarer, unit, duplicate flag, evidence, discretionary points) comes with the page's
    queries: 50 rows cost what 5 do."""

    def fill(n):
        ActivityRecord.objects.all().delete()
        for i in range(n):
            official = Official.objects.create(staff_no=f"Q{n}-{i}", name=f"Q{i}", unit=officials["li"].unit)
            extra = {"kind": "discretionary", "category": "self_study", "points": 2} if i % 3 == 0 else {}
            record(official, extra.pop("kind", "class_day"), on=date(YEAR, 1, 1 + i % 28), created_by=staff_user,
                   evidence="evidence/x.png" if i % 2 else "", note="备注" if i % 4 else "", **extra)  # fmt: skip
            if i % 5 == 0:  # a twin waiting too: flagged as a suspected duplicate
                record(official, "class_day", on=date(YEAR, 1, 1 + i % 28), created_by=staff_user)

    fill(4)
    staff.get("/staff/")  # warm the session and permission caches the same way for both counts
    with CaptureQueriesContext(connection) as five:
        assert len(row_ids(staff.get("/staff/"))) == 5
    fill(40)
    with django_assert_num_queries(len(five.captured_queries)):
        page = text(staff.get("/staff/"))
    assert len(re.findall(r'<tr id="record-\d+"', page)) == 48 and "Suspected duplicate" in page and "2 points" in page


def test_bulk_approve_approves_only_submitted_records_and_updates_scores(
    staff, officials, django_capture_on_commit_callbacks
):
    zhang, li = officials["zhang"], officials["li"]
    first = record(zhang, "class_day", quantity=2)
    second = record(li, "study_paper")
    rejected = record(zhang, "class_day", status="rejected", reject_reason="无证明", on=date(YEAR, 3, 2))
    untouched = record(li, "class_day", on=date(YEAR, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        ticked = {"record_ids": [first.pk, second.pk, rejected.pk], "next": "/staff/?unit=B01"}
        response = staff.post("/staff/approve/", ticked, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/?unit=B01"
    assert "2 records approved." in messages_of(response)
    assert "1 selected record no longer waits for review and was left as it is." in messages_of(response)
    statuses = dict(ActivityRecord.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", rejected.pk: "rejected", untouched.pk: "submitted"}
    assert AnnualScore.objects.get(official=zhang, year=YEAR).category_score("offjob") == Decimal("4.0")
    assert AnnualScore.objects.get(official=li, year=YEAR).category_score("self_study") == Decimal("2.0")


def test_bulk_approve_with_nothing_ticked_says_so(staff, officials):
    waiting = record(officials["zhang"])
    response = staff.post("/staff/approve/", {}, follow=True)
    assert "Select at least one record to approve." in messages_of(response)
    response = staff.post("/staff/approve/", {"record_ids": ["abc"]}, follow=True)
    assert "The selection is not valid; reload the page and try again." in messages_of(response)
    response = staff.post("/staff/approve/", {"record_ids": [waiting.pk], "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"  # never sent off-site
    assert ActivityRecord.objects.get(pk=waiting.pk).status == "approved"


def test_approve_one_swaps_its_row_with_htmx_and_redirects_without(staff, officials):
    a, b = record(officials["zhang"]), record(officials["li"])
    response = staff.post(f"/staff/records/{a.pk}/approve/", {"next": "/staff/"}, **HTMX)
    html = text(response)
    assert response.status_code == 200 and html.lstrip().startswith(f'<tr id="record-{a.pk}"')
    assert "Approved: 张伟" in html and "table-success" in html and 'name="record_ids"' not in html
    response = staff.post(f"/staff/records/{b.pk}/approve/", {"next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert set(ActivityRecord.objects.values_list("status", flat=True)) == {"approved"}
    again = staff.post(f"/staff/records/{b.pk}/approve/", **HTMX)  # someone else got there first
    assert "Only submitted records can be reviewed" in text(again)


def test_reject_needs_a_reason_and_changes_nothing_without_one(staff, officials):
    waiting = record(officials["zhang"])
    form = staff.get(f"/staff/records/{waiting.pk}/reject/", **HTMX)
    assert 'name="reason"' in text(form) and "autofocus" in text(form)
    page = staff.get(f"/staff/records/{waiting.pk}/reject/", {"next": "/staff/?unit=B01"})  # without script
    assert "Reject a record" in text(page) and 'value="/staff/?unit=B01"' in text(page)
    for headers in (HTMX, {}):
        response = staff.post(f"/staff/records/{waiting.pk}/reject/", {"reason": "  "}, **headers)
        assert response.status_code == 200
        assert "Give the reason for rejecting the record." in text(response)
        waiting.refresh_from_db()
        assert waiting.status == "submitted" and waiting.reject_reason == ""
    response = staff.post(f"/staff/records/{waiting.pk}/reject/", {"reason": "缺少考核合格证明"}, **HTMX)
    assert "Rejected: 张伟" in text(response)
    waiting.refresh_from_db()
    assert waiting.status == "rejected" and waiting.reject_reason == "缺少考核合格证明"
    cancel = staff.get(f"/staff/records/{waiting.pk}/row/", **HTMX)
    assert f'<tr id="record-{waiting.pk}"' in text(cancel)


def test_records_outside_the_queue_are_404(staff, officials):
    assert staff.post("/staff/records/999999/approve/").status_code == 404
    assert staff.get("/staff/records/999999/reject/").status_code == 404


def test_a_published_year_refuses_review_with_its_message(staff, officials):
    waiting = record(officials["zhang"])
    assert staff.post(f"/staff/years/{YEAR}/publish/", {"override_reason": "decided next year"}).status_code == 302
    locked = f"The results of {YEAR} are published and locked"
    response = staff.post(f"/staff/records/{waiting.pk}/approve/", follow=True)
    assert any(locked in m for m in messages_of(response))
    assert locked in text(staff.post(f"/staff/records/{waiting.pk}/approve/", **HTMX))
    response = staff.post("/staff/approve/", {"record_ids": [waiting.pk]}, follow=True)
    assert any(locked in m for m in messages_of(response))
    assert locked in text(staff.post(f"/staff/records/{waiting.pk}/reject/", {"reason": "无证明"}))
    waiting.refresh_from_db()
    assert waiting.status == "submitted"


# ---------------------------------------------------------------------------------------------------
# Officials and the section's decisions


def test_officials_are_found_by_name_staff_number_and_unit(staff, officials):
    def names(response):
        return re.findall(r'href="/staff/officials/[^/]+/\?year=\d+">([^<]+)</a>', text(response))

    assert names(staff.get("/staff/officials/")) == ["张伟", "李娜", "王芳"]
    assert names(staff.get("/staff/officials/", {"q": "王"})) == ["王芳"]
    assert names(staff.get("/staff/officials/", {"q": "f00"})) == ["张伟", "李娜"]
    assert names(staff.get("/staff/officials/", {"unit": "B02"})) == ["王芳"]
    assert staff.get("/staff/officials/NOPE/").status_code == 404


def test_the_official_page_shows_standing_records_and_decisions(staff, officials):
    zhang = officials["zhang"]
    record(zhang, "study_paper", status="approved", note="读书笔记")
    score(zhang, grade="fail", total=2, menu=False, vetoes=["menu_not_passed"])
    html = text(staff.get(f"/staff/officials/F001/?year={YEAR}"))
    assert "张伟" in html and "读书笔记" in html and "Menu-style lectures below the pass line" in html
    assert 'data-testid="total">2<' in html
    bad_year = staff.get("/staff/officials/F001/?year=abc", follow=True)
    assert bad_year.status_code == 200 and "is not a year that can be shown" in text(bad_year)


def test_discretionary_points_above_30_are_refused_and_up_to_30_recorded(staff, officials):
    url = "/staff/officials/F001/points/"
    data = {"year": YEAR, "category": "self_study", "points": "31", "occurred_on": f"{YEAR}-06-01", "note": "课题"}
    response = staff.post(url, data)
    assert response.status_code == 200 and "The points must be more than 0 and at most 30." in text(response)
    assert not ActivityRecord.objects.exists()
    response = staff.post(url, {**data, "points": "2.55"})
    assert "at most one decimal place" in text(response) and not ActivityRecord.objects.exists()
    response = staff.post(url, {**data, "occurred_on": f"{YEAR - 1}-06-01"})
    assert f"The date must be in {YEAR}" in text(response) and not ActivityRecord.objects.exists()
    response = staff.post(url, {**data, "points": "3.5"}, follow=True)
    assert "3.5 discretionary points recorded for 张伟." in messages_of(response)
    saved = ActivityRecord.objects.get()
    assert (saved.kind, saved.category, saved.points, saved.quantity, saved.status) == (
        "discretionary", "self_study", Decimal("3.5"), Decimal("1.0"), "approved",
    )  # fmt: skip


def test_exemptions_and_vetoes_are_recorded_listed_and_removed(staff, officials):
    base = "/staff/officials/F001"
    response = staff.post(f"{base}/exemptions/", {"year": YEAR, "reason": "other", "note": ""})
    assert "Describe the case the organization department decided." in text(response)
    assert not Exemption.objects.exists()
    sick = {"year": YEAR, "reason": "sick_leave", "note": "病假8个月"}
    response = staff.post(f"{base}/exemptions/", sick, follow=True)
    assert f"张伟 is exempt from the {YEAR} assessment: Sick or personal leave over 6 months." in messages_of(response)
    assert 'data-testid="exemption"' in text(response) and "病假8个月" in text(response)
    again = staff.post(f"{base}/exemptions/", {"year": YEAR, "reason": "retiring"})
    assert "already has an exemption" in text(again) and Exemption.objects.count() == 1

    discipline = {"year": YEAR, "reason": "discipline", "note": "培训期间违纪"}
    response = staff.post(f"{base}/vetoes/", discipline, follow=True)
    assert any("Veto recorded for 张伟" in m for m in messages_of(response))
    assert 'data-testid="veto"' in text(response)
    assert "This veto is already on record" in text(staff.post(f"{base}/vetoes/", discipline))

    exemption, veto = Exemption.objects.get(), Veto.objects.get()
    assert staff.post(f"/staff/officials/E001/exemptions/{exemption.pk}/remove/").status_code == 404  # not wang's
    response = staff.post(f"{base}/exemptions/{exemption.pk}/remove/", follow=True)
    assert any(m.startswith("Removed:") for m in messages_of(response)) and not Exemption.objects.exists()
    staff.post(f"{base}/vetoes/{veto.pk}/remove/")
    assert not Veto.objects.exists()
    assert ChangeLog.objects.filter(model="credits.veto", action="delete").exists()


def test_decisions_in_a_published_year_are_refused_with_its_message(staff, officials):
    PublishedYear.objects.create(year=YEAR)
    response = staff.post("/staff/officials/F001/vetoes/", {"year": YEAR, "reason": "discipline"})
    assert f"The results of {YEAR} are published and locked" in text(response) and not Veto.objects.exists()


def test_staff_print_any_officials_registration_form_and_archive(staff, officials):
    record(officials["wang"], "study_paper", status="approved", note="理论学习摘抄")
    form = staff.get(f"/staff/officials/E001/registration/{YEAR}/")
    # The form sums the records by kind (one A4 page); the archive lists each one with its note.
    assert form.status_code == 200 and "王芳" in text(form) and "Self-study paper" in text(form)
    archive = staff.get("/staff/officials/E001/archive/")
    assert archive.status_code == 200 and "理论学习摘抄" in text(archive)
    assert staff.get("/staff/officials/E001/registration/1990/").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Dashboard and rankings


def score(official, *, grade="pass", total=70, exempt=False, menu=True, online=True, vetoes=(), ranks=(None, None)):
    return AnnualScore.objects.create(
        official=official, year=YEAR, unit=official.unit, policy="kunshan-2020", exempt=exempt,
        exempt_reason="sick_leave" if exempt else "", grade="" if exempt else grade, total=total,
        categories={"menu": {"score": "0", "passed": None if exempt else menu},
                    "online": {"score": "0", "passed": None if exempt else online}}, vetoes=list(vetoes),
        city_rank=ranks[0], unit_rank=ranks[1], computed_at=timezone.now(),
    )  # fmt: skip


def test_the_dashboard_counts_a_crafted_year(staff, officials, units):
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    extra = Official.objects.create(staff_no="E002", name="赵强", unit=units["education"])
    score(zhang, grade="excellent", total=92)
    score(li, grade="fail", total=80, menu=False, vetoes=["menu_not_passed", "discipline"])
    score(extra, grade="good", total=80, online=False, vetoes=[])
    score(wang, exempt=True)
    Veto.objects.create(official=li, year=YEAR, reason="discipline")
    record(zhang)  # waiting for review in the year
    record(zhang, on=date(YEAR - 1, 5, 1))  # another year: not counted
    for n in range(12):
        GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR, 1 + n, 1), topic=f"第{n}次")
    GroupStudySession.objects.create(unit=units["education"], occurred_on=date(YEAR, 2, 1), topic="一")

    response = staff.get("/staff/dashboard/", {"year": YEAR})
    board = response.context["dashboard"]
    assert (board.assessed, board.exempt, board.vetoes, board.vetoed_officials, board.waiting) == (3, 1, 1, 1, 1)
    assert board.grades == {"excellent": 1, "good": 1, "pass": 0, "fail": 1}
    assert [(g, n, str(p)) for g, n, p in board.grade_rows] == [
        ("excellent", 1, "33.3"), ("good", 1, "33.3"), ("pass", 0, "0.0"), ("fail", 1, "33.3"),
    ]  # fmt: skip
    by_unit = {u.code: u for u in board.units}
    assert (by_unit["B01"].assessed, by_unit["B01"].pass_rates["menu"], by_unit["B01"].pass_rates["online"]) == (
        2,
        50,
        100,
    )
    assert (by_unit["B02"].assessed, by_unit["B02"].pass_rates["menu"], by_unit["B02"].pass_rates["online"]) == (
        1,
        100,
        0,
    )
    assert [(u.code, u.sessions, u.sessions_short) for u in board.units_short_of_sessions] == [("B02", 1, 11)]
    assert "CITY" not in by_unit  # a unit without officials holds no central-group study of its own

    html = text(response)
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert not re.search(r'(href|src)="https?://', html) and "@import" not in html
    assert 'data-grade="excellent"><th scope="row">Excellent</th><td class="text-end">1</td>' in html
    by_online = staff.get("/staff/dashboard/", {"year": YEAR, "sort": "rate_online"})
    assert [row.record.code for row in by_online.context["units"].rows] == ["B02", "B01"]


def test_the_dashboard_of_a_year_without_scores_is_empty_not_an_error(staff, officials):
    response = staff.get("/staff/dashboard/", {"year": "1999"})
    assert response.status_code == 200 and "is not a year that can be shown" in text(response)
    assert staff.get("/staff/dashboard/", {"year": YEAR}).context["dashboard"].assessed == 0


def test_rankings_list_the_assessed_by_rank_and_filter_by_unit(staff, officials, units):
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    score(zhang, total=90, ranks=(2, 1))
    score(li, total=80, ranks=(3, 2))
    score(wang, total=95, ranks=(1, 1))
    exempt = Official.objects.create(staff_no="E009", name="免考", unit=units["education"])
    score(exempt, exempt=True)
    html = text(staff.get("/staff/rankings/", {"year": YEAR}))
    assert re.findall(r'href="/staff/officials/[^/]+/\?year=\d+">([^<]+)</a>', html) == ["王芳", "张伟", "李娜"]
    assert "免考" not in html
    finance = text(staff.get("/staff/rankings/", {"year": YEAR, "unit": "B01"}))
    assert re.findall(r'href="/staff/officials/[^/]+/\?year=\d+">([^<]+)</a>', finance) == ["张伟", "李娜"]
    unknown = staff.get("/staff/rankings/", {"year": YEAR, "unit": "NOPE"})
    assert unknown.status_code == 200 and "Select a valid choice" in text(unknown)


# ---------------------------------------------------------------------------------------------------
# Years: recompute, publish, reopen


@pytest.mark.django_db(transaction=True)
def test_recompute_creates_a_job_and_the_progress_shows_100_percent_in_eager_mode(staff_user, officials):
    staff = browser(staff_user)
    record(officials["zhang"], "study_paper", status="approved")
    response = staff.post(f"/staff/years/{YEAR}/recompute/", **HTMX)
    job = RecomputeJob.objects.get()
    assert (job.year, job.state, job.progress, job.requested_by) == (YEAR, "done", 100, staff_user)
    html = text(response)
    assert 'aria-valuenow="100"' in html and "100%" in html and "hx-trigger" not in html
    assert f"Recompute of {YEAR} done: 3 officials." in html
    assert AnnualScore.objects.filter(year=YEAR).count() == 3
    progress = text(staff.get(f"/staff/years/jobs/{job.pk}/"))
    assert 'aria-valuenow="100"' in progress and "hx-trigger" not in progress
    plain = staff.post(f"/staff/years/{YEAR}/recompute/")
    assert plain.status_code == 302 and plain["Location"].startswith("/staff/years/?job=")
    assert "100%" in text(staff.get(plain["Location"]))
    assert staff.post("/staff/years/1900/recompute/").status_code == 302 and RecomputeJob.objects.count() == 2


def test_a_running_job_polls_itself_every_second(staff, officials):
    job = RecomputeJob.objects.create(year=YEAR, state="running", progress=40)
    html = text(staff.get(f"/staff/years/jobs/{job.pk}/"))
    assert 'hx-trigger="every 1s"' in html and f'hx-get="/staff/years/jobs/{job.pk}/"' in html
    assert 'aria-valuenow="40"' in html
    assert staff.get("/staff/years/jobs/999999/").status_code == 404


def test_publish_locks_and_reopen_needs_a_reason_and_is_logged(staff, officials):
    score(officials["zhang"])
    response = staff.post(f"/staff/years/{YEAR}/publish/", follow=True)
    assert f"{YEAR} is published" in messages_of(response)[0]
    assert PublishedYear.objects.filter(year=YEAR).exists()
    assert "is already published" in messages_of(staff.post(f"/staff/years/{YEAR}/publish/", follow=True))[0]

    response = staff.post(f"/staff/years/{YEAR}/reopen/", {"reason": " "})
    assert response.status_code == 200 and "Give the reason for reopening the year." in text(response)
    assert PublishedYear.objects.filter(year=YEAR).exists()

    response = staff.post(f"/staff/years/{YEAR}/reopen/", {"reason": "更正张伟的培训班记录"}, follow=True)
    assert f"{YEAR} is reopened; the reason is logged." in messages_of(response)
    assert not PublishedYear.objects.exists()
    log = text(response).split('data-testid="reopen-log"')[1]
    assert "更正张伟的培训班记录" in log and str(YEAR) in log and "staff" in log
    entry = ChangeLog.objects.get(model="credits.publishedyear", action="delete")
    assert entry.reason == "更正张伟的培训班记录"
    response = staff.post(f"/staff/years/{YEAR}/reopen/", {"reason": "x"}, follow=True)
    assert "is not published" in messages_of(response)[0]


def test_the_years_page_lists_each_scored_year_with_its_state(staff, officials):
    score(officials["zhang"])
    record(officials["li"])
    PublishedYear.objects.create(year=YEAR - 1)
    html = text(staff.get("/staff/years/"))
    assert f'data-year="{YEAR}"' in html and f'data-year="{YEAR - 1}"' in html
    assert "1 record still waiting for review" in html and "Published · locked" in html


def test_the_unit_filter_lists_every_unit_keeps_the_choice_and_escapes_names(staff, units):
    Unit.objects.create(code="X<1>", name='<script>alert("x")</script>', kind="department")
    page = text(staff.get("/staff/?unit=B01"))
    select = page[page.index('<select name="unit"') :].split("</select>")[0]
    assert 'class="form-select form-select-sm"' in select and 'id="id_unit"' in select and "required" not in select
    assert '<option value="">All units</option>' in select
    assert '<option value="B01" selected>市财政局 (B01)</option>' in select
    assert '<option value="B02">市教育局 (B02)</option>' in select
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; (X&lt;1&gt;)" in select and "<script>" not in select
    assert text(staff.get("/staff/rankings/?unit=B02")).count('<option value="B02" selected>') == 1


# ---------------------------------------------------------------------------------------------------
# The queue on a phone: the same rows, each cell labelled for the card layout; the preview can approve or reject


def test_queue_rows_carry_the_card_layout_and_the_preview_review_addresses(staff, officials, tmp_path, settings):
    from django.core.files.base import ContentFile

    from tests import evidence_files

    settings.MEDIA_ROOT = tmp_path
    waiting_one = record(officials["zhang"])
    waiting_one.evidence.save("a.png", ContentFile(evidence_files.png()), save=False)
    waiting_one.evidence_type = "png"
    waiting_one.save()
    page = text(staff.get("/staff/"))
    row = re.search(rf'<tr id="record-{waiting_one.pk}".*?</tr>', page, re.S).group(0)
    assert 'class="q-actions' in row and 'data-label="Unit"' in row and 'data-label="Evidence"' in row
    assert f'data-approve="/staff/records/{waiting_one.pk}/approve/"' in row
    assert f'data-reject="/staff/records/{waiting_one.pk}/reject/?next=' in row
    assert 'id="evidence-review"' in page and "portal.css" in page
    css = (settings.BASE_DIR / "static/portal/portal.css").read_text()
    assert "@media (max-width: 575.98px)" in css and "#queue td.q-actions" in css


def test_the_preview_of_a_decided_record_offers_no_review(staff, officials, tmp_path, settings):
    from django.core.files.base import ContentFile

    from tests import evidence_files

    settings.MEDIA_ROOT = tmp_path
    done = record(officials["zhang"], status="approved")
    done.evidence.save("a.png", ContentFile(evidence_files.png()), save=False)
    done.evidence_type = "png"
    done.save()
    page = text(staff.get("/staff/", {"status": "approved"}))
    row = re.search(rf'<tr id="record-{done.pk}".*?</tr>', page, re.S).group(0)
    assert "data-evidence=" in row and "data-approve" not in row
