"""The API of a year's credit policy, its preview, an official's study hours and a unit's figures of a year.

- ``PUT /api/v1/years/{year}/policy/`` and ``POST /api/v1/years/{year}/policy-preview/``: the training section only;
  bad input, a published year and everyone else change nothing; the preview's numbers are what the switch stores.
- ``GET /api/v1/officials/{staff_no}/hours/{year}/``: RULES §3 at its lines (110 / 100 a year, 550 / 500 a cycle,
  judged in the cycle's last year; rank ``other`` has none).
- ``GET /api/v1/units/{code}/years/{year}/``: RULES §2.4, ``no_advanced_rating`` from a third of the unit failing.
- A baoji-2009 year's score answers its figures, and the schema describes them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credits.models import AnnualScore, Exemption, GroupStudySession, PublishedYear, RecomputeJob, YearPolicy
from credits.policies import policy_code_of_year
from credits.rules import get_policy
from credits.year_policy import EXEMPT
from organisation.models import Official, Unit
from tests.conftest import YEAR, client_for
from tests.test_year_policy import BAOJI, BEFORE, KUNSHAN, approved, chain, compute, everything, stored_states

pytestmark = pytest.mark.django_db

__all__ = ["chain"]  # the fixture, shared with the service tests


def policy_url(year=BEFORE) -> str:
    return f"/api/v1/years/{year}/policy/"


def preview_url(year=BEFORE) -> str:
    return f"/api/v1/years/{year}/policy-preview/"


def clients(officials, unit_admin_user) -> dict[str, APIClient]:
    return {
        "anonymous": APIClient(HTTP_ACCEPT_LANGUAGE="en"),
        "official": client_for(officials["zhang"].user),
        "unit_admin": client_for(unit_admin_user),
    }


# ---------------------------------------------------------------------------------------------------
# PUT /years/{year}/policy/ and POST /years/{year}/policy-preview/


@pytest.mark.parametrize("who", ["anonymous", "official", "unit_admin"])
@pytest.mark.parametrize("method", ["put", "post"])
def test_only_the_training_section_switches_or_previews(chain, unit_admin_user, who, method):
    client = clients(chain, unit_admin_user)[who]
    before = everything()
    url = policy_url() if method == "put" else preview_url()
    response = getattr(client, method)(url, {"policy": BAOJI}, format="json")
    assert response.status_code in ((401, 403) if who == "anonymous" else (403,))
    assert "detail" in response.json()
    assert everything() == before


def test_the_switch_answers_the_year_and_its_policy_and_recomputes(
    chain, staff_api, django_capture_on_commit_callbacks
):
    zhang = chain["zhang"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.put(policy_url(), {"policy": BAOJI}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["policy"], body["previous"]) == (BEFORE, BAOJI, KUNSHAN)
    assert body["job"]["year"] == BEFORE
    assert RecomputeJob.objects.get(pk=body["job"]["id"]).state == "done"
    assert policy_code_of_year(BEFORE) == BAOJI
    assert AnnualScore.objects.get(official=zhang, year=BEFORE).policy == BAOJI
    later = staff_api.get(f"/api/v1/officials/{zhang.staff_no}/scores/{YEAR}/").json()
    assert later["carry_in"] == 20  # 2024 under baoji-2009: 80 credits, 20 carried into 2025

    again = staff_api.put(policy_url(), {"policy": BAOJI}, format="json")
    assert again.status_code == 200 and again.json()["job"] is None and again.json()["previous"] == BAOJI


@pytest.mark.parametrize(
    ("url", "body", "status", "field"),
    [
        (policy_url(), {"policy": "baoji-2010"}, 400, "policy"),
        (policy_url(), {"policy": 7}, 400, "policy"),
        (policy_url(), {}, 400, "policy"),
        (policy_url(1999), {"policy": BAOJI}, 400, "year"),
        (policy_url(timezone.localdate().year + 2), {"policy": BAOJI}, 400, "year"),
        (preview_url(), {"policy": "nope"}, 400, "policy"),
        (preview_url(1999), {"policy": BAOJI}, 400, "year"),
    ],
)
def test_bad_input_is_a_400_in_plain_words_and_changes_nothing(chain, staff_api, url, body, status, field):
    before = everything()
    method = staff_api.post if "preview" in url else staff_api.put
    response = method(url, body, format="json")
    assert response.status_code == status
    assert field in response.json()
    if body.get("policy") == "baoji-2010":
        assert response.json()["policy"] == ["There is no credit policy “baoji-2010”."]
    assert everything() == before


def test_a_published_year_is_a_409_and_changes_nothing(chain, staff_api):
    PublishedYear.objects.create(year=BEFORE)
    before = everything()
    response = staff_api.put(policy_url(), {"policy": BAOJI}, format="json")
    assert response.status_code == 409
    assert str(BEFORE) in response.json()["detail"] and "published" in response.json()["detail"]
    assert everything() == before


def test_the_preview_writes_nothing_and_matches_the_switch(chain, staff_api, django_capture_on_commit_callbacks):
    zhang = chain["zhang"]
    now = stored_states(BEFORE)
    before = everything()
    response = staff_api.post(preview_url(), {"policy": BAOJI}, format="json")
    assert response.status_code == 200
    assert everything() == before
    preview = response.json()

    with django_capture_on_commit_callbacks(execute=True):
        assert staff_api.put(policy_url(), {"policy": BAOJI}, format="json").status_code == 200
    after = stored_states(BEFORE)

    assert (preview["year"], preview["policy"], preview["policy_now"]) == (BEFORE, BAOJI, KUNSHAN)
    assert preview["grades_now"] == {**dict.fromkeys(get_policy(KUNSHAN).grades, 0), **Counter(now.values())}
    assert preview["grades_after"] == {**dict.fromkeys(get_policy(BAOJI).grades, 0), **Counter(after.values())}
    assert EXEMPT in preview["grades_after"]
    changed = sorted(no for no in after if now.get(no) != after[no])
    assert preview["changed"] == len(changed)
    assert [o["staff_no"] for o in preview["officials"]] == changed
    stored = AnnualScore.objects.get(official=zhang, year=BEFORE)
    assert preview["officials"][0] == {
        "staff_no": zhang.staff_no,
        "name": zhang.name,
        "unit": zhang.unit.code,
        "grade_now": now[zhang.staff_no],
        "grade_after": stored.grade,
        "total_now": 20.0,  # kunshan-2020: offjob 16 days capped at 15, online 10 hours 5 (below its line: fail)
        "total_after": float(stored.total),
    }
    assert preview["later_years"] == [YEAR]


# ---------------------------------------------------------------------------------------------------
# GET /officials/{staff_no}/hours/{year}/ (RULES §3)


def hours(client, staff_no: str, year: int) -> dict:
    response = client.get(f"/api/v1/officials/{staff_no}/hours/{year}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_years_hours_at_the_line_meet_it_and_a_tenth_below_do_not(officials, staff_api, units):
    zhang, li = officials["zhang"], officials["li"]  # section chief, deputy section chief: 100 a year
    # zhang: 5 class days x 8 + 52 online hours + 2 city lectures x 3 + a paper with 2 hours entered = 100
    approved(zhang, "class_day", 5, YEAR)
    approved(zhang, "online_hour", 52, YEAR)
    approved(zhang, "menu_city_lecture", 2, YEAR)
    approved(zhang, "study_paper", 1, YEAR, hours=Decimal(2))
    approved(zhang, "study_paper", 1, YEAR)  # no default hours, none entered: 0
    approved(zhang, "online_course", 1, YEAR, points=10, category="basic")  # the course's hours not entered: 0
    approved(zhang, "central_group_listener", 10, YEAR - 2)  # 2023, the cycle's first year: 30 more in the cycle
    approved(zhang, "class_day", 3, YEAR, status="submitted")  # waiting: not counted
    approved(li, "online_hour", Decimal("99.9"), YEAR)

    assert hours(staff_api, zhang.staff_no, YEAR) == {
        "official": zhang.staff_no,
        "rank": "section_chief",
        "year": YEAR,
        "hours": 100.0,
        "required": 100.0,
        "met": True,
        "cycle": {"first_year": 2023, "last_year": 2027, "hours": 130.0, "required": 500.0, "met": None},
    }
    below = hours(staff_api, li.staff_no, YEAR)
    assert (below["hours"], below["required"], below["met"]) == (99.9, 100.0, False)
    assert below["cycle"]["met"] is None  # judged in 2027 only


def test_division_officials_need_110_and_other_ranks_have_no_line(units, roles, staff_api):
    division = Official.objects.create(staff_no="D001", name="陈处", unit=units["finance"], rank="division")
    other = Official.objects.create(staff_no="O001", name="周员", unit=units["finance"], rank="other")
    approved(division, "class_day", 13, YEAR)  # 104
    approved(division, "menu_other_lecture", 2, YEAR)  # 6: 110
    approved(other, "class_day", 13, YEAR)

    at_line = hours(staff_api, division.staff_no, YEAR)
    assert (at_line["hours"], at_line["required"], at_line["met"]) == (110.0, 110.0, True)
    assert at_line["cycle"]["required"] == 550.0
    approved(division, "online_hour", Decimal("0.1"), YEAR, status="rejected")
    no_line = hours(staff_api, other.staff_no, YEAR)
    assert (no_line["hours"], no_line["required"], no_line["met"]) == (104.0, None, None)
    assert (no_line["cycle"]["required"], no_line["cycle"]["met"]) == (None, None)


def test_the_cycle_is_judged_in_its_last_year(officials, staff_api):
    zhang, li = officials["zhang"], officials["li"]  # 500 over the cycle 2018-2022
    for year in range(2018, 2023):
        approved(zhang, "online_hour", 100, year)
        approved(li, "online_hour", 100 if year < 2022 else Decimal("99.9"), year)
    approved(zhang, "online_hour", 1000, 2017)  # the cycle before: not counted

    met = hours(staff_api, zhang.staff_no, 2022)
    assert met["cycle"] == {"first_year": 2018, "last_year": 2022, "hours": 500.0, "required": 500.0, "met": True}
    missed = hours(staff_api, li.staff_no, 2022)
    assert (missed["cycle"]["hours"], missed["cycle"]["met"], missed["met"]) == (499.9, False, False)
    assert hours(staff_api, zhang.staff_no, 2021)["cycle"]["met"] is None


def test_hours_are_read_by_whoever_may_see_the_official(officials, unit_admin_user):
    zhang, wang = officials["zhang"], officials["wang"]
    own = client_for(zhang.user)
    assert own.get(f"/api/v1/officials/{zhang.staff_no}/hours/{YEAR}/").status_code == 200
    assert own.get(f"/api/v1/officials/{wang.staff_no}/hours/{YEAR}/").status_code == 404
    admin = client_for(unit_admin_user)  # finance
    assert admin.get(f"/api/v1/officials/{officials['li'].staff_no}/hours/{YEAR}/").status_code == 200
    assert admin.get(f"/api/v1/officials/{wang.staff_no}/hours/{YEAR}/").status_code == 404
    assert APIClient().get(f"/api/v1/officials/{zhang.staff_no}/hours/{YEAR}/").status_code in (401, 403)
    assert own.get(f"/api/v1/officials/{zhang.staff_no}/hours/1999/").status_code == 400


# ---------------------------------------------------------------------------------------------------
# GET /units/{code}/years/{year}/ (RULES §2.4)


@pytest.fixture
def two_units(roles):
    """A baoji-2009 year: unit U3 with 1 of 3 assessed officials failing, U4 with 1 of 4 (and one exempt)."""
    YearPolicy.objects.create(year=YEAR, policy=BAOJI)
    made = {}
    for code, passing, failing in (("U3", 2, 1), ("U4", 3, 1)):
        unit = Unit.objects.create(code=code, name=f"单位{code}")
        for n in range(passing + failing):
            official = Official.objects.create(staff_no=f"{code}-{n}", name=f"{code}干部{n}", unit=unit)
            if n < passing:
                approved(official, "class_day", 12, YEAR)  # 60 credits: pass
        made[code] = unit
    exempt = Official.objects.create(staff_no="U4-x", name="免考", unit=made["U4"])
    Exemption.objects.create(official=exempt, year=YEAR, reason="sick_leave")
    for on in (date(YEAR, 3, 1), date(YEAR, 9, 1), date(YEAR - 1, 9, 1)):
        GroupStudySession.objects.create(unit=made["U3"], occurred_on=on, topic="理论学习")
    compute(YEAR - 1, YEAR)
    return made


def unit_year(client, code: str, year: int = YEAR):
    return client.get(f"/api/v1/units/{code}/years/{year}/")


def test_a_third_of_a_unit_failing_flags_it_and_a_quarter_does_not(two_units, staff_api):
    third = unit_year(staff_api, "U3").json()
    assert third == {
        "unit": "U3",
        "year": YEAR,
        "policy": BAOJI,
        "assessed": 3,
        "failed": 1,
        "flags": ["no_advanced_rating"],
        "group_study_sessions": 2,
        "group_study_sessions_required": None,
    }
    quarter = unit_year(staff_api, "U4").json()
    assert (quarter["assessed"], quarter["failed"], quarter["flags"]) == (4, 1, [])


def test_a_kunshan_year_has_no_unit_flag_and_counts_its_sessions_against_12(two_units, staff_api):
    kunshan = unit_year(staff_api, "U3", YEAR - 1).json()
    assert (kunshan["policy"], kunshan["assessed"], kunshan["failed"], kunshan["flags"]) == (KUNSHAN, 3, 3, [])
    assert (kunshan["group_study_sessions"], kunshan["group_study_sessions_required"]) == (1, 12)


def test_a_units_figures_are_for_the_training_section_and_its_own_administrator(officials, unit_admin_user, staff_api):
    finance, education = officials["zhang"].unit.code, officials["wang"].unit.code
    admin = client_for(unit_admin_user)
    assert unit_year(admin, finance).status_code == 200
    assert unit_year(admin, education).status_code == 404
    assert unit_year(client_for(officials["zhang"].user), finance).status_code == 403
    assert unit_year(APIClient(), finance).status_code in (401, 403)
    assert unit_year(staff_api, "NOPE").status_code == 404
    assert unit_year(staff_api, finance, 1999).status_code == 400


# ---------------------------------------------------------------------------------------------------
# A baoji-2009 year's score, and the schema


def test_a_baoji_years_score_answers_its_figures_and_the_schema_describes_them(chain, staff_api):
    zhang = chain["zhang"]
    body = staff_api.get(f"/api/v1/officials/{zhang.staff_no}/scores/{YEAR}/").json()
    assert body["policy"] == BAOJI and body["exempt"] is False
    assert body["categories"] == {"basic": {"score": 60.0}, "additional": {"score": 0.0}, "reward": {"score": 0.0}}
    assert (body["earned"], body["carry_in"], body["effective"], body["carry_out"], body["total"]) == (60, 0, 60, 0, 60)
    assert body["grade"] == "pass" and body["flags"] == ["promotion_ineligible"]
    assert body["cycle"] == {"first_year": 2023, "last_year": 2027, "earned": 60.0, "passed": None}
    assert {"city_rank", "unit_rank", "explanation"} <= set(body)
    kunshan = staff_api.get(f"/api/v1/officials/{zhang.staff_no}/scores/{BEFORE}/").json()
    assert "earned" not in kunshan and "cycle" not in kunshan

    schema = staff_api.get("/api/schema/?format=json").json()
    for name in ("AnnualScore", "AnnualScoreDetail"):
        component = schema["components"]["schemas"][name]
        figures = {"earned", "carry_in", "effective", "carry_out", "cycle"}
        assert figures <= set(component["properties"]) and not figures & set(component["required"])
        assert component["properties"]["cycle"]["properties"]["passed"]["nullable"] is True
    paths = schema["paths"]
    assert (
        "put" in paths["/api/v1/years/{year}/policy/"]
        and "409" in paths["/api/v1/years/{year}/policy/"]["put"]["responses"]
    )
    assert "post" in paths["/api/v1/years/{year}/policy-preview/"]
    assert "get" in paths["/api/v1/officials/{staff_no}/hours/{year}/"]
    assert "get" in paths["/api/v1/units/{code}/years/{year}/"]
