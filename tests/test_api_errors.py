"""Bad input gets a 400 naming each field's problem in plain words and changes nothing; never a 500."""

import pytest

from credits.models import ActivityRecord, Exemption
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _post(api, **fields):
    body = {"official": "F001", "kind": "class_day", "quantity": 2, "occurred_on": f"{YEAR}-05-01", **fields}
    return api.post("/api/v1/activities/", body, format="json")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": "karaoke"}, "kind", "not a valid choice"),
        ({"official": "NOPE"}, "official", "no official with staff number"),
        ({"quantity": "lots"}, "quantity", "valid number"),
        ({"quantity": 0}, "quantity", "more than 0"),
        ({"quantity": -3}, "quantity", "more than 0"),
        ({"quantity": 5000}, "quantity", "at most"),
        ({"occurred_on": "2025-02-30"}, "occurred_on", "Date has wrong format"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "future"),
        ({"points": 3}, "points", "only for discretionary"),
        ({"kind": "discretionary", "quantity": 1}, "category", "Choose the category"),
        ({"kind": "discretionary", "quantity": 1, "category": "menu"}, "points", "need the number of points"),
        ({"kind": "discretionary", "quantity": 1, "category": "menu", "points": 99}, "points", "at most"),
        ({"kind": "class_day", "category": "menu"}, "category", "always counts under"),
    ],
)
def test_bad_record_is_refused_with_plain_words(staff_api, officials, fields, field, words):
    response = _post(staff_api, **fields)
    assert response.status_code == 400, response.content
    assert words.lower() in " ".join(response.json()[field]).lower()
    assert ActivityRecord.objects.count() == 0


def test_missing_fields_are_each_named(staff_api, officials):
    response = staff_api.post("/api/v1/activities/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"official", "kind", "quantity", "occurred_on"}


def test_malformed_json_is_a_400(staff_api):
    response = staff_api.post("/api/v1/activities/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_duplicate_exemption_is_refused(staff_api, officials):
    body = {"official": "F001", "year": YEAR, "reason": "sick_leave"}
    assert staff_api.post("/api/v1/exemptions/", body).status_code == 201
    response = staff_api.post("/api/v1/exemptions/", {**body, "reason": "retiring"})
    assert response.status_code == 400 and "already has an exemption" in response.json()["year"][0]
    assert Exemption.objects.get().reason == "sick_leave"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"reason": "other"}, "note"),  # "other" needs the case described
        ({"reason": "sick_leave", "year": "last"}, "year"),
    ],
)
def test_bad_exemption_is_refused(staff_api, officials, body, field):
    response = staff_api.post("/api/v1/exemptions/", {"official": "F001", "year": YEAR, **body})
    assert response.status_code == 400 and field in response.json()


def test_bad_veto_reason(staff_api, officials):
    response = staff_api.post("/api/v1/vetoes/", {"official": "F001", "year": YEAR, "reason": "menu_not_passed"})
    assert response.status_code == 400 and "reason" in response.json()  # computed vetoes are not recorded


def test_unit_and_official_conflicts(staff_api, officials):
    response = staff_api.post("/api/v1/units/", {"code": "B01", "name": "again"})
    assert response.status_code == 400 and "already exists" in response.json()["code"][0]
    response = staff_api.post("/api/v1/units/", {"code": "B09", "name": "x", "parent": "NOWHERE"})
    assert response.status_code == 400 and "no unit with code" in response.json()["parent"][0]
    response = staff_api.post("/api/v1/officials/", {"staff_no": "F001", "name": "x", "unit": "B01"})
    assert response.status_code == 400 and "already taken" in response.json()["staff_no"][0]
    response = staff_api.post("/api/v1/officials/", {"staff_no": "F009", "name": "x", "unit": "B01", "rank": "emperor"})
    assert response.status_code == 400 and "rank" in response.json()


def test_reject_needs_a_reason_and_only_submitted_records_are_reviewed(staff_api, officials, unit_admin_user):
    from tests.conftest import client_for

    admin_api = client_for(unit_admin_user)
    record = _post(admin_api, kind="central_group_listener", quantity=1).json()
    assert record["status"] == "submitted"
    response = staff_api.post(f"/api/v1/activities/{record['id']}/reject/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    assert staff_api.post(f"/api/v1/activities/{record['id']}/approve/").json()["status"] == "approved"
    response = staff_api.post(f"/api/v1/activities/{record['id']}/approve/")
    assert response.status_code == 400 and "Only submitted records" in response.json()["status"][0]


def test_recompute_of_an_absurd_year(staff_api):
    assert staff_api.post("/api/v1/years/1850/recompute/").status_code == 400


def test_schema_and_docs_are_served(staff_api):
    assert staff_api.get("/api/schema/").status_code == 200
    docs = staff_api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content.lower()


def test_taking_back_a_veto_and_an_exemption(staff_api, officials):
    veto = staff_api.post("/api/v1/vetoes/", {"official": "F001", "year": YEAR, "reason": "discipline"}).json()
    exemption = staff_api.post("/api/v1/exemptions/", {"official": "F001", "year": YEAR, "reason": "retiring"}).json()
    assert staff_api.delete(f"/api/v1/vetoes/{veto['id']}/").status_code == 204
    assert staff_api.delete(f"/api/v1/exemptions/{exemption['id']}/").status_code == 204
    assert staff_api.get("/api/v1/vetoes/").json()["count"] == 0
    assert staff_api.get("/api/v1/exemptions/").json()["count"] == 0
