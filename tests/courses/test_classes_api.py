"""``/api/v1/classes/`` and ``/api/v1/unit-plans/`` (issue 11's contract): a class of 40 from draft to credits,
corrections that update (never duplicate), the by-name veto, and every role crossing (403) and scope (404)."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import ClassRecord, ClassStatus, Enrolment, TrainingClass
from credits.models import ActivityRecord, AnnualScore, Veto
from tests.conftest import client_for

from .conftest import ahead, ended

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.localdate().year + 1


def class_body(**changes) -> dict:
    body = {
        "code": "FIN-2026-01", "title": "财政干部能力提升班", "organiser": "B01", "class_type": "growth",
        "starts_on": ahead(45).isoformat(), "ends_on": ahead(49).isoformat(), "days": 5, "capacity": 40,
        "dispatch": "quota",
    }  # fmt: skip
    body.update(changes)
    return body


@pytest.fixture(autouse=True)
def _organisation(units, officials):
    """Every test here has the two units and three officials of tests/conftest.py."""


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the request asked to run after its commit (the score refresh, inline in
    tests), as if the request's transaction had committed: the callbacks run and are then forgotten, so the next
    request asks again (the test's own transaction never commits, and the services ask once per transaction)."""

    @contextmanager
    def run():
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True):
            yield
        del connection.run_on_commit[start:]

    return run


@pytest.fixture
def admin_api(unit_admin_user):
    return client_for(unit_admin_user)


@pytest.fixture
def zhang_api(officials):
    return client_for(officials["zhang"].user)


def _total(official, year) -> Decimal | None:
    score = AnnualScore.objects.filter(official=official, year=year).first()
    return score.total if score else None


# ---------------------------------------------------------------------------------------------------
# End to end


def test_a_class_of_40_from_draft_to_credits_and_a_correction(staff_api, admin_api, many_officials, committed):
    finance, education = many_officials(25, "finance", "F9"), many_officials(20, "education", "E9")
    created = staff_api.post("/api/v1/classes/", class_body(), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["code"] == "FIN-2026-01" and created.json()["status"] == "draft"
    url = "/api/v1/classes/FIN-2026-01/"
    # nobody is enrolled before approval
    assert staff_api.post(url + "quotas/", {"unit": "B01", "seats": 20}, format="json").status_code == 201
    early = admin_api.post(url + "trainees/", {"official": finance[0].staff_no}, format="json")
    assert early.status_code == 400 and "before the class is approved" in str(early.json())
    assert staff_api.post(url + "file/").json()["status"] == "filed"
    assert staff_api.post(url + "approve/").json()["status"] == "approved"
    assert staff_api.post(url + "quotas/", {"unit": "B02", "seats": 20}, format="json").status_code == 201
    too_many = staff_api.post(url + "quotas/", {"unit": "B02", "seats": 21}, format="json")
    assert too_many.status_code == 400 and "Only 20 of the class's 40 seats" in str(too_many.json())
    # the finance administrator names 20 of their officials, not a 21st, and no one of another unit
    for official in finance[:20]:
        response = admin_api.post(url + "trainees/", {"official": official.staff_no}, format="json")
        assert response.status_code == 201, response.json()
    beyond = admin_api.post(url + "trainees/", {"official": finance[20].staff_no}, format="json")
    assert beyond.status_code == 400 and "20 seats in this class are all taken" in str(beyond.json())
    foreign = admin_api.post(url + "trainees/", {"official": education[0].staff_no}, format="json")
    assert foreign.status_code == 400 and "There is no official" in str(foreign.json())
    for official in education:
        assert staff_api.post(url + "trainees/", {"official": official.staff_no}, format="json").status_code == 201
    full = staff_api.post(url + "trainees/", {"official": finance[21].staff_no}, format="json")
    assert full.status_code == 400 and "full" in str(full.json())
    assert staff_api.get(url).json()["trainees"] == 40
    roster = staff_api.get(url + "trainees/", {"page_size": 100}).json()
    assert roster["count"] == 40
    # the class is held; results; close
    training_class = ended(TrainingClass.objects.get(code="FIN-2026-01"))
    year = training_class.ends_on.year
    trainees = finance[:20] + education
    early_close = staff_api.post(url + "close/")
    assert early_close.status_code == 400 and "have none" in str(early_close.json())
    for official in trainees:
        body = {"official": official.staff_no, "days_attended": 5, "passed": True}
        assert staff_api.post(url + "results/", body, format="json").status_code == 200
    before = _total(finance[0], year)
    with committed():
        closed = staff_api.post(url + "close/")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed" and closed.json()["outcome"]["created"] == 40
    assert ActivityRecord.objects.filter(kind="class_day").count() == 40
    assert before in (None, 0) and _total(finance[0], year) == 10  # 5 days × 2 points (RULES §1.3)
    # a correction, closed again: the same record updated, the score follows
    record = ActivityRecord.objects.get(official=finance[0], kind="class_day")
    body = {"official": finance[0].staff_no, "days_attended": 2, "passed": True}
    assert staff_api.post(url + "results/", body, format="json").status_code == 200
    with committed():
        again = staff_api.post(url + "close/")
    assert again.json()["outcome"] == {"created": 0, "updated": 1, "removed": 0, "vetoes_recorded": 0,
                                       "vetoes_removed": 0}  # fmt: skip
    assert ActivityRecord.objects.filter(kind="class_day").count() == 40
    assert ActivityRecord.objects.get(official=finance[0], kind="class_day").pk == record.pk
    assert ActivityRecord.objects.get(pk=record.pk).quantity == 2
    assert _total(finance[0], year) == 4 and _total(finance[1], year) == 10


def test_a_by_name_absence_gives_the_veto_and_a_correction_takes_it_back(staff_api, officials, committed):
    body = class_body(code="NAMED", capacity=10, dispatch="by_name")
    assert staff_api.post("/api/v1/classes/", body, format="json").json()["status"] == "approved"
    url = "/api/v1/classes/NAMED/"
    assert staff_api.post(url + "trainees/", {"official": "E001"}, format="json").status_code == 201
    training_class = ended(TrainingClass.objects.get(code="NAMED"))
    absent = {"official": "E001", "days_attended": 0, "passed": False, "absent_without_reason": True}
    assert staff_api.post(url + "results/", absent, format="json").status_code == 200
    with committed():
        assert staff_api.post(url + "close/").json()["outcome"]["vetoes_recorded"] == 1
    year = training_class.ends_on.year
    assert Veto.objects.filter(official=officials["wang"], year=year, reason="absent_from_dispatch").exists()
    assert "absent_from_dispatch" in AnnualScore.objects.get(official=officials["wang"], year=year).vetoes
    listed = staff_api.get(url + "trainees/").json()["results"][0]
    assert listed["vetoed"] is True and listed["absent_without_reason"] is True
    present = {"official": "E001", "days_attended": 5, "passed": True, "absent_without_reason": False}
    assert staff_api.post(url + "results/", present, format="json").status_code == 200
    with committed():
        assert staff_api.post(url + "close/").json()["outcome"]["vetoes_removed"] == 1
    assert not Veto.objects.filter(official=officials["wang"]).exists()
    assert "absent_from_dispatch" not in AnnualScore.objects.get(official=officials["wang"], year=year).vetoes


# ---------------------------------------------------------------------------------------------------
# The contract's other answers


def test_a_small_class_is_approved_and_a_late_filing_says_why(staff_api):
    small = staff_api.post("/api/v1/classes/", class_body(code="SMALL", capacity=29), format="json")
    assert small.status_code == 201 and small.json()["status"] == "approved"
    assert small.json()["filing_deadline"] is None
    late = class_body(code="LATE", starts_on=ahead(29).isoformat(), ends_on=ahead(33).isoformat())
    assert staff_api.post("/api/v1/classes/", late, format="json").json()["status"] == "draft"
    response = staff_api.post("/api/v1/classes/LATE/file/")
    assert response.status_code == 400
    assert "at least 30 days before it starts" in response.json()["non_field_errors"][0]


def test_return_sessions_substitutions_and_removal(staff_api, officials, units):
    assert staff_api.post("/api/v1/classes/", class_body(code="R1"), format="json").status_code == 201
    staff_api.post("/api/v1/classes/R1/file/")
    assert staff_api.post("/api/v1/classes/R1/return/", {"reason": ""}, format="json").status_code == 400
    returned = staff_api.post("/api/v1/classes/R1/return/", {"reason": "日程不全"}, format="json")
    assert returned.json()["status"] == "draft"
    session = {"held_on": ahead(46).isoformat(), "topic": "预算绩效管理", "teacher": "F002"}
    added = staff_api.post("/api/v1/classes/R1/sessions/", session, format="json")
    assert added.status_code == 201 and added.json()["teacher"] == "F002"
    assert len(staff_api.get("/api/v1/classes/R1/sessions/").json()) == 1
    assert staff_api.delete(f"/api/v1/classes/R1/sessions/{added.json()['id']}/").status_code == 204
    assert staff_api.delete("/api/v1/classes/R1/sessions/999999/").status_code == 404
    small = class_body(code="S1", capacity=5, dispatch="by_name")
    staff_api.post("/api/v1/classes/", small, format="json")
    staff_api.post("/api/v1/classes/S1/trainees/", {"official": "F001"}, format="json")
    swap = {"official": "F001", "replaced_by": "E001"}
    assert "reason" in staff_api.post("/api/v1/classes/S1/substitutions/", swap, format="json").json()
    swapped = staff_api.post("/api/v1/classes/S1/substitutions/", {**swap, "reason": "出差"}, format="json")
    assert swapped.status_code == 201 and swapped.json()["official"] == "E001"
    rows = staff_api.get("/api/v1/classes/S1/trainees/").json()["results"]
    assert [(r["official"], r["active"], r["replaced_by"]) for r in rows] == [("E001", True, None),
                                                                               ("F001", False, "E001")]  # fmt: skip
    assert staff_api.delete("/api/v1/classes/S1/trainees/F002/").status_code == 404
    assert staff_api.delete("/api/v1/classes/S1/trainees/E001/").status_code == 204
    assert not Enrolment.objects.filter(official=officials["wang"]).exists()


def test_patch_changes_a_draft_and_put_is_not_offered(staff_api):
    staff_api.post("/api/v1/classes/", class_body(code="P1"), format="json")
    patched = staff_api.patch("/api/v1/classes/P1/", {"capacity": 50, "title": "新班名"}, format="json")
    assert patched.status_code == 200 and (patched.json()["capacity"], patched.json()["title"]) == (50, "新班名")
    assert staff_api.put("/api/v1/classes/P1/", class_body(code="P1"), format="json").status_code == 405


def test_the_list_filters(staff_api):
    staff_api.post("/api/v1/classes/", class_body(code="A1", title="党史学习班"), format="json")
    staff_api.post("/api/v1/classes/", class_body(code="A2", capacity=10, dispatch="by_name"), format="json")
    month = ahead(45)
    assert [c["code"] for c in staff_api.get("/api/v1/classes/", {"status": "approved"}).json()["results"]] == ["A2"]
    assert [c["code"] for c in staff_api.get("/api/v1/classes/", {"search": "党史"}).json()["results"]] == ["A1"]
    by_month = staff_api.get("/api/v1/classes/", {"year": month.year, "month": month.month}).json()["results"]
    assert {c["code"] for c in by_month} == {"A1", "A2"}
    assert staff_api.get("/api/v1/classes/", {"month": 13}).status_code == 400
    assert staff_api.get("/api/v1/classes/", {"year": "abc"}).status_code == 400


# ---------------------------------------------------------------------------------------------------
# Bad input: 400 in plain words


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": None}, "code", ""),
        ({"starts_on": "2026-13-45"}, "starts_on", "Date has wrong format"),
        ({"starts_on": "0001-01-01"}, "starts_on", "The date must be from"),
        ({"organiser": "NOPE"}, "organiser", "There is no unit with code “NOPE”."),
        ({"ends_on": ahead(40).isoformat()}, "ends_on", "cannot end before it starts"),
        ({"days": 9}, "days", "more days than there are"),
        ({"capacity": 10**9}, "capacity", ""),
        ({"class_type": "party"}, "class_type", ""),
    ],
)
def test_bad_class_input_is_a_400(staff_api, changes, field, words):
    body = {k: v for k, v in class_body(**changes).items() if v is not None}
    response = staff_api.post("/api/v1/classes/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert words in str(response.json()[field])


def test_bad_trainee_result_and_quota_input_is_a_400(staff_api):
    staff_api.post("/api/v1/classes/", class_body(code="B1", capacity=5), format="json")
    url = "/api/v1/classes/B1/"
    assert "There is no official" in str(staff_api.post(url + "trainees/", {"official": "X"}, format="json").json())
    assert staff_api.post(url + "trainees/", {}, format="json").status_code == 400
    staff_api.post(url + "quotas/", {"unit": "B01", "seats": 2}, format="json")
    assert staff_api.post(url + "quotas/", {"unit": "NOPE", "seats": 2}, format="json").status_code == 400
    assert staff_api.post(url + "quotas/", {"unit": "B01", "seats": -1}, format="json").status_code == 400
    staff_api.post(url + "trainees/", {"official": "F001"}, format="json")
    too_long = staff_api.post(url + "results/", {"official": "F001", "days_attended": 6, "passed": True},
                              format="json")  # fmt: skip
    assert too_long.status_code == 400 and "the class's 5 days" in str(too_long.json()["days_attended"])
    no_result = staff_api.post(url + "results/", {"official": "F001", "days_attended": 5}, format="json")
    assert no_result.status_code == 400 and "passed" in no_result.json()
    stranger = staff_api.post(url + "results/", {"official": "E001", "days_attended": 1, "passed": True},
                              format="json")  # fmt: skip
    assert stranger.status_code == 400 and "not a trainee" in str(stranger.json())
    assert staff_api.post(url + "close/").status_code == 400  # not ended yet
    assert staff_api.post("/api/v1/classes/", "{not json", content_type="application/json").status_code == 400


# ---------------------------------------------------------------------------------------------------
# Who may: 403 for a role that may not act, 404 for a class outside the user's scope


@pytest.fixture
def hidden_class(staff_api):
    """A by-name class of the education bureau with no finance trainee: the finance administrator cannot see it."""
    staff_api.post("/api/v1/classes/", class_body(code="HID", organiser="B02", capacity=5, dispatch="by_name"),
                   format="json")  # fmt: skip
    return "/api/v1/classes/HID/"


@pytest.fixture
def finance_by_name(staff_api):
    staff_api.post("/api/v1/classes/", class_body(code="FBN", capacity=5, dispatch="by_name"), format="json")
    return "/api/v1/classes/FBN/"


def test_only_the_training_section_creates_and_decides(admin_api, zhang_api, finance_by_name):
    assert admin_api.post("/api/v1/classes/", class_body(code="NO"), format="json").status_code == 403
    assert zhang_api.post("/api/v1/classes/", {}, format="json").status_code == 403
    for action in ("approve/", "close/", "return/", "results/", "quotas/", "sessions/"):
        assert admin_api.post(finance_by_name + action, {}, format="json").status_code == 403, action
    assert admin_api.patch(finance_by_name, {"title": "x"}, format="json").status_code == 403
    assert client_for(None).get("/api/v1/classes/").status_code == 403


def test_a_unit_admin_cannot_name_trainees_of_a_by_name_class(admin_api, finance_by_name):
    response = admin_api.post(finance_by_name + "trainees/", {"official": "F001"}, format="json")
    assert response.status_code == 403 and "named by the training section" in response.json()["detail"]


def test_a_class_outside_the_scope_is_404(admin_api, zhang_api, hidden_class):
    assert admin_api.get(hidden_class).status_code == 404
    assert admin_api.post(hidden_class + "trainees/", {"official": "F001"}, format="json").status_code == 404
    assert admin_api.post(hidden_class + "file/").status_code == 404
    assert admin_api.get(hidden_class + "trainees/").status_code == 404
    assert zhang_api.get(hidden_class).status_code == 404
    assert admin_api.get("/api/v1/classes/").json()["count"] == 0


def test_the_organising_units_admin_files_but_another_unit_cannot(staff_api, admin_api):
    staff_api.post("/api/v1/classes/", class_body(code="OWN"), format="json")
    assert admin_api.post("/api/v1/classes/OWN/file/").json()["status"] == "filed"
    staff_api.post("/api/v1/classes/", class_body(code="EDU", organiser="B02"), format="json")
    staff_api.post("/api/v1/classes/EDU/quotas/", {"unit": "B01", "seats": 3}, format="json")
    assert admin_api.get("/api/v1/classes/EDU/").status_code == 200  # it has seats for finance
    assert admin_api.post("/api/v1/classes/EDU/file/").status_code == 403


def test_an_official_reads_their_own_classes_only(staff_api, zhang_api, finance_by_name, hidden_class):
    staff_api.post(hidden_class + "trainees/", {"official": "F001"}, format="json")
    listed = zhang_api.get("/api/v1/classes/").json()
    assert [c["code"] for c in listed["results"]] == ["HID"]
    assert zhang_api.get(finance_by_name).status_code == 404
    assert zhang_api.post(hidden_class + "trainees/", {"official": "F001"}, format="json").status_code == 403


# ---------------------------------------------------------------------------------------------------
# Unit plans


def test_unit_plans_filed_again_updated_and_the_missing_ones(staff_api, admin_api, zhang_api):
    body = {"unit": "B01", "year": NEXT_YEAR, "planned_classes": 3, "expected_trainees": 90}
    first = admin_api.post("/api/v1/unit-plans/", body, format="json")
    assert first.status_code == 201 and first.json()["due_on"] == f"{NEXT_YEAR - 1}-12-31"
    again = admin_api.post("/api/v1/unit-plans/", {**body, "planned_classes": 4, "content": "四个班"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["planned_classes"] == 4
    assert admin_api.post("/api/v1/unit-plans/", {**body, "unit": "B02"}, format="json").status_code == 403
    assert zhang_api.post("/api/v1/unit-plans/", body, format="json").status_code == 403
    assert admin_api.post("/api/v1/unit-plans/", {**body, "unit": "NOPE"}, format="json").status_code == 400
    assert admin_api.post("/api/v1/unit-plans/", {**body, "year": 1999}, format="json").status_code == 400
    assert admin_api.post("/api/v1/unit-plans/", {**body, "planned_classes": -1}, format="json").status_code == 400
    missing = staff_api.get("/api/v1/unit-plans/missing/", {"year": NEXT_YEAR})
    assert [u["code"] for u in missing.json()] == ["B02", "CITY"]
    assert admin_api.get("/api/v1/unit-plans/missing/", {"year": NEXT_YEAR}).status_code == 403
    assert staff_api.get("/api/v1/unit-plans/missing/", {"year": "soon"}).status_code == 400
    assert staff_api.get("/api/v1/unit-plans/missing/").status_code == 400
    assert admin_api.get("/api/v1/unit-plans/").json()["count"] == 1
    assert zhang_api.get("/api/v1/unit-plans/").json()["count"] == 0
    assert staff_api.get("/api/v1/unit-plans/", {"year": NEXT_YEAR, "unit": "B01"}).json()["count"] == 1


def test_the_schema_documents_the_classes_api(staff_api):
    paths = staff_api.get("/api/schema/?format=json").json()["paths"]
    for path in ("/api/v1/classes/", "/api/v1/classes/{code}/close/", "/api/v1/classes/{code}/trainees/{staff_no}/",
                 "/api/v1/unit-plans/missing/"):  # fmt: skip
        assert path in paths
    assert set(paths["/api/v1/classes/{code}/quotas/"]) == {"get", "post"}


def test_closing_links_every_record_to_the_class(staff_api, officials):
    staff_api.post("/api/v1/classes/", class_body(code="L1", capacity=5, dispatch="by_name"), format="json")
    staff_api.post("/api/v1/classes/L1/trainees/", {"official": "F001"}, format="json")
    ended(TrainingClass.objects.get(code="L1"))
    staff_api.post("/api/v1/classes/L1/results/", {"official": "F001", "days_attended": 5, "passed": True,
                                                   "speeches": 2}, format="json")  # fmt: skip
    assert staff_api.post("/api/v1/classes/L1/close/").json()["status"] == ClassStatus.CLOSED
    links = ClassRecord.objects.filter(training_class__code="L1")
    assert {(link.kind, link.record.quantity) for link in links} == {("class_day", 5), ("class_speech", 2)}


def test_the_roster_shows_each_role_what_is_theirs(staff_api, admin_api, zhang_api, hidden_class, officials):
    for staff_no in ("F001", "E001"):
        staff_api.post(hidden_class + "trainees/", {"official": staff_no}, format="json")
    assert [r["official"] for r in staff_api.get(hidden_class + "trainees/").json()["results"]] == ["E001", "F001"]
    assert [r["official"] for r in admin_api.get(hidden_class + "trainees/").json()["results"]] == ["F001"]
    assert [r["official"] for r in zhang_api.get(hidden_class + "trainees/").json()["results"]] == ["F001"]
    assert client_for(officials["wang"].user).get(hidden_class + "trainees/").json()["count"] == 1
