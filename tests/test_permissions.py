"""Every crossing of the three roles: an official sees only themselves, an administrator only their unit."""

import pytest

from credits.models import ActivityRecord, AnnualScore
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(officials, staff_user, d):
    """One approved record for each official, and a score row for each."""
    out = {}
    for key, official in officials.items():
        out[key] = ActivityRecord.objects.create(
            official=official, kind="class_day", category="offjob", quantity=1, occurred_on=d(), status="approved"
        )
        AnnualScore.objects.create(
            official=official, year=YEAR, unit=official.unit, policy="kunshan-2020", computed_at="2025-12-31T00:00Z"
        )
    return out


def staff_nos(response):
    return sorted({row["official"] for row in response.json()["results"]})


def test_anonymous_gets_nothing(records):
    for url in ["/api/v1/activities/", "/api/v1/officials/", "/api/v1/scores/", "/api/v1/units/"]:
        assert client_for(None).get(url).status_code in (401, 403)


def test_official_sees_only_their_own(records, officials):
    api = client_for(officials["zhang"].user)
    assert staff_nos(api.get("/api/v1/activities/")) == ["F001"]
    assert staff_nos(api.get("/api/v1/scores/")) == ["F001"]
    assert [o["staff_no"] for o in api.get("/api/v1/officials/").json()["results"]] == ["F001"]
    assert api.get(f"/api/v1/activities/{records['li'].pk}/").status_code == 404
    assert api.get(f"/api/v1/activities/{records['wang'].pk}/").status_code == 404
    assert api.get(f"/api/v1/officials/F002/scores/{YEAR}/").status_code == 404
    assert api.get(f"/api/v1/officials/F001/scores/{YEAR}/").status_code == 200
    assert api.get("/api/v1/officials/E001/").status_code == 404


def test_official_may_declare_for_self_only_and_only_offjob_or_self_study(records, officials, d):
    api = client_for(officials["zhang"].user)
    body = {"kind": "study_paper", "quantity": 1, "occurred_on": str(d())}
    response = api.post("/api/v1/activities/", {**body, "official": "F001"})
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    assert ActivityRecord.objects.get(pk=response.json()["id"]).source == "declared"
    assert api.post("/api/v1/activities/", {**body, "official": "F002"}).status_code == 400  # not visible
    response = api.post("/api/v1/activities/", {**body, "official": "F001", "kind": "menu_city_lecture"})
    assert response.status_code == 403
    response = api.post(
        "/api/v1/activities/", {**body, "official": "F001", "kind": "discretionary", "category": "menu", "points": 3}
    )
    assert response.status_code == 403


def test_official_cannot_review_decide_or_maintain(records, officials):
    api = client_for(officials["zhang"].user)
    own = records["zhang"].pk
    assert api.post(f"/api/v1/activities/{own}/approve/").status_code == 403
    assert api.post(f"/api/v1/activities/{own}/reject/", {"reason": "x"}).status_code == 403
    assert api.delete(f"/api/v1/activities/{own}/").status_code == 403  # approved: only staff delete it
    assert (
        api.post("/api/v1/exemptions/", {"official": "F001", "year": YEAR, "reason": "sick_leave"}).status_code == 403
    )
    assert api.post("/api/v1/vetoes/", {"official": "F001", "year": YEAR, "reason": "discipline"}).status_code == 403
    assert api.post("/api/v1/units/", {"code": "X", "name": "x"}).status_code == 403
    assert api.post("/api/v1/officials/", {"staff_no": "X", "name": "x", "unit": "B01"}).status_code == 403
    assert api.post(f"/api/v1/years/{YEAR}/recompute/").status_code == 403
    assert api.get("/api/v1/recompute-jobs/").status_code == 403


def test_official_withdraws_own_declaration_before_review(records, officials, d):
    api = client_for(officials["zhang"].user)
    record = api.post(
        "/api/v1/activities/", {"official": "F001", "kind": "study_paper", "quantity": 1, "occurred_on": str(d())}
    ).json()
    assert api.post(f"/api/v1/activities/{record['id']}/withdraw/").json()["status"] == "withdrawn"
    assert api.post(f"/api/v1/activities/{record['id']}/withdraw/").status_code == 400


def test_unit_admin_sees_their_unit_only(records, unit_admin_user):
    api = client_for(unit_admin_user)
    assert staff_nos(api.get("/api/v1/activities/")) == ["F001", "F002"]
    assert staff_nos(api.get("/api/v1/scores/")) == ["F001", "F002"]
    assert api.get(f"/api/v1/activities/{records['wang'].pk}/").status_code == 404
    assert api.get(f"/api/v1/officials/E001/scores/{YEAR}/").status_code == 404
    assert api.get("/api/v1/officials/E001/").status_code == 404


def test_unit_admin_enters_for_their_unit_and_waits_for_review(records, unit_admin_user, d):
    api = client_for(unit_admin_user)
    body = {"kind": "central_group_speaker", "quantity": 1, "occurred_on": str(d())}
    response = api.post("/api/v1/activities/", {**body, "official": "F002"})
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    assert api.post("/api/v1/activities/", {**body, "official": "E001"}).status_code == 400  # other unit
    assert api.post("/api/v1/activities/", {**body, "official": "F002", "kind": "online_hour"}).status_code == 403
    assert api.post(f"/api/v1/activities/{response.json()['id']}/approve/").status_code == 403
    assert api.delete(f"/api/v1/activities/{response.json()['id']}/").status_code == 204  # own, unreviewed
    assert (
        api.post("/api/v1/exemptions/", {"official": "F002", "year": YEAR, "reason": "sick_leave"}).status_code == 403
    )


def test_staff_sees_and_decides_everything(records, staff_api):
    assert staff_nos(staff_api.get("/api/v1/activities/")) == ["E001", "F001", "F002"]
    assert staff_api.get(f"/api/v1/officials/E001/scores/{YEAR}/").status_code == 200
    assert staff_api.delete(f"/api/v1/activities/{records['wang'].pk}/").status_code == 204


def test_list_filters_and_pagination(records, staff_api):
    body = staff_api.get("/api/v1/activities/?unit=B01&kind=class_day&year=2025").json()
    assert body["count"] == 2 and {r["official"] for r in body["results"]} == {"F001", "F002"}
    assert staff_api.get("/api/v1/activities/?status=submitted").json()["count"] == 0
    assert staff_api.get("/api/v1/officials/?unit=B02").json()["count"] == 1
    assert staff_api.get("/api/v1/units/?parent=CITY").json()["count"] == 2
    assert staff_api.get("/api/v1/scores/?year=2025&unit=B01").json()["count"] == 2
    page = staff_api.get("/api/v1/officials/?page_size=1")
    assert page.status_code == 200 and "next" in page.json()
