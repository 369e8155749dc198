"""The API of the catalogue, online completions, lectures and the faculty pool (the contract of issue 11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courses.models import Course, FacultyMember, Lecture, LectureSignup, OnlineCompletion
from courses.services import lectures
from credits.models import ActivityRecord
from tests.conftest import YEAR, client_for
from tests.courses.fixtures_catalogue import *  # noqa: F403 (its fixtures)
from tests.courses.fixtures_catalogue import today

pytestmark = pytest.mark.django_db

COURSE = {"code": "ON-7", "title": "数字政府", "subject": "zhengzhi", "hours": 6, "credits": 10, "online": True}


@pytest.fixture
def subject_code(subject):
    return subject.code


@pytest.fixture
def apis(staff_user, unit_admin_user, officials):
    return {
        "staff": client_for(staff_user),
        "admin": client_for(unit_admin_user),
        "zhang": client_for(officials["zhang"].user),
        "wang": client_for(officials["wang"].user),
        "anonymous": client_for(None),
    }


# ---------------------------------------------------------------------------------------------------
# Subjects and courses


def test_subjects_are_a_plain_list_of_code_and_name(apis):
    response = apis["zhang"].get("/api/v1/course-subjects/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 33 and set(body[0]) == {"code", "name"}
    assert "政治理论" in {s["name"] for s in body}
    assert apis["anonymous"].get("/api/v1/course-subjects/").status_code == 403


def test_the_training_section_creates_a_course_and_everyone_reads_it(apis, subject_code):
    body = COURSE | {"subject": subject_code}
    response = apis["staff"].post("/api/v1/courses/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() | {"subject_name": None} == body | {"subject_name": None}
    detail = apis["wang"].get("/api/v1/courses/ON-7/")
    assert detail.status_code == 200 and detail.json()["hours"] == 6
    assert apis["zhang"].get("/api/v1/courses/").json()["count"] == 1


def test_a_course_without_credits_and_offline(apis, subject_code):
    body = {"code": "CR-1", "title": "依法行政", "subject": subject_code, "hours": "3.5", "online": False}
    response = apis["staff"].post("/api/v1/courses/", body, format="json")
    assert response.status_code == 201 and response.json()["credits"] is None and response.json()["hours"] == 3.5


@pytest.mark.parametrize("user", ["admin", "zhang"])
def test_no_one_else_creates_or_changes_a_course(apis, subject_code, online_course, user):
    assert apis[user].post("/api/v1/courses/", COURSE | {"subject": subject_code}, format="json").status_code == 403
    assert apis[user].patch("/api/v1/courses/ON-101/", {"hours": 1}, format="json").status_code == 403
    assert Course.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"credits": "4.9"}, "credits", "An online course gives 5 to 20 credits."),
        ({"credits": "20.1"}, "credits", "An online course gives 5 to 20 credits."),
        ({"online": False}, "credits", "Only an online course gives credits; leave them empty for this course."),
        ({"hours": 0}, "hours", "The hours must be more than 0 and at most 1000."),
        ({"subject": "nope"}, "subject", "There is no subject “nope”; see /api/v1/course-subjects/."),
        ({"code": "a b"}, "code", 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
    ],
)
def test_a_bad_course_is_400_in_plain_words(apis, subject_code, change, field, words):
    response = apis["staff"].post("/api/v1/courses/", COURSE | {"subject": subject_code} | change, format="json")
    assert response.status_code == 400 and response.json()[field] == [words]


def test_credits_on_the_boundaries_are_accepted(apis, subject_code):
    for number, credits in enumerate(("5", "20")):
        body = COURSE | {"subject": subject_code, "code": f"B{number}", "credits": credits}
        assert apis["staff"].post("/api/v1/courses/", body, format="json").status_code == 201


def test_courses_filter_by_subject_online_and_search(apis, online_course, classroom_course):
    def codes(query):
        return [c["code"] for c in apis["zhang"].get(f"/api/v1/courses/?{query}").json()["results"]]

    assert codes("online=true") == ["ON-101"] and codes("online=false") == ["CR-201"]
    assert codes("search=依法") == ["CR-201"] and codes(f"subject={online_course.subject.code}") == ["CR-201", "ON-101"]
    assert codes("subject=none-such") == []


def test_a_course_is_changed_by_patch(apis, online_course):
    response = apis["staff"].patch("/api/v1/courses/ON-101/", {"title": "新标题", "credits": 12}, format="json")
    assert response.status_code == 200 and (response.json()["title"], response.json()["credits"]) == ("新标题", 12)
    assert apis["staff"].get("/api/v1/courses/NOPE/").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Completions


def test_a_completion_is_201_then_200_when_posted_again(apis, officials, online_course):
    body = {"official": "F001", "completed_on": f"{YEAR}-04-01", "exam_passed": True}
    response = apis["staff"].post("/api/v1/courses/ON-101/completions/", body, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["course"], answer["official"], answer["record"]["kind"], answer["record"]["quantity"]) == (
        "ON-101", "F001", "online_hour", 6,
    )  # fmt: skip
    again = apis["staff"].post("/api/v1/courses/ON-101/completions/", body | {"exam_passed": False}, format="json")
    assert again.status_code == 200 and again.json()["record"] is None
    assert OnlineCompletion.objects.count() == 1 and not ActivityRecord.objects.exists()


@pytest.mark.parametrize("user", ["admin", "zhang"])
def test_only_the_training_section_posts_completions(apis, officials, online_course, user):
    body = {"official": "F001", "completed_on": f"{YEAR}-04-01", "exam_passed": True}
    assert apis[user].post("/api/v1/courses/ON-101/completions/", body, format="json").status_code == 403
    assert not OnlineCompletion.objects.exists()


def test_bad_completions_are_400_or_404(apis, officials, online_course, classroom_course):
    url = "/api/v1/courses/ON-101/completions/"
    body = {"official": "F001", "completed_on": f"{YEAR}-04-01", "exam_passed": True}
    assert apis["staff"].post("/api/v1/courses/NOPE/completions/", body, format="json").status_code == 404
    unknown = apis["staff"].post(url, body | {"official": "X9"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["official"] == ["There is no official with staff number “X9”."]
    future = apis["staff"].post(url, body | {"completed_on": str(today() + timedelta(days=1))}, format="json")
    assert future.status_code == 400 and future.json()["completed_on"] == ["The date is in the future."]
    offline = apis["staff"].post("/api/v1/courses/CR-201/completions/", body, format="json")
    assert offline.status_code == 400 and offline.json()["course"] == ["“CR-201” is not an online course."]
    missing = apis["staff"].post(url, {"official": "F001", "completed_on": f"{YEAR}-04-01"}, format="json")
    assert missing.status_code == 400 and "exam_passed" in missing.json()


# ---------------------------------------------------------------------------------------------------
# Lectures


LECTURE = {"code": "LX-1", "title": "新质生产力", "held_on": f"{YEAR}-05-20", "level": "city", "capacity": 2}


def test_the_training_section_schedules_a_lecture(apis):
    response = apis["staff"].post("/api/v1/lectures/", LECTURE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["code"], body["level"], body["capacity"], body["signup_count"], body["places_left"]) == (
        "LX-1", "city", 2, 0, 2,
    )  # fmt: skip
    assert len(body["checkin_code"]) == 6


@pytest.mark.parametrize("user", ["admin", "zhang"])
def test_no_one_else_schedules_a_lecture(apis, user):
    assert apis[user].post("/api/v1/lectures/", LECTURE, format="json").status_code == 403
    assert not Lecture.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"level": "province"}, "level"), ({"capacity": 0}, "capacity"), ({"held_on": "someday"}, "held_on"),
     ({"code": "x/y"}, "code")],
)  # fmt: skip
def test_a_bad_lecture_is_400(apis, change, field):
    response = apis["staff"].post("/api/v1/lectures/", LECTURE | change, format="json")
    assert response.status_code == 400 and field in response.json()


def test_only_the_training_section_sees_the_check_in_code(apis, make_lecture):
    make_lecture("LX-1")
    assert apis["zhang"].get("/api/v1/lectures/LX-1/").json()["checkin_code"] is None
    assert apis["admin"].get("/api/v1/lectures/").json()["results"][0]["checkin_code"] is None
    assert apis["staff"].get("/api/v1/lectures/LX-1/").json()["checkin_code"].isdigit()


def test_sign_ups_through_the_api_within_capacity(apis, make_lecture, officials):
    make_lecture("LX-1", held_on=today() + timedelta(days=3), capacity=2)
    mine = apis["zhang"].post("/api/v1/lectures/LX-1/signups/", {"official": "F001"}, format="json")
    assert mine.status_code == 201 and mine.json()["official"] == "F001"
    assert apis["admin"].post("/api/v1/lectures/LX-1/signups/", {"official": "F002"}, format="json").status_code == 201
    full = apis["staff"].post("/api/v1/lectures/LX-1/signups/", {"official": "E001"}, format="json")
    assert full.status_code == 400 and full.json()["official"] == ["The lecture is full (2 places)."]
    twice = apis["zhang"].post("/api/v1/lectures/LX-1/signups/", {"official": "F001"}, format="json")
    assert twice.status_code == 400


def test_sign_up_crossings_are_403_and_unknown_lectures_404(apis, make_lecture, officials):
    make_lecture("LX-1", held_on=today() + timedelta(days=3))
    assert apis["admin"].post("/api/v1/lectures/LX-1/signups/", {"official": "E001"}, format="json").status_code == 403
    assert apis["wang"].post("/api/v1/lectures/LX-1/signups/", {"official": "F001"}, format="json").status_code == 403
    assert apis["zhang"].post("/api/v1/lectures/NOPE/signups/", {"official": "F001"}, format="json").status_code == 404
    assert apis["anonymous"].post("/api/v1/lectures/LX-1/signups/", {"official": "F001"}).status_code == 403
    assert not LectureSignup.objects.exists()


def test_the_lecture_lists_only_the_sign_ups_one_may_see(apis, make_lecture, staff_user, officials):
    lecture = make_lecture("LX-1", held_on=today() + timedelta(days=3))
    for official in officials.values():
        lectures.sign_up(by=staff_user, lecture=lecture, official=official)

    def seen(user):
        return sorted(s["official"] for s in apis[user].get("/api/v1/lectures/LX-1/").json()["signups"])

    assert seen("staff") == ["E001", "F001", "F002"]
    assert seen("admin") == ["F001", "F002"]
    assert seen("zhang") == ["F001"] and seen("wang") == ["E001"]
    assert apis["zhang"].get("/api/v1/lectures/LX-1/").json()["signup_count"] == 3


def test_cancelling_a_sign_up_you_cannot_see_is_404(apis, make_lecture, staff_user, officials):
    lecture = make_lecture("LX-1", held_on=today() + timedelta(days=3))
    lectures.sign_up(by=staff_user, lecture=lecture, official=officials["wang"])
    lectures.sign_up(by=staff_user, lecture=lecture, official=officials["li"])
    assert apis["admin"].delete("/api/v1/lectures/LX-1/signups/E001/").status_code == 404
    assert apis["zhang"].delete("/api/v1/lectures/LX-1/signups/F002/").status_code == 404
    assert apis["admin"].delete("/api/v1/lectures/LX-1/signups/F002/").status_code == 204
    assert list(lecture.signups.values_list("official__staff_no", flat=True)) == ["E001"]


def test_check_ins_through_the_api(apis, make_lecture, officials):
    make_lecture("LX-1", held_on=date(YEAR, 5, 20))
    first = apis["staff"].post("/api/v1/lectures/LX-1/checkins/", {"official": "F001"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["checked_in_at"] and first.json()["record"]
    again = apis["admin"].post("/api/v1/lectures/LX-1/checkins/", {"official": "F001"}, format="json")
    assert again.status_code == 200 and again.json()["record"] == first.json()["record"]
    assert ActivityRecord.objects.filter(kind="menu_city_lecture").count() == 1


def test_check_in_crossings_are_403(apis, make_lecture, officials):
    lecture = make_lecture("LX-1", held_on=today())
    assert apis["admin"].post("/api/v1/lectures/LX-1/checkins/", {"official": "E001"}, format="json").status_code == 403
    body = {"official": "F002", "checkin_code": lecture.checkin_code}
    assert apis["zhang"].post("/api/v1/lectures/LX-1/checkins/", body, format="json").status_code == 403
    assert not ActivityRecord.objects.exists()


def test_an_official_checks_in_with_the_code(apis, make_lecture, officials):
    lecture = make_lecture("LX-1", held_on=today())
    wrong = apis["zhang"].post("/api/v1/lectures/LX-1/checkins/", {"checkin_code": "x"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["checkin_code"] == ["The check-in code is not right."]
    response = apis["zhang"].post("/api/v1/lectures/LX-1/checkins/", {"checkin_code": lecture.checkin_code},
                                  format="json")  # fmt: skip
    assert response.status_code == 201 and response.json()["official"] == "F001"  # yourself when left out
    nobody = apis["admin"].post("/api/v1/lectures/LX-1/checkins/", {}, format="json")
    assert nobody.status_code == 400 and "official" in nobody.json()


def test_lectures_filter_by_level_month_and_search(apis, make_lecture):
    make_lecture("A1", held_on=date(YEAR, 3, 5), level="city", title="春季讲座")
    make_lecture("A2", held_on=date(YEAR, 4, 5), level="other", title="法治讲座")

    def codes(query):
        response = apis["zhang"].get(f"/api/v1/lectures/?{query}")
        return response.status_code, [x["code"] for x in response.json().get("results", [])]

    assert codes("level=other") == (200, ["A2"])
    assert codes(f"month={YEAR}-03") == (200, ["A1"])
    assert codes("search=法治") == (200, ["A2"])
    assert codes("month=2025-13")[0] == 400 and codes("month=March")[0] == 400


# ---------------------------------------------------------------------------------------------------
# The faculty pool


def test_the_faculty_pool_is_the_training_section_s(apis, officials):
    created = apis["staff"].post("/api/v1/faculty-members/", {"official": "E001", "joined_on": "2020-01-01"},
                                 format="json")  # fmt: skip
    assert created.status_code == 201 and created.json()["official_name"] == "王芳"
    member_id = created.json()["id"]
    overlap = apis["staff"].post("/api/v1/faculty-members/", {"official": "E001", "joined_on": "2021-01-01"},
                                 format="json")  # fmt: skip
    assert overlap.status_code == 400 and "joined_on" in overlap.json()
    ended = apis["staff"].post(f"/api/v1/faculty-members/{member_id}/end/", {"left_on": "2024-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["left_on"] == "2024-12-31"
    bad = apis["staff"].post(f"/api/v1/faculty-members/{member_id}/end/", {"left_on": "2025-01-01"}, format="json")
    assert bad.status_code == 400
    assert apis["staff"].get("/api/v1/faculty-members/").json()["count"] == 1
    for user in ("admin", "zhang"):
        assert apis[user].get("/api/v1/faculty-members/").status_code == 403
        assert apis[user].post("/api/v1/faculty-members/", {"official": "F001", "joined_on": "2020-01-01"},
                               format="json").status_code == 403  # fmt: skip
        assert apis[user].post(f"/api/v1/faculty-members/{member_id}/end/", {"left_on": "2025-01-01"},
                               format="json").status_code == 403  # fmt: skip
    assert FacultyMember.objects.count() == 1
    assert apis["staff"].post("/api/v1/faculty-members/999/end/", {"left_on": "2025-01-01"}).status_code == 404


def test_the_schema_documents_the_new_operations(apis):
    schema = apis["staff"].get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/course-subjects/", "/api/v1/courses/{code}/completions/", "/api/v1/lectures/{code}/checkins/",
                 "/api/v1/lectures/{code}/signups/{staff_no}/", "/api/v1/faculty-members/{id}/end/"):  # fmt: skip
        assert path in paths


def test_problems_are_in_chinese_by_default(staff_user, make_lecture, officials):
    make_lecture("LX-1", held_on=today() + timedelta(days=3), capacity=1)
    chinese = client_for(staff_user, language="zh-hans")
    assert chinese.post("/api/v1/lectures/LX-1/signups/", {"official": "F001"}, format="json").status_code == 201
    full = chinese.post("/api/v1/lectures/LX-1/signups/", {"official": "F002"}, format="json")
    assert full.status_code == 400 and full.json()["official"] == ["讲座名额已满（共 1 个）。"]
