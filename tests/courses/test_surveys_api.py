"""``/api/v1/questionnaires/`` and ``/api/v1/surveys/`` (issue 14): staff write questionnaires and surveys, an
official answers on their phone (form keys → 201, a second time 409, bad answers 400 naming each key), results and
summaries for staff only, and every role crossing (official, unit administrator, staff, anonymous)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courses.models import SurveyResponse
from courses.services import surveys as services
from tests.clock import this_half_year, today
from tests.conftest import client_for
from tests.courses.fixtures_surveys import *  # noqa: F403 (its fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(staff_user, needs):
    day = today()
    return services.create_survey(by=staff_user, code="needs-now", title="需求调查", questionnaire=needs,
                                  opens_on=day - timedelta(days=1), closes_on=day + timedelta(days=30))  # fmt: skip


def answers_from(form: dict, pick: int = 0) -> dict:
    """What a phone sends: one tap per question (the first option, 4 on a scale, a sentence)."""
    answers = {}
    for q in form["questions"]:
        keys = [s["key"] for s in q["sessions"]] if q["key"] is None else [q["key"]]
        for key in keys:
            values = [c["value"] for c in q["choices"]]
            answers[key] = {"single": values[pick % len(values)] if values else None,
                            "multiple": [values[0]] if values else None,
                            "scale": 4, "text": "建议增加案例教学"}[q["kind"]]  # fmt: skip
    return answers


QUESTIONNAIRE = {
    "code": "q-pilot", "title": "试点调查", "purpose": "needs",
    "questions": [
        {"kind": "single", "text": "培训时间", "choices": ["上午", "下午"], "topic": "timing", "need": "individual"},
        {"kind": "scale", "text": "满意度"},
    ],
}  # fmt: skip


def test_staff_write_a_questionnaire_copy_it_and_change_the_copy(staff_api, questionnaires):
    created = staff_api.post("/api/v1/questionnaires/", QUESTIONNAIRE, format="json")
    assert created.status_code == 201, created.json()
    assert [q["kind"] for q in created.json()["questions"]] == ["single", "scale"]
    listed = staff_api.get("/api/v1/questionnaires/").json()["results"]
    assert {q["code"] for q in listed} == {"q-pilot", "needs-survey", "class-evaluation"}
    assert next(q for q in listed if q["code"] == "needs-survey")["builtin"]
    refused = staff_api.put("/api/v1/questionnaires/needs-survey/", {"title": "改"}, format="json")
    assert refused.status_code == 400 and "ready-made" in str(refused.json())
    copied = staff_api.post("/api/v1/questionnaires/needs-survey/copy/", {"code": "needs-2", "title": "新需求调查"},
                            format="json")  # fmt: skip
    assert copied.status_code == 201 and not copied.json()["builtin"] and len(copied.json()["questions"]) == 10
    changed = staff_api.put("/api/v1/questionnaires/needs-2/", {"questions": QUESTIONNAIRE["questions"]}, format="json")
    assert changed.status_code == 200 and len(changed.json()["questions"]) == 2


def test_bad_questionnaires_are_400_in_plain_words(staff_api, questionnaires):
    bad = {**QUESTIONNAIRE, "questions": [{"kind": "single", "text": "只有一个选项", "choices": ["是"]}]}
    response = staff_api.post("/api/v1/questionnaires/", bad, format="json")
    assert response.status_code == 400 and "Question 1:" in response.json()["questions"][0]
    for body in ({**QUESTIONNAIRE, "questions": []}, {**QUESTIONNAIRE, "purpose": "class_evaluation"},
                 {**QUESTIONNAIRE, "questions": [{"kind": "poll", "text": "x"}]}, {"code": "x"}):  # fmt: skip
        assert staff_api.post("/api/v1/questionnaires/", body, format="json").status_code == 400
    staff_api.post("/api/v1/questionnaires/", QUESTIONNAIRE, format="json")
    again = staff_api.post("/api/v1/questionnaires/", QUESTIONNAIRE, format="json")
    assert again.status_code == 400 and "taken" in str(again.json()["code"])


def test_staff_put_a_survey_and_change_its_dates(staff_api, questionnaires, units):
    body = {"code": "needs-b01", "title": "财政局需求调查", "questionnaire": "needs-survey",
            "opens_on": today().isoformat(), "closes_on": (today() + timedelta(days=14)).isoformat(),
            "units": ["B01"], "ranks": ["section_chief", "deputy_section"]}  # fmt: skip
    created = staff_api.post("/api/v1/surveys/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["units"] == ["B01"] and data["state"] == "open" and data["answered"] is None
    assert data["participation"] == {"asked": 0, "answered": 0, "rate": 0.0}
    bad = staff_api.post("/api/v1/surveys/", {**body, "code": "x", "closes_on": str(today() - timedelta(days=1)),
                                              "units": ["NOPE"]}, format="json")  # fmt: skip
    assert bad.status_code == 400 and set(bad.json()) == {"units"}
    yesterday = (today() - timedelta(days=1)).isoformat()
    bad = staff_api.post("/api/v1/surveys/", {**body, "code": "x", "closes_on": yesterday}, format="json")
    assert bad.status_code == 400 and "closing day cannot be before" in str(bad.json()["closes_on"])
    evaluation = staff_api.post("/api/v1/surveys/", {**body, "code": "y", "questionnaire": "class-evaluation"},
                                format="json")  # fmt: skip
    assert evaluation.status_code == 400 and "questionnaire" in evaluation.json()
    later = (today() + timedelta(days=40)).isoformat()
    changed = staff_api.patch("/api/v1/surveys/needs-b01/", {"closes_on": later, "units": []}, format="json")
    assert changed.status_code == 200 and changed.json()["closes_on"] == later and changed.json()["units"] == []


def test_an_official_answers_on_the_phone_once(survey, officials):
    zhang = client_for(officials["zhang"].user)
    listed = zhang.get("/api/v1/surveys/").json()["results"]
    assert [(s["code"], s["answered"]) for s in listed] == [("needs-now", False)]
    form = zhang.get("/api/v1/surveys/needs-now/form/").json()
    assert form["answered"] is False and len(form["questions"]) == 10
    scale = next(q for q in form["questions"] if q["kind"] == "scale")
    assert [c["value"] for c in scale["choices"]] == [1, 2, 3, 4, 5]
    answered = zhang.post("/api/v1/surveys/needs-now/answers/", {"answers": answers_from(form)}, format="json")
    assert answered.status_code == 201 and answered.json() == {"survey": "needs-now", "answered": True}
    again = zhang.post("/api/v1/surveys/needs-now/answers/", {"answers": answers_from(form)}, format="json")
    assert again.status_code == 409 and "answered this survey already" in again.json()["detail"]
    assert zhang.get("/api/v1/surveys/").json()["results"][0]["answered"] is True
    assert zhang.get("/api/v1/surveys/needs-now/").json()["participation"] is None
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_are_400_naming_each_key(survey, officials):
    zhang = client_for(officials["zhang"].user)
    form = zhang.get("/api/v1/surveys/needs-now/form/").json()
    answers = answers_from(form)
    first, second = form["questions"][0]["key"], form["questions"][1]["key"]
    answers[first], answers[second] = 7, "everything"
    response = zhang.post("/api/v1/surveys/needs-now/answers/", {"answers": answers}, format="json")
    assert response.status_code == 400 and set(response.json()) == {first, second}
    assert response.json()[first] == ["Choose one of the options."]
    for body in ({}, {"answers": {}}, {"answers": "all good"}, {"answers": {"q0": 1}}):
        assert zhang.post("/api/v1/surveys/needs-now/answers/", body, format="json").status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_a_closed_survey_is_400_and_one_that_does_not_ask_is_404(staff_user, needs, officials, units):
    services.create_survey(by=staff_user, code="closed", title="旧调查", questionnaire=needs,
                           opens_on=today() - timedelta(days=30), closes_on=today() - timedelta(days=1))  # fmt: skip
    services.create_survey(by=staff_user, code="education", title="教育局调查", questionnaire=needs,
                           opens_on=today(), closes_on=today(), units=[units["education"]])  # fmt: skip
    zhang = client_for(officials["zhang"].user)
    closed = zhang.post("/api/v1/surveys/closed/answers/", {"answers": {"q1": 1}}, format="json")
    assert closed.status_code == 400 and "closed on" in str(closed.json())
    assert zhang.get("/api/v1/surveys/education/").status_code == 404
    assert zhang.get("/api/v1/surveys/education/form/").status_code == 404
    assert zhang.post("/api/v1/surveys/education/answers/", {"answers": {"q1": 1}}, format="json").status_code == 404
    assert [s["code"] for s in zhang.get("/api/v1/surveys/").json()["results"]] == []


def test_results_and_summaries_for_staff_with_groups_under_5_hidden(staff_api, survey, people):
    form = staff_api.get("/api/v1/surveys/needs-now/form/").json()
    for official in people(5) + people(2, rank="deputy_section"):
        response = client_for(official.user).post("/api/v1/surveys/needs-now/answers/",
                                                  {"answers": answers_from(form)}, format="json")  # fmt: skip
        assert response.status_code == 201
    results = staff_api.get(f"/api/v1/surveys/needs-now/results/?period={this_half_year()}&by=rank").json()
    assert results["respondents"] == 7 and results["period"] == this_half_year() and results["by"] == "rank"
    assert {g["group"]: g["shown"] for g in results["groups"]} == {"section_chief": True, "deputy_section": False}
    first = results["questions"][0]
    assert first["result"]["shown"] and first["result"]["choices"][0] == {
        "label": "政治理论",
        "count": 7,
        "share": 100.0,
    }
    hidden = next(g for g in first["groups"] if g["group"] == "deputy_section")
    assert hidden == {"group": "deputy_section", "label": "Deputy section chief", "respondents": 2, "shown": False,
                      "result": None}  # fmt: skip
    assert staff_api.get("/api/v1/surveys/needs-now/results/?by=unit").status_code == 400
    assert staff_api.get("/api/v1/surveys/needs-now/results/?period=2026-1").status_code == 400
    summary = staff_api.get(f"/api/v1/surveys/needs-now/summaries/{this_half_year()}/").json()
    assert summary["respondents"] == 7 and summary["previous_respondents"] == 0
    assert summary["texts"][0]["answers"] == ["建议增加案例教学"] * 7
    assert staff_api.get("/api/v1/surveys/needs-now/summaries/2026H3/").status_code == 400
    detail = staff_api.get("/api/v1/surveys/needs-now/").json()
    assert detail["responses"] == {this_half_year(): 7} and detail["participation"]["answered"] == 7


def test_every_role_crossing_on_questionnaires_and_surveys(survey, officials, unit_admin_user, questionnaires):
    zhang, admin, anonymous = client_for(officials["zhang"].user), client_for(unit_admin_user), client_for(None)
    for client in (zhang, admin):
        assert client.get("/api/v1/questionnaires/").status_code == 403
        assert client.get("/api/v1/questionnaires/needs-survey/").status_code == 403
        assert client.post("/api/v1/questionnaires/", QUESTIONNAIRE, format="json").status_code == 403
        assert client.put("/api/v1/questionnaires/needs-survey/", {"title": "x"}, format="json").status_code == 403
        assert client.post("/api/v1/questionnaires/needs-survey/copy/", {"code": "c", "title": "x"},
                           format="json").status_code == 403  # fmt: skip
        assert client.post("/api/v1/surveys/", {"code": "x"}, format="json").status_code == 403
        assert client.patch("/api/v1/surveys/needs-now/", {"title": "x"}, format="json").status_code == 403
        assert client.get("/api/v1/surveys/needs-now/results/").status_code == 403
        assert client.get(f"/api/v1/surveys/needs-now/summaries/{this_half_year()}/").status_code == 403
    # a unit administrator who is not an official is asked nothing
    assert admin.get("/api/v1/surveys/").json()["results"] == []
    assert admin.get("/api/v1/surveys/needs-now/").status_code == 404
    assert admin.post("/api/v1/surveys/needs-now/answers/", {"answers": {"q1": 1}}, format="json").status_code == 404
    for path in ("/api/v1/questionnaires/", "/api/v1/surveys/", "/api/v1/surveys/needs-now/",
                 "/api/v1/surveys/needs-now/form/", "/api/v1/surveys/needs-now/results/"):  # fmt: skip
        assert anonymous.get(path).status_code in (401, 403)
    assert anonymous.post("/api/v1/surveys/needs-now/answers/", {"answers": {}}, format="json").status_code in (
        401,
        403,
    )


def test_staff_are_not_respondents(staff_api, survey):
    form = staff_api.get("/api/v1/surveys/needs-now/form/")
    assert form.status_code == 200 and form.json()["answered"] is None
    response = staff_api.post("/api/v1/surveys/needs-now/answers/", {"answers": answers_from(form.json())},
                              format="json")  # fmt: skip
    assert response.status_code == 403 and "Only an official" in response.json()["detail"]
