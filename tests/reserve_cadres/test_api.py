"""The reserve pool's API as issue 13's contract states it: paths, fields, codes; every role crossing (403 for a role
that may not, 404 for a reserve outside a unit administrator's unit); bad input 400 in plain words; a reserve end to
end (decision → exam → defense → rotation → assessment → appointment, and one to disqualification)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import ChangeLog
from reserve_cadres.models import Reserve
from tests.conftest import YEAR, client_for
from tests.evidence_files import pdf

pytestmark = pytest.mark.django_db

RESERVES = "/api/v1/reserves/"
VOTES = {"excellent": 10, "competent": 5, "basically_competent": 0, "incompetent": 0}
PANEL = [80, 82, 85, 78, 90]


@pytest.fixture
def admin_api(unit_admin_user):
    return client_for(unit_admin_user)


@pytest.fixture
def official_api(officials):
    return client_for(officials["zhang"].user)


@pytest.fixture
def born(officials):
    """Birthdays: zhang 1990-05-01 (35), li 1992-03-10, wang 1988-07-01."""
    for key, day in {"zhang": date(1990, 5, 1), "li": date(1992, 3, 10), "wang": date(1988, 7, 1)}.items():
        officials[key].birth_date = day
        officials[key].save()
    return officials


def add(api, staff_no="F001", level="section_chief", stream="economic", decided_on=f"{YEAR}-03-01", **extra):
    body = {"official": staff_no, "level": level, "stream": stream, "decided_on": decided_on, **extra}
    return api.post(RESERVES, body, format="json")


@pytest.fixture
def pool(staff_api, born):
    """zhang (finance, section chief, economic), li (finance, deputy, technical), wang (education, section chief)."""
    ids = {}
    for key, staff_no, level, stream in [
        ("zhang", "F001", "section_chief", "economic"),
        ("li", "F002", "deputy_section", "technical"),
        ("wang", "E001", "section_chief", "party_government"),
    ]:
        response = add(staff_api, staff_no, level, stream)
        assert response.status_code == 201, response.content
        ids[key] = response.json()["id"]
    return ids


def exam(api, rid, year=YEAR, score="75.00"):
    return api.post(f"{RESERVES}{rid}/exams/", {"year": year, "score": score}, format="json")


def defense(api, rid, year=YEAR, panel=PANEL, votes=VOTES, **extra):
    return api.post(
        f"{RESERVES}{rid}/defenses/", {"year": year, "panel": panel, "votes": votes, **extra}, format="json"
    )


def errors_text(response) -> str:
    return str(response.json())


# ---------------------------------------------------------------------------------------------------
# The contract


def test_create_gives_201_active_and_is_audited(staff_api, born):
    response = add(staff_api, decision_document="县委〔2025〕12号", contact_leader="陈县长")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert (body["official"], body["level"], body["stream"], body["decided_on"]) == (
        "F001",
        "section_chief",
        "economic",
        f"{YEAR}-03-01",
    )
    assert body["flags"] == [] and body["contact_leader"] == "陈县长"
    assert ChangeLog.objects.filter(model="reserve_cadres.reserve", object_id=str(body["id"]), action="create").exists()


def test_create_bad_input_is_400_in_plain_words(staff_api, born):
    assert "There is no official" in errors_text(add(staff_api, staff_no="NOPE"))
    assert add(staff_api, level="mayor").status_code == 400
    assert add(staff_api, stream="sports").status_code == 400
    assert add(staff_api, decided_on="2025-02-30").status_code == 400
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = add(staff_api, decided_on=future)
    assert response.status_code == 400 and "future" in errors_text(response)
    assert add(staff_api).status_code == 201
    again = add(staff_api)
    assert again.status_code == 400 and "already in the reserve pool" in errors_text(again)


def test_an_official_over_the_age_limit_is_not_put_in_the_pool(staff_api, born):
    # li was born 1992-03-10: 36 on 2028-03-10, so a deputy decided on after that day is refused — use a past day:
    # zhang (1990-05-01) is 36 on 2026-05-01: too old for a deputy on 2026-05-01, not on 2026-04-30.
    assert add(staff_api, level="deputy_section", decided_on="2026-05-01").status_code == 400
    assert add(staff_api, level="deputy_section", decided_on="2026-04-30").status_code == 201


def test_list_filters_status_stream_unit_level(staff_api, pool):
    staff_api.post(f"{RESERVES}{pool['li']}/disqualify/", {"reason": "health", "note": "长期病休"}, format="json")
    listing = staff_api.get(RESERVES, {"status": "active"}).json()
    assert {row["official"] for row in listing["results"]} == {"F001", "E001"}
    assert {r["official"] for r in staff_api.get(RESERVES, {"stream": "economic"}).json()["results"]} == {"F001"}
    assert {r["official"] for r in staff_api.get(RESERVES, {"unit": "B02"}).json()["results"]} == {"E001"}
    assert {r["official"] for r in staff_api.get(RESERVES, {"level": "deputy_section"}).json()["results"]} == {"F002"}
    assert staff_api.get(RESERVES, {"status": "gone"}).status_code == 400
    row = next(r for r in staff_api.get(RESERVES).json()["results"] if r["official"] == "F002")
    assert (row["status"], row["disqualify_reason"]) == ("disqualified", "health")


def test_detail_flags_are_judged_on_the_day_given(staff_api, pool):
    rid = pool["zhang"]  # section chief born 1990-05-01: 41 on 2031-05-01
    assert staff_api.get(f"{RESERVES}{rid}/", {"on": "2031-04-30"}).json()["flags"] == []
    body = staff_api.get(f"{RESERVES}{rid}/", {"on": "2031-05-01"}).json()
    assert body["flags"] == ["age"] and body["on"] == "2031-05-01"
    soon = staff_api.get(f"{RESERVES}{rid}/", {"on": "2031-02-01"}).json()
    assert soon["soon_too_old"] == "2031-05-01" and soon["flags"] == []
    for bad in ["2031-13-01", "yesterday", "2031-5-1", "20310501"]:
        response = staff_api.get(f"{RESERVES}{rid}/", {"on": bad})
        assert response.status_code == 400 and "YYYY-MM-DD" in errors_text(response)


def test_exam_answer_and_boundaries(staff_api, pool):
    rid = pool["zhang"]
    response = exam(staff_api, rid, score="60")
    assert response.status_code == 201
    assert response.json() == {"year": YEAR, "score": "60.00", "passed": True}
    replaced = exam(staff_api, rid, score="59.99")
    assert replaced.status_code == 200 and replaced.json()["passed"] is False
    assert staff_api.get(f"{RESERVES}{rid}/", {"on": f"{YEAR}-12-31"}).json()["flags"] == ["exam_failed"]
    assert ChangeLog.objects.filter(model="reserve_cadres.exam", action="update").count() == 1
    for bad in ["100.01", "-1", "75.555", "abc", None, True]:
        response = exam(staff_api, rid, score=bad)
        assert response.status_code == 400, bad
    assert "between" in errors_text(exam(staff_api, rid, year=1999))
    assert "before the reserve was decided" in errors_text(exam(staff_api, rid, year=2024))


def test_defense_answer_scores_are_strings_with_two_decimals(staff_api, pool):
    rid = pool["zhang"]
    exam(staff_api, rid)
    response = defense(
        staff_api,
        rid,
        panel=[70, 71, 72, 73, 74, 75, 76],
        votes={"excellent": 5, "competent": 6, "basically_competent": 4, "incompetent": 2},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # panel 73; votes (500 + 480 + 240) / 17 = 71.7647…; score 43.8 + 28.70588… = 72.50588…
    assert (body["panel_score"], body["vote_score"], body["score"], body["passed"]) == ("73.00", "71.76", "72.51", True)
    assert body["panel"] == ["70.00", "71.00", "72.00", "73.00", "74.00", "75.00", "76.00"]


def test_a_defense_score_of_exactly_60_passes(staff_api, pool):
    rid = pool["zhang"]
    exam(staff_api, rid)
    # 6 examiners, mean 58.333… (sum 350): × 60 % = 35; 16 voters, 1000 points: 62.5 × 40 % = 25; 60 exactly.
    panel = ["58.33", "58.33", "58.33", "58.33", "58.34", "58.34"]
    votes = {"excellent": 4, "competent": 6, "basically_competent": 2, "incompetent": 4}
    body = defense(staff_api, rid, panel=panel, votes=votes).json()
    assert (body["panel_score"], body["vote_score"], body["score"], body["passed"]) == ("58.33", "62.50", "60.00", True)
    # 7 examiners, mean 53.3328…; 20 voters, vote 70: 59.9997… shows 60.00 but does not pass (compared exactly).
    panel = ["53.33", "53.33", "53.34", "53.33", "53.33", "53.34", "53.33"]
    votes = {"excellent": 8, "competent": 6, "basically_competent": 2, "incompetent": 4}
    body = defense(staff_api, rid, panel=panel, votes=votes).json()
    assert (body["score"], body["passed"]) == ("60.00", False)


@pytest.mark.parametrize(
    ("panel", "votes", "words"),
    [
        ([80] * 4, VOTES, "5 to 7 examiners, not 4"),
        ([80] * 8, VOTES, "5 to 7 examiners, not 8"),
        ([80] * 5, {**VOTES, "competent": 4}, "15 to 20 voters, not 14"),
        ([80] * 5, {**VOTES, "competent": 11}, "15 to 20 voters, not 21"),
        ([80, 80, 80, 80, 100.5], VOTES, "0 to 100"),
        ([80, 80, 80, 80, -1], VOTES, "0 to 100"),
        ([80, 80, 80, 80, "x"], VOTES, "0 to 100"),
        ([80] * 5, {**VOTES, "competent": -1}, "greater than or equal to 0"),
    ],
)
def test_defense_bad_input_is_400_in_plain_words(staff_api, pool, panel, votes, words):
    rid = pool["zhang"]
    exam(staff_api, rid)
    response = defense(staff_api, rid, panel=panel, votes=votes)
    assert response.status_code == 400
    assert words in errors_text(response)


def test_defense_needs_a_passed_exam_that_year(staff_api, pool):
    rid = pool["zhang"]
    response = defense(staff_api, rid)
    assert response.status_code == 400 and "passed written exam" in errors_text(response)
    exam(staff_api, rid, score="59.99")
    assert "passed written exam" in errors_text(defense(staff_api, rid))
    exam(staff_api, rid, year=YEAR + 1, score="90")
    assert "passed written exam" in errors_text(defense(staff_api, rid))  # another year's exam does not count
    exam(staff_api, rid, score="60")
    assert defense(staff_api, rid).status_code == 201
    # a failing score cannot then replace the exam the defense stands on
    response = exam(staff_api, rid, score="10")
    assert response.status_code == 400 and "defense" in errors_text(response)


def test_defense_again_replaces_it_audited(staff_api, pool):
    rid = pool["zhang"]
    exam(staff_api, rid)
    assert defense(staff_api, rid).status_code == 201
    again = defense(staff_api, rid, panel=[40] * 5, votes={**VOTES, "excellent": 0, "incompetent": 10})
    assert again.status_code == 200 and again.json()["passed"] is False
    detail = staff_api.get(f"{RESERVES}{rid}/", {"on": f"{YEAR}-12-31"}).json()
    assert len(detail["defenses"]) == 1 and detail["defenses"][0]["panel"] == ["40.00"] * 5
    assert detail["flags"] == ["defense_failed"]
    log = ChangeLog.objects.filter(model="reserve_cadres.defense", action="update").get()
    assert log.new["panel"] == ["40.00"] * 5 and log.old["panel"] == ["80.00", "82.00", "85.00", "78.00", "90.00"]


def test_appraisal_disqualify_and_appoint(staff_api, admin_api, pool):
    rid = pool["zhang"]
    response = admin_api.post(
        f"{RESERVES}{rid}/appraisals/", {"year": YEAR, "result": "basically_competent"}, format="json"
    )
    assert response.status_code == 201 and response.json()["result"] == "basically_competent"
    assert staff_api.get(f"{RESERVES}{rid}/").json()["flags"] == ["appraisal"]
    assert (
        admin_api.post(f"{RESERVES}{rid}/appraisals/", {"year": YEAR, "result": "great"}, format="json").status_code
        == 400
    )
    missing = staff_api.post(f"{RESERVES}{rid}/disqualify/", {"reason": "appraisal"}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()
    blank = staff_api.post(f"{RESERVES}{rid}/disqualify/", {"reason": "appraisal", "note": "  "}, format="json")
    assert blank.status_code == 400
    wrong = staff_api.post(f"{RESERVES}{rid}/disqualify/", {"reason": "lazy", "note": "x"}, format="json")
    assert wrong.status_code == 400
    done = staff_api.post(
        f"{RESERVES}{rid}/disqualify/", {"reason": "appraisal", "note": "年度考核基本称职"}, format="json"
    )
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["disqualify_reason"], body["left_on"]) == (
        "disqualified",
        "appraisal",
        timezone.localdate().isoformat(),
    )
    assert body["flags"] == []
    log = ChangeLog.objects.filter(model="reserve_cadres.reserve", object_id=str(rid), action="update").get()
    assert log.reason == "年度考核基本称职" and log.new["status"] == "disqualified"
    again = staff_api.post(f"{RESERVES}{rid}/disqualify/", {"reason": "other", "note": "x"}, format="json")
    assert again.status_code == 400 and "no longer in the reserve pool" in errors_text(again)
    appointed = staff_api.post(f"{RESERVES}{pool['li']}/appoint/", {}, format="json")
    assert appointed.status_code == 200 and appointed.json()["status"] == "appointed"


def test_practice_talk_reflection_training(staff_api, admin_api, pool):
    rid = pool["zhang"]
    practice = staff_api.post(
        f"{RESERVES}{rid}/practices/",
        {"kind": "rotation", "place": "某镇", "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR + 1}-05-31"},
        format="json",
    )
    assert practice.status_code == 201 and practice.json()["place"] == "某镇"
    backwards = staff_api.post(
        f"{RESERVES}{rid}/practices/",
        {"kind": "rotation", "place": "某镇", "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR}-05-31"},
        format="json",
    )
    assert backwards.status_code == 400 and "before the start" in errors_text(backwards)
    talk = admin_api.post(
        f"{RESERVES}{rid}/talks/", {"held_on": f"{YEAR}-07-01", "leader": "陈县长", "note": "谈心谈话"}, format="json"
    )
    assert talk.status_code == 201
    no_leader = admin_api.post(f"{RESERVES}{rid}/talks/", {"held_on": f"{YEAR}-07-01"}, format="json")
    assert no_leader.status_code == 400 and "leader" in no_leader.json()
    upload = SimpleUploadedFile("体会.pdf", pdf(), content_type="application/pdf")
    reflection = admin_api.post(
        f"{RESERVES}{rid}/reflections/", {"period": f"{YEAR}H1", "title": "心得", "file": upload}, format="multipart"
    )
    assert reflection.status_code == 201 and reflection.json()["file_type"] == "pdf"
    fake = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = admin_api.post(
        f"{RESERVES}{rid}/reflections/", {"period": f"{YEAR}H2", "title": "x", "file": fake}, format="multipart"
    )
    assert refused.status_code == 400 and "file" in refused.json()
    early = admin_api.post(
        f"{RESERVES}{rid}/reflections/", {"period": f"{YEAR - 1}H2", "title": "x"}, format="multipart"
    )
    assert early.status_code == 400 and "period" in early.json()
    bad = admin_api.post(f"{RESERVES}{rid}/reflections/", {"period": "2025H3", "title": "x"}, format="multipart")
    assert bad.status_code == 400 and "2026H1" in errors_text(bad)
    training = staff_api.post(
        f"{RESERVES}{rid}/trainings/", {"year": YEAR, "title": "经济管理班", "days": "12"}, format="json"
    )
    assert training.status_code == 201 and training.json()["days"] == 12
    assert staff_api.post(f"{RESERVES}{rid}/trainings/", {"year": YEAR}, format="json").status_code == 400
    unknown = staff_api.post(f"{RESERVES}{rid}/trainings/", {"year": YEAR, "training_class": "nope"}, format="json")
    assert unknown.status_code == 400
    detail = staff_api.get(f"{RESERVES}{rid}/").json()
    assert [len(detail[k]) for k in ("practices", "talks", "reflections", "trainings")] == [1, 1, 1, 1]


def test_flagged_and_due_lists(staff_api, admin_api, pool):
    response = staff_api.get(f"{RESERVES}flagged/", {"on": "2031-04-01"})
    assert response.status_code == 200
    rows = {row["official"]: row for row in response.json()}
    assert rows["F001"]["soon_too_old"] == "2031-05-01" and rows["F001"]["flags"] == []
    assert rows["E001"]["flags"] == ["age"]  # born 1988-07-01: 41 on 2029-07-01
    assert "F002" in rows  # deputy born 1992-03-10: 36 on 2028-03-10
    assert staff_api.get(f"{RESERVES}flagged/", {"on": "bad"}).status_code == 400
    assert {r["official"] for r in admin_api.get(f"{RESERVES}flagged/", {"on": "2031-04-01"}).json()} == {
        "F001",
        "F002",
    }
    due = staff_api.get(f"{RESERVES}due/", {"on": f"{YEAR + 1}-01-10"}).json()
    zhang = [(r["what"], r["period"], r["overdue"]) for r in due if r["official"] == "F001"]
    assert zhang == [
        ("reflection", f"{YEAR}H1", True),
        ("assessment", str(YEAR), True),
        ("reflection", f"{YEAR}H2", True),
        ("reflection", f"{YEAR + 1}H1", False),
        ("assessment", str(YEAR + 1), False),
    ]
    admin_api.post(f"{RESERVES}{pool['zhang']}/appraisals/", {"year": YEAR, "result": "competent"}, format="json")
    due = admin_api.get(f"{RESERVES}due/", {"on": f"{YEAR + 1}-01-10"}).json()
    assert {r["official"] for r in due} == {"F001", "F002"}
    assert ("assessment", str(YEAR)) not in [(r["what"], r["period"]) for r in due if r["official"] == "F001"]


# ---------------------------------------------------------------------------------------------------
# Who may


def test_officials_read_only_the_published_list(staff_api, official_api, pool):
    staff_api.post(f"{RESERVES}{pool['li']}/disqualify/", {"reason": "health", "note": "x"}, format="json")
    response = official_api.get(RESERVES)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["name"] for row in rows} == {"张伟", "王芳"}  # li left the list
    assert all(set(row) == {"name", "unit", "unit_name", "level", "stream"} for row in rows)
    assert official_api.get(RESERVES, {"status": "disqualified"}).json()["results"] == []
    rid = pool["zhang"]  # even their own reserve file is not theirs to read
    assert official_api.get(f"{RESERVES}{rid}/").status_code == 403
    assert official_api.get(f"{RESERVES}flagged/").status_code == 403
    assert official_api.get(f"{RESERVES}due/").status_code == 403
    for path, body in [
        ("", {"official": "F002", "level": "deputy_section", "stream": "economic", "decided_on": f"{YEAR}-03-01"}),
        (f"{rid}/exams/", {"year": YEAR, "score": 90}),
        (f"{rid}/defenses/", {"year": YEAR, "panel": PANEL, "votes": VOTES}),
        (f"{rid}/appraisals/", {"year": YEAR, "result": "excellent"}),
        (f"{rid}/talks/", {"held_on": f"{YEAR}-07-01", "leader": "x"}),
        (f"{rid}/reflections/", {"period": f"{YEAR}H1", "title": "x"}),
        (f"{rid}/practices/", {"kind": "rotation", "place": "x", "starts_on": f"{YEAR}-06-01"}),
        (f"{rid}/trainings/", {"year": YEAR, "title": "x"}),
        (f"{rid}/disqualify/", {"reason": "other", "note": "x"}),
        (f"{rid}/appoint/", {}),
    ]:
        assert official_api.post(f"{RESERVES}{path}", body, format="json").status_code == 403, path


def test_signed_out_is_refused(pool):
    assert client_for(None).get(RESERVES).status_code in (401, 403)


def test_unit_admin_reads_their_units_reserves_only(admin_api, pool):
    rows = admin_api.get(RESERVES).json()["results"]
    assert {row["official"] for row in rows} == {"F001", "F002"}
    assert admin_api.get(f"{RESERVES}{pool['zhang']}/").status_code == 200
    assert admin_api.get(f"{RESERVES}{pool['wang']}/").status_code == 404
    other = pool["wang"]
    for path, body in [
        (f"{other}/appraisals/", {"year": YEAR, "result": "excellent"}),
        (f"{other}/talks/", {"held_on": f"{YEAR}-07-01", "leader": "x"}),
        (f"{other}/reflections/", {"period": f"{YEAR}H1", "title": "x"}),
    ]:
        assert admin_api.post(f"{RESERVES}{path}", body, format="json").status_code == 404, path


def test_unit_admin_may_not_create_examine_or_decide(admin_api, pool):
    rid = pool["zhang"]
    for path, body in [
        ("", {"official": "F002", "level": "deputy_section", "stream": "economic", "decided_on": f"{YEAR}-03-01"}),
        (f"{rid}/exams/", {"year": YEAR, "score": 90}),
        (f"{rid}/defenses/", {"year": YEAR, "panel": PANEL, "votes": VOTES}),
        (f"{rid}/practices/", {"kind": "rotation", "place": "x", "starts_on": f"{YEAR}-06-01"}),
        (f"{rid}/trainings/", {"year": YEAR, "title": "x"}),
        (f"{rid}/disqualify/", {"reason": "other", "note": "x"}),
        (f"{rid}/appoint/", {}),
    ]:
        assert admin_api.post(f"{RESERVES}{path}", body, format="json").status_code == 403, path


def test_birth_date_in_the_officials_api(staff_api, admin_api, official_api, units, officials):
    created = staff_api.post(
        "/api/v1/officials/",
        {"staff_no": "F009", "name": "赵六", "unit": "B01", "birth_date": "1991-02-03"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["birth_date"] == "1991-02-03"
    patched = staff_api.patch("/api/v1/officials/F009/", {"birth_date": "1991-02-04"}, format="json")
    assert patched.status_code == 200 and patched.json()["birth_date"] == "1991-02-04"
    assert staff_api.get("/api/v1/officials/F009/").json()["birth_date"] == "1991-02-04"
    assert admin_api.get("/api/v1/officials/F009/").json()["birth_date"] == "1991-02-04"  # their unit
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert staff_api.patch("/api/v1/officials/F009/", {"birth_date": future}, format="json").status_code == 400
    assert staff_api.patch("/api/v1/officials/F009/", {"birth_date": "1991-02-30"}, format="json").status_code == 400
    officials["zhang"].birth_date = date(1990, 5, 1)
    officials["zhang"].save()
    assert official_api.get("/api/v1/officials/F001/").json()["birth_date"] is None  # only staff and the unit admin
    assert admin_api.patch("/api/v1/officials/F009/", {"birth_date": "1990-01-01"}, format="json").status_code == 403
    log = ChangeLog.objects.filter(model="organisation.official", action="update").last()
    assert log.new == {"birth_date": "1991-02-04"}


# ---------------------------------------------------------------------------------------------------
# End to end


def test_decision_to_appointment(staff_api, admin_api, born):
    rid = add(staff_api, "F002", "deputy_section", "technical", decided_on=f"{YEAR}-01-15").json()["id"]
    assert (
        staff_api.post(
            f"{RESERVES}{rid}/trainings/", {"year": YEAR, "title": "专业技术班", "days": 12}, format="json"
        ).status_code
        == 201
    )
    assert exam(staff_api, rid, score="82.5").json()["passed"] is True
    result = defense(staff_api, rid, held_on=f"{YEAR}-05-20").json()
    assert result["passed"] is True and result["score"] == "87.13"  # 83 × 0.6 + 93.33… × 0.4
    assert (
        staff_api.post(
            f"{RESERVES}{rid}/practices/",
            {"kind": "rotation", "place": "乡镇挂职", "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR + 1}-05-31"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        admin_api.post(
            f"{RESERVES}{rid}/talks/", {"held_on": f"{YEAR}-09-01", "leader": "单位主要负责人"}, format="json"
        ).status_code
        == 201
    )
    assert (
        admin_api.post(
            f"{RESERVES}{rid}/appraisals/", {"year": YEAR, "result": "excellent", "comment": "好"}, format="json"
        ).status_code
        == 201
    )
    assert staff_api.get(f"{RESERVES}{rid}/").json()["flags"] == []
    body = staff_api.post(f"{RESERVES}{rid}/appoint/", {"on": f"{YEAR + 1}-06-30"}, format="json").json()
    assert (body["status"], body["left_on"]) == ("appointed", f"{YEAR + 1}-06-30")
    assert Reserve.objects.get(pk=rid).status == "appointed"
    assert all(row["official"] != "F002" for row in client_for(None).get(RESERVES).json().get("results", []))


def test_decision_to_disqualification_after_a_failed_defense(staff_api, born, officials):
    rid = add(staff_api, "E001", "section_chief", "political_legal").json()["id"]
    exam(staff_api, rid, score="61")
    failed = defense(
        staff_api,
        rid,
        panel=[50, 55, 52, 58, 51],
        votes={"excellent": 1, "competent": 4, "basically_competent": 5, "incompetent": 6},
    ).json()
    assert failed["passed"] is False
    listed = staff_api.get(f"{RESERVES}flagged/", {"on": f"{YEAR}-12-31"}).json()
    assert [(r["official"], r["flags"]) for r in listed] == [("E001", ["defense_failed"])]
    body = staff_api.post(
        f"{RESERVES}{rid}/disqualify/", {"reason": "refused_or_failed", "note": "答辩未通过"}, format="json"
    ).json()
    assert body["status"] == "disqualified"
    assert staff_api.get(f"{RESERVES}flagged/", {"on": f"{YEAR}-12-31"}).json() == []
    official_rows = client_for(officials["zhang"].user).get(RESERVES).json()["results"]
    assert official_rows == []
    assert exam(staff_api, rid, score="90").status_code == 400  # out of the pool: the file takes no new entries
