"""The scorecards' API as issue 12's contract states it: paths, fields, codes; every role crossing (403 for a role
that may not, 404 for a card outside the user's unit); bad input 400 in plain words; each template end to end."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Scorecard
from tests.assessments.cards_fixtures import *  # noqa: F403 (its fixtures)
from tests.assessments.cards_fixtures import BENXI, ORG, TEAM
from tests.conftest import YEAR, client_for
from tests.evidence_files import pdf

pytestmark = pytest.mark.django_db

CARDS = "/api/v1/scorecards/"


@pytest.fixture(autouse=True)
def _city(units, templates):
    """Every test: the three units (B01 finance, B02 education, CITY) and the three templates."""


@pytest.fixture
def admin_api(unit_admin_user):
    return client_for(unit_admin_user)


@pytest.fixture
def official_api(officials):
    return client_for(officials["zhang"].user)


def create(api, template=BENXI, unit="B01", year=YEAR):
    return api.post(CARDS, {"template": template, "unit": unit, "year": year}, format="json")


def patch_item(api, card_id, code, body):
    return api.patch(f"{CARDS}{card_id}/items/{code}/", body, format="json")


def items_of(body) -> dict:
    return {item["code"]: item for item in body["items"]}


# ---------------------------------------------------------------------------------------------------
# Templates


def test_templates_are_a_plain_list_with_items_and_tiers(templates, staff_api, admin_api, official_api):
    response = staff_api.get("/api/v1/scorecard-templates/")
    assert response.status_code == 200
    found = {t["code"]: t for t in response.json()}
    assert set(found) == {BENXI, ORG, TEAM}
    team_items = {i["code"]: i for s in found[TEAM]["sections"] for i in s["items"]}
    assert team_items["T3"]["criteria"] == ["c1", "c2", "c3", "c4", "c5"]
    assert (team_items["T8"]["method"], team_items["T8"]["max"], team_items["T8"]["computed"]) == (
        "deduction", 10, "division_below_110_hours")  # fmt: skip
    c2 = next(i for s in found[BENXI]["sections"] for i in s["items"] if i["code"] == "C2")
    assert [(o["code"], o["points"]) for o in c2["options"]] == [("full", 5), ("leave", 4), ("absent", 0)]
    assert [t["code"] for t in found[BENXI]["tiers"]] == ["fully_completed", "basically_completed", "not_completed"]
    assert found[TEAM]["tiers"][0]["requires_card"] == {"template": ORG, "tier": "learning_org"}
    assert admin_api.get("/api/v1/scorecard-templates/").status_code == 200
    assert official_api.get("/api/v1/scorecard-templates/").status_code == 403
    assert client_for(None).get("/api/v1/scorecard-templates/").status_code == 403
    assert staff_api.get(f"/api/v1/scorecard-templates/{ORG}/").json()["code"] == ORG


# ---------------------------------------------------------------------------------------------------
# Cards: create, read, scope


def test_create_a_card(templates, staff_api, admin_api, official_api, officials):
    response = create(staff_api, ORG)
    assert response.status_code == 201
    body = response.json()
    assert {"id", "template", "unit", "year", "status", "team_appraisal", "items", "total", "tier"} <= set(body)
    assert (body["template"], body["unit"], body["year"], body["status"]) == (ORG, "B01", YEAR, "draft")
    o9 = items_of(body)["O9"]
    assert (o9["max"], o9["score"], o9["self_score"], o9["computed"]) == (10, 8, None, 2)
    assert body["total"] == 48 and body["tier"] == "not_rated"
    assert body["facts"]["group_sessions_required"] == 12
    assert create(staff_api, ORG).status_code == 400  # the same unit, template and year again
    assert create(admin_api, ORG, year=YEAR - 1).status_code == 403
    assert create(official_api, ORG, year=YEAR - 1).status_code == 403
    bad = create(staff_api, "no-such-template")
    assert bad.status_code == 400 and "template" in bad.json()
    assert create(staff_api, ORG, year=1999).json()["year"]
    assert create(staff_api, ORG, unit="NOPE").status_code == 400


def test_each_role_reads_only_its_cards(templates, staff_api, admin_api, official_api):
    mine = create(staff_api, BENXI).json()["id"]
    other = create(staff_api, BENXI, unit="B02").json()["id"]
    create(staff_api, ORG)
    assert staff_api.get(CARDS).json()["count"] == 3
    assert [c["id"] for c in admin_api.get(CARDS, {"template": BENXI}).json()["results"]] == [mine]
    assert admin_api.get(f"{CARDS}{mine}/").status_code == 200
    assert admin_api.get(f"{CARDS}{other}/").status_code == 404
    assert official_api.get(CARDS).status_code == 403
    assert official_api.get(f"{CARDS}{mine}/").status_code == 403


def test_list_filters(templates, staff_api):
    create(staff_api, BENXI)
    create(staff_api, ORG, unit="B02")
    create(staff_api, BENXI, year=YEAR - 1)

    def codes(**params):
        return sorted((c["template"], c["unit"], c["year"]) for c in staff_api.get(CARDS, params).json()["results"])

    assert codes(year=YEAR) == [(BENXI, "B01", YEAR), (ORG, "B02", YEAR)]
    assert codes(template=ORG) == [(ORG, "B02", YEAR)]
    assert codes(unit="B01") == [(BENXI, "B01", YEAR - 1), (BENXI, "B01", YEAR)]
    assert codes(tier="not_rated") == [(ORG, "B02", YEAR)]
    assert codes(status="final") == []
    assert staff_api.get(CARDS, {"year": "20x5"}).status_code == 400
    assert staff_api.get(CARDS, {"status": "lost"}).status_code == 400


# ---------------------------------------------------------------------------------------------------
# Items


def test_staff_set_final_values_and_the_unit_its_self_check(templates, staff_api, admin_api, official_api):
    card = create(staff_api, BENXI).json()["id"]
    response = patch_item(staff_api, card, "A1", {"points": 4.5, "note": "方案完整"})
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["final_value"], body["comment"], body["card"]["total"]) == (4.5, {"points": 4.5},
                                                                                          "方案完整", 4.5)  # fmt: skip
    response = patch_item(admin_api, card, "A1", {"points": 5, "note": "有会议记录"})
    body = response.json()
    assert (body["self_score"], body["self_note"], body["score"], body["card"]["self_total"]) == (5, "有会议记录",
                                                                                                4.5, 5)  # fmt: skip
    assert patch_item(official_api, card, "A1", {"points": 5}).status_code == 403
    other = create(staff_api, BENXI, unit="B02").json()["id"]
    assert patch_item(admin_api, other, "A1", {"points": 5}).status_code == 404
    assert patch_item(staff_api, card, "Z9", {"points": 5}).status_code == 404


@pytest.mark.parametrize(
    ("code", "body", "field", "words"),
    [
        ("A1", {"points": 6}, "points", "A1 takes 0 to 5 points."),
        ("A1", {"points": 2.3}, "points", "halves"),
        ("A1", {"shortfalls": 1}, "shortfalls", "A1 takes “points”, not “shortfalls”."),
        ("D1", {"percent": 100.5}, "percent", "from 0 to 100"),
        ("C2", {"choice": "late"}, "choice", "C2 takes one of full, leave, absent."),
        ("E1", {"awarded": "maybe"}, "awarded", "Must be a valid boolean."),
        ("A1", {"points": 1, "awarded": True}, "non_field_errors", "Send one value"),
        ("A1", {"pionts": 1}, "pionts", "Unknown field."),
        ("A1", {}, "non_field_errors", "or a note"),
    ],
)
def test_bad_values_are_400_in_plain_words(templates, staff_api, code, body, field, words):
    card = create(staff_api, BENXI).json()["id"]
    response = patch_item(staff_api, card, code, body)
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_a_deduction_beyond_the_item_stays_at_zero_and_a_criteria_code_is_checked(templates, staff_api):
    card = create(staff_api, ORG).json()["id"]
    assert patch_item(staff_api, card, "O2", {"shortfalls": 7}).json()["score"] == 0  # 3 × 7 > 10: never below 0
    assert patch_item(staff_api, card, "O2", {"shortfalls": -1}).status_code == 400
    assert patch_item(staff_api, card, "O2", {"shortfalls": 1.5}).status_code == 400
    response = patch_item(staff_api, card, "O5", {"met": ["meeting", "q5"]})
    assert response.status_code == 400 and "“q5” is not a criterion of O5" in response.json()["met"][0]
    assert patch_item(staff_api, card, "O9", {"shortfalls": 0}).status_code == 400  # computed from the data


def test_team_appraisal_is_the_training_sections(templates, staff_api, admin_api):
    team = create(staff_api, TEAM).json()["id"]
    response = staff_api.patch(f"{CARDS}{team}/", {"team_appraisal": "good"}, format="json")
    assert response.status_code == 200 and response.json()["team_appraisal"] == "good"
    assert staff_api.patch(f"{CARDS}{team}/", {"team_appraisal": "fine"}, format="json").status_code == 400
    assert admin_api.patch(f"{CARDS}{team}/", {"team_appraisal": "excellent"}, format="json").status_code == 403
    benxi = create(staff_api, BENXI).json()["id"]
    response = staff_api.patch(f"{CARDS}{benxi}/", {"team_appraisal": "good"}, format="json")
    assert response.status_code == 400 and "no team appraisal" in response.json()["team_appraisal"][0]
    assert staff_api.put(f"{CARDS}{team}/", {"team_appraisal": "good"}, format="json").status_code == 405


# ---------------------------------------------------------------------------------------------------
# Self-check, review, final


def test_the_flow_and_its_role_crossings(templates, staff_api, admin_api, official_api):
    card = create(staff_api, ORG).json()["id"]
    other = create(staff_api, ORG, unit="B02").json()["id"]
    assert official_api.post(f"{CARDS}{card}/submit/", {}, format="json").status_code == 403
    assert admin_api.post(f"{CARDS}{other}/submit/", {}, format="json").status_code == 404
    response = admin_api.post(f"{CARDS}{card}/submit/", {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], [s["period"] for s in body["submissions"]], body["self_check_open"]) == (
        "submitted", ["full_year"], False)  # fmt: skip
    assert patch_item(admin_api, card, "O1", {"points": 5}).status_code == 400  # submitted: wait for a return
    assert admin_api.post(f"{CARDS}{card}/return/", {"reason": "x"}, format="json").status_code == 403
    assert staff_api.post(f"{CARDS}{card}/return/", {}, format="json").status_code == 400
    response = staff_api.post(f"{CARDS}{card}/return/", {"reason": "O5 缺会议记录"}, format="json")
    assert (response.json()["status"], response.json()["return_reason"]) == ("returned", "O5 缺会议记录")
    assert patch_item(admin_api, card, "O5", {"met": ["meeting"]}).status_code == 200
    assert admin_api.post(f"{CARDS}{card}/submit/", {"period": "half_year"}, format="json").status_code == 400
    assert admin_api.post(f"{CARDS}{card}/submit/", {"period": "full_year"}, format="json").status_code == 200
    assert admin_api.post(f"{CARDS}{card}/finalise/").status_code == 403
    assert staff_api.post(f"{CARDS}{card}/finalise/").json()["status"] == "final"
    assert patch_item(staff_api, card, "O1", {"points": 5}).status_code == 400
    assert staff_api.post(f"{CARDS}{card}/finalise/").status_code == 400
    assert admin_api.post(f"{CARDS}{card}/reopen/", {"reason": "更正"}, format="json").status_code == 403
    assert staff_api.post(f"{CARDS}{card}/reopen/", {"reason": ""}, format="json").status_code == 400
    assert staff_api.post(f"{CARDS}{card}/reopen/", {"reason": "更正"}, format="json").json()["status"] == "submitted"
    assert staff_api.post(f"{CARDS}999999/finalise/").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Evidence


def test_evidence_upload_and_download(templates, staff_api, admin_api, official_api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = create(staff_api, BENXI).json()["id"]
    url = f"{CARDS}{card}/items/B2/evidence/"
    sent = SimpleUploadedFile("签到表.pdf", pdf(), content_type="application/pdf")
    response = admin_api.post(url, {"file": sent}, format="multipart")
    assert response.status_code == 201
    evidence = response.json()
    assert (evidence["name"], evidence["file_type"]) == ("签到表.pdf", "pdf")
    download = staff_api.get(evidence["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert items_of(staff_api.get(f"{CARDS}{card}/").json())["B2"]["evidence"][0]["id"] == evidence["id"]
    fake = SimpleUploadedFile("a.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    bad = admin_api.post(url, {"file": fake}, format="multipart")
    assert bad.status_code == 400 and "PDF, JPEG or PNG" in bad.json()["file"][0]
    assert admin_api.post(url, {}, format="multipart").status_code == 400
    assert official_api.get(evidence["url"]).status_code == 403
    other = create(staff_api, BENXI, unit="B02").json()["id"]
    assert admin_api.get(f"{CARDS}{other}/items/B2/evidence/{evidence['id']}/").status_code == 404
    assert admin_api.get(f"{CARDS}{card}/items/B3/evidence/{evidence['id']}/").status_code == 404
    assert admin_api.delete(evidence["url"]).status_code == 204
    assert staff_api.get(evidence["url"]).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Rankings and overdue reports


def test_rankings_share_ranks_on_equal_totals(templates, staff_api, admin_api):
    a = create(staff_api, BENXI).json()["id"]
    b = create(staff_api, BENXI, unit="B02").json()["id"]
    c = create(staff_api, BENXI, unit="CITY").json()["id"]
    patch_item(staff_api, a, "A1", {"points": 3})
    patch_item(staff_api, b, "B6", {"points": 5})
    patch_item(staff_api, c, "A2", {"points": 3})
    response = staff_api.get(f"{CARDS}rankings/", {"template": BENXI, "year": YEAR})
    assert response.status_code == 200
    assert [(r["rank"], r["unit"], r["total"]) for r in response.json()] == [(1, "B02", 5), (2, "B01", 3),
                                                                             (2, "CITY", 3)]  # fmt: skip
    assert admin_api.get(f"{CARDS}rankings/", {"template": BENXI, "year": YEAR}).status_code == 403
    assert staff_api.get(f"{CARDS}rankings/", {"template": "x", "year": YEAR}).status_code == 400
    assert staff_api.get(f"{CARDS}rankings/", {"template": BENXI}).status_code == 400


def test_overdue_reports_each_role_sees_its_own(templates, staff_api, admin_api, official_api):
    mine = create(staff_api, BENXI).json()["id"]
    create(staff_api, ORG, unit="B02")
    rows = staff_api.get(f"{CARDS}overdue/").json()
    assert [(r["unit"], r["template"], r["period"], r["due_on"]) for r in rows] == [
        ("B01", BENXI, "half_year", f"{YEAR}-07-31"),
        ("B01", BENXI, "full_year", f"{YEAR}-11-30"),
        ("B02", ORG, "full_year", f"{YEAR}-11-30"),
    ]
    assert [r["card"] for r in admin_api.get(f"{CARDS}overdue/").json()] == [mine, mine]
    assert official_api.get(f"{CARDS}overdue/").status_code == 403
    assert staff_api.get(f"{CARDS}{mine}/").json()["overdue"] == ["half_year", "full_year"]


# ---------------------------------------------------------------------------------------------------
# Each template end to end (RULES §4.1–4.3)

BENXI_FULL = {
    "A1": {"points": 5}, "A2": {"points": 5}, "A3": {"points": 5}, "B1": {"points": 5}, "B2": {"points": 10},
    "B3": {"points": 5}, "B4": {"points": 5}, "B5": {"points": 5}, "B6": {"points": 15}, "C1": {"points": 5},
    "C2": {"choice": "full"}, "C3": {"points": 5}, "C4": {"points": 5}, "D1": {"percent": 80}, "D2": {"points": 5},
    "D3": {"points": 5}, "D4": {"points": 5},
}  # fmt: skip


def test_benxi_end_to_end_every_tier_and_a_bonus_over_100(templates, staff_api, admin_api):
    card = create(staff_api, BENXI).json()["id"]
    assert staff_api.get(f"{CARDS}{card}/").json()["tier"] == "not_completed"
    for code, value in BENXI_FULL.items():
        assert patch_item(staff_api, card, code, value).status_code == 200
    body = staff_api.get(f"{CARDS}{card}/").json()
    assert (body["total"], body["tier"]) == (100, "fully_completed")
    patch_item(staff_api, card, "B6", {"points": 5})  # 90: still fully completed (≥ 90)
    assert staff_api.get(f"{CARDS}{card}/").json()["tier"] == "fully_completed"
    patch_item(staff_api, card, "D1", {"percent": 79.9})  # the 4-point step: 89
    body = staff_api.get(f"{CARDS}{card}/").json()
    assert (body["total"], body["tier"]) == (89, "basically_completed")
    patch_item(staff_api, card, "B2", {"points": 0})
    patch_item(staff_api, card, "B6", {"points": 0})
    patch_item(staff_api, card, "C2", {"choice": "absent"})  # 69
    patch_item(staff_api, card, "A1", {"points": 0})
    patch_item(staff_api, card, "A2", {"points": 1})  # 60: basically completed at the line
    body = staff_api.get(f"{CARDS}{card}/").json()
    assert (body["total"], body["tier"]) == (60, "basically_completed")
    patch_item(staff_api, card, "D4", {"points": 4.5})
    body = staff_api.get(f"{CARDS}{card}/").json()
    assert (body["total"], body["tier"]) == (59.5, "not_completed")
    # Bonus: E2 alone adds nothing; with E1 both count and the total passes 100.
    for code, value in BENXI_FULL.items():
        patch_item(staff_api, card, code, value)
    assert patch_item(staff_api, card, "E2", {"awarded": True}).json()["card"]["total"] == 100
    answer = patch_item(staff_api, card, "E1", {"awarded": True}).json()["card"]
    assert (answer["base"], answer["bonus"], answer["total"], answer["tier"]) == (100, 20, 120, "fully_completed")
    # The unit's self-check is scored beside it, apart from the final values.
    patch_item(admin_api, card, "A1", {"points": 4})
    body = staff_api.get(f"{CARDS}{card}/").json()
    assert (body["self_total"], items_of(body)["A1"]["self_score"], items_of(body)["A1"]["score"]) == (4, 4, 5)


ORG_FULL = {
    "O1": {"points": 10}, "O5": {"met": ["meeting", "q1", "q2", "q3", "q4"]}, "O6": {"points": 10},
    "O8": {"met": ["mechanism", "complement", "self_check"]}, "O10": {"met": ["c1", "c2", "c3", "c4", "c5"]},
}  # fmt: skip


def test_daxinganling_rating_chain_end_to_end(templates, staff_api, units):
    org = create(staff_api, ORG).json()["id"]  # finance has no officials here: nothing computed off
    team = create(staff_api, TEAM).json()["id"]
    patch_item(staff_api, team, "T3", {"met": ["c1", "c2", "c3", "c4", "c5"]})
    patch_item(staff_api, team, "T4", {"met": ["meeting", "q1", "q2", "q3", "q4"]})
    body = staff_api.get(f"{CARDS}{team}/").json()
    assert (body["total"], body["tier"]) == (100, "not_rated")  # the org card is not rated; no appraisal yet
    for code, value in ORG_FULL.items():
        patch_item(staff_api, org, code, value)
    assert staff_api.get(f"{CARDS}{org}/").json()["tier"] == "learning_org"
    assert staff_api.get(f"{CARDS}{team}/").json()["tier"] == "not_rated"  # still no appraisal
    response = staff_api.patch(f"{CARDS}{team}/", {"team_appraisal": "excellent"}, format="json")
    assert response.json()["tier"] == "learning_team"
    assert staff_api.patch(f"{CARDS}{team}/", {"team_appraisal": "average"}, format="json").json()["tier"] == (
        "not_rated")  # fmt: skip
    assert staff_api.patch(f"{CARDS}{team}/", {"team_appraisal": "good"}, format="json").json()["tier"] == (
        "learning_team")  # fmt: skip
    # The org card falls below 90: the team card is re-tiered with it.
    patch_item(staff_api, org, "O2", {"shortfalls": 4})  # 3 × 4 = 12 off 10: O2 is 0, the card 90 (still rated)
    assert staff_api.get(f"{CARDS}{team}/").json()["tier"] == "learning_team"
    patch_item(staff_api, org, "O4", {"shortfalls": 1})  # 89
    assert staff_api.get(f"{CARDS}{org}/").json()["total"] == 89
    assert staff_api.get(f"{CARDS}{org}/").json()["tier"] == "not_rated"
    assert staff_api.get(f"{CARDS}{team}/").json()["tier"] == "not_rated"
    patch_item(staff_api, org, "O4", {"shortfalls": 0})  # 90 again: both rated
    assert [staff_api.get(f"{CARDS}{i}/").json()["tier"] for i in (org, team)] == ["learning_org", "learning_team"]
    # At 90 the team card is rated; at 89 it is not, whatever the org card.
    patch_item(staff_api, team, "T1", {"shortfalls": 10})
    body = staff_api.get(f"{CARDS}{team}/").json()
    assert (body["total"], body["tier"]) == (90, "learning_team")
    patch_item(staff_api, team, "T2", {"shortfalls": 1})
    body = staff_api.get(f"{CARDS}{team}/").json()
    assert (body["total"], body["tier"]) == (89, "not_rated")
    assert Scorecard.objects.get(pk=team).tier == "not_rated"
