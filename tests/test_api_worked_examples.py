"""The API answers the worked examples of RULES §1.9 end to end: units, officials, records, score."""

import pytest

from tests.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)  # scores are refreshed after commit

EXAMPLE_1 = [
    ("class_day", 5), ("class_reflection", 1), ("menu_city_lecture", 4), ("menu_other_lecture", 2),
    ("online_hour", 52), ("xuexi_qiangguo", 1), ("central_group_listener", 12), ("book_reflection", 2),
    ("study_paper", 1),
]  # fmt: skip


def _setup_official(api, staff_no="K001", included_on=None):
    assert api.post("/api/v1/units/", {"code": "CITY", "name": "市直机关"}, format="json").status_code == 201
    response = api.post("/api/v1/units/", {"code": "B01", "name": "市财政局", "parent": "CITY"}, format="json")
    assert response.status_code == 201, response.content
    response = api.post(
        "/api/v1/officials/",
        {"staff_no": staff_no, "name": "张伟", "unit": "B01", "rank": "section_chief", "included_on": included_on},
        format="json",
    )
    assert response.status_code == 201, response.content


def _post_records(api, records, staff_no="K001"):
    for kind, quantity in records:
        response = api.post(
            "/api/v1/activities/",
            {"official": staff_no, "kind": kind, "quantity": quantity, "occurred_on": f"{YEAR}-06-01"},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "approved"  # entered by org-dept staff


def _score(api, staff_no="K001"):
    response = api.get(f"/api/v1/officials/{staff_no}/scores/{YEAR}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_example_1_total_87_good(staff_api):
    _setup_official(staff_api)
    _post_records(staff_api, EXAMPLE_1)
    score = _score(staff_api)
    assert score["year"] == YEAR and score["policy"] == "kunshan-2020"
    assert score["total"] == 87 and score["grade"] == "good"
    assert score["categories"] == {
        "offjob": {"score": 12, "passed": None},
        "menu": {"score": 28, "passed": True},
        "online": {"score": 30, "passed": True},
        "group_study": {"score": 15, "passed": None},
        "self_study": {"score": 2, "passed": None},
    }
    assert score["exempt"] is False and score["exempt_reason"] is None
    assert score["vetoes"] == [] and score["flags"] == []
    assert score["city_rank"] == 1 and score["unit_rank"] == 1
    assert score["explanation"]


def test_example_2_three_city_lectures_vetoes_menu(staff_api):
    _setup_official(staff_api)
    records = [(k, q) for k, q in EXAMPLE_1 if not k.startswith("menu_")]
    _post_records(staff_api, [*records, ("menu_city_lecture", 3), ("menu_other_lecture", 3)])
    score = _score(staff_api)
    assert score["categories"]["menu"] == {"score": 27, "passed": False}
    assert score["total"] == 86 and score["grade"] == "fail"
    assert score["vetoes"] == ["menu_not_passed"]
    assert "no_excellent_appraisal" in score["flags"]


def test_example_3_joined_in_march_is_prorated(staff_api):
    _setup_official(staff_api, included_on=f"{YEAR}-03-10")
    _post_records(
        staff_api,
        [("class_day", 3), ("menu_city_lecture", 3), ("menu_other_lecture", 2), ("online_hour", 40),
         ("central_group_listener", 8), ("study_paper", 1)],
    )  # fmt: skip
    score = _score(staff_api)
    assert {code: c["score"] for code, c in score["categories"].items()} == {
        "offjob": 8.0, "menu": 30, "online": 26.8, "group_study": 10.7, "self_study": 2.7,
    }  # fmt: skip
    assert score["categories"]["menu"]["passed"] is True  # 3 city lectures meet ceil(4 × 9 / 12) = 3
    assert score["total"] == 78.2 and score["grade"] == "good"


def test_record_deleted_through_the_api_leaves_the_score(staff_api):
    _setup_official(staff_api)
    _post_records(staff_api, EXAMPLE_1)
    record_id = staff_api.get("/api/v1/activities/?kind=study_paper").json()["results"][0]["id"]
    assert staff_api.delete(f"/api/v1/activities/{record_id}/").status_code == 204
    assert _score(staff_api)["total"] == 85


def test_exemption_and_veto_through_the_api(staff_api):
    _setup_official(staff_api)
    _post_records(staff_api, EXAMPLE_1)
    response = staff_api.post("/api/v1/vetoes/", {"official": "K001", "year": YEAR, "reason": "discipline"})
    assert response.status_code == 201, response.content
    score = _score(staff_api)
    assert score["grade"] == "fail" and score["vetoes"] == ["discipline"] and score["total"] == 87

    response = staff_api.post("/api/v1/exemptions/", {"official": "K001", "year": YEAR, "reason": "sick_leave"})
    assert response.status_code == 201, response.content
    score = _score(staff_api)
    assert score["exempt"] is True and score["exempt_reason"] == "sick_leave"
    assert score["grade"] is None and score["city_rank"] is None and score["flags"] == []


def test_recompute_endpoint_finishes_in_process(staff_api):
    _setup_official(staff_api)
    _post_records(staff_api, EXAMPLE_1)
    response = staff_api.post(f"/api/v1/years/{YEAR}/recompute/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done" and body["progress"] == 100 and body["officials"] == 1
    assert staff_api.get(body["poll"]).json()["state"] == "done"
    assert _score(staff_api)["total"] == 87
