"""Lectures, the unit's seats and plan, 我的培训 and the phone check-in, the catalogue and the faculty pool pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Course, FacultyMember, LectureSignup, Module, UnitPlan
from courses.services import classes as class_services
from courses.services.lectures import sign_up
from courses.services.online import record_completion
from credits.models import ActivityRecord
from tests.courses.test_pages_support import approved_quota_class, course, lecture, past_class, signed_in

pytestmark = pytest.mark.django_db


# -- lectures


def test_an_official_signs_up_and_checks_in_with_the_code_on_the_day(staff_user, officials):
    today_lecture = lecture(staff_user, code="today")
    zhang = signed_in(officials["zhang"].user)
    assert "Sign up" in zhang.get("/training/lectures/").content.decode()
    assert zhang.post("/training/lectures/today/signups/").status_code == 302
    assert LectureSignup.objects.filter(lecture=today_lecture, official=officials["zhang"]).exists()
    # A wrong code, then the right one: one record; a second check-in changes nothing.
    page = zhang.post("/training/checkin/", {"checkin_code": "000000x"}).content.decode()
    assert "No lecture today has this check-in code." in page
    assert "Type the check-in code" in zhang.post("/training/checkin/", {"checkin_code": ""}).content.decode()
    response = zhang.post("/training/checkin/", {"checkin_code": today_lecture.checkin_code}, follow=True)
    assert "You are checked in" in response.content.decode()
    assert ActivityRecord.objects.filter(official=officials["zhang"], kind="menu_city_lecture").count() == 1
    response = zhang.post("/training/checkin/", {"checkin_code": today_lecture.checkin_code}, follow=True)
    assert "already checked in" in response.content.decode()
    assert ActivityRecord.objects.filter(official=officials["zhang"], kind="menu_city_lecture").count() == 1


def test_the_code_only_works_on_the_day(staff_user, officials):
    later = lecture(staff_user, code="later", days_ahead=3)
    page = signed_in(officials["zhang"].user).post("/training/checkin/", {"checkin_code": later.checkin_code})
    assert "No lecture today has this check-in code." in page.content.decode()
    assert not ActivityRecord.objects.filter(official=officials["zhang"]).exists()


def test_the_organiser_ticks_the_list_and_sees_the_code(staff_user, officials):
    today_lecture = lecture(staff_user, code="tick")
    for name in ("zhang", "wang"):
        sign_up(by=staff_user, lecture=today_lecture, official=officials[name])
    staff = signed_in(staff_user)
    page = staff.get("/training/lectures/tick/").content.decode()
    assert f">{today_lecture.checkin_code}<" in page
    zhang_signup = LectureSignup.objects.get(lecture=today_lecture, official=officials["zhang"])
    page = staff.post("/training/lectures/tick/checkins/", {"signup": [zhang_signup.pk]}, follow=True).content.decode()
    assert "Checked in: 张伟" in page
    # Someone not signed up, by staff number: signed up on the way and checked in.
    staff.post("/training/lectures/tick/checkins/", {"official": "F002"})
    assert LectureSignup.objects.filter(lecture=today_lecture, checked_in_at__isnull=False).count() == 2


def test_a_unit_administrator_sees_and_checks_in_only_their_units_officials(staff_user, unit_admin_user, officials):
    today_lecture = lecture(staff_user, code="unit")
    sign_up(by=staff_user, lecture=today_lecture, official=officials["wang"])  # education
    admin = signed_in(unit_admin_user)
    page = admin.get("/training/lectures/unit/").content.decode()
    assert "王芳" not in page and 'data-testid="checkin-code"' not in page
    assert admin.post("/training/lectures/unit/signups/", {"official": "F001"}).status_code == 302
    page = admin.post("/training/lectures/unit/signups/", {"official": "E001"}).content.decode()
    assert "No official with staff number “E001”" in page
    wang_signup = LectureSignup.objects.get(lecture=today_lecture, official=officials["wang"])
    admin.post("/training/lectures/unit/checkins/", {"signup": [wang_signup.pk]})  # not theirs: ignored
    wang_signup.refresh_from_db()
    assert wang_signup.checked_in_at is None
    # An official cannot use the organiser's check-in, nor someone else's sign-up.
    assert (
        signed_in(officials["zhang"].user)
        .post("/training/lectures/unit/checkins/", {"signup": [wang_signup.pk]})
        .status_code
        == 403
    )
    response = signed_in(officials["zhang"].user).post(f"/training/lectures/unit/signups/{wang_signup.pk}/cancel/")
    assert response.status_code == 404
    assert signed_in(staff_user).get("/training/lectures/nope/").status_code == 404


# -- the unit's seats and plan


def test_the_seats_pages_are_for_unit_administrators_and_other_classes_are_404(
    staff_user, unit_admin_user, officials, units
):
    finance_class = approved_quota_class(staff_user, units["finance"], code="fin", seats={units["finance"]: 2})
    other = approved_quota_class(staff_user, units["education"], code="edu", seats={units["education"]: 2})
    admin = signed_in(unit_admin_user)
    page = admin.get("/training/seats/").content.decode()
    assert finance_class.title in page and other.title not in page
    assert admin.get("/training/seats/edu/").status_code == 404
    assert signed_in(officials["zhang"].user).get("/training/seats/").status_code == 403
    assert signed_in(staff_user).get("/training/seats/?unit=B01").status_code == 200
    # Remove before results.
    admin.post("/training/seats/fin/", {"official": "F001"})
    enrolment = finance_class.enrolments.get()
    response = admin.post("/training/seats/fin/", {"remove": enrolment.pk}, follow=True)
    assert "is no longer a trainee" in response.content.decode()
    assert not finance_class.enrolments.filter(active=True).exists()


def test_the_unit_files_next_years_plan_and_the_board_shows_who_has_not(staff_user, unit_admin_user, officials, units):
    next_year = timezone.localdate().year + 1
    admin = signed_in(unit_admin_user)
    page = admin.get("/training/plan/").content.decode()
    assert f"{next_year - 1}-12-31" in page and "Not filed yet" in page
    page = admin.post("/training/plan/", {"planned_classes": "-1", "expected_trainees": "x"}).content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    admin.post("/training/plan/", {"planned_classes": "3", "expected_trainees": "60", "content": "三期"})
    assert UnitPlan.objects.get(unit=units["finance"], year=next_year).planned_classes == 3
    board = signed_in(staff_user).get("/training/plans/").content.decode()
    missing = board.split('data-testid="plans-missing"')[1].split("</div>")[0]
    assert "市教育局" in missing and "市财政局" not in missing
    assert signed_in(officials["zhang"].user).get("/training/plan/").status_code == 403


# -- 我的培训


def test_my_training_lists_what_each_activity_gave_in_credits(staff_user, officials, units):
    zhang = officials["zhang"]
    training_class = past_class(staff_user, units["finance"], code="mine", days=3)
    class_services.enrol_trainee(by=staff_user, training_class=training_class, official=zhang)
    class_services.record_result(by=staff_user, training_class=training_class, official=zhang,
                                 days_attended=Decimal(3), passed=True, reflections=1)  # fmt: skip
    class_services.close_class(by=staff_user, training_class=training_class)
    online = Course.objects.create(
        code="wl", title="网络课程一", subject=course().subject, hours=Decimal(4), online=True
    )
    record_completion(by=staff_user, course=online, official=zhang, completed_on=timezone.localdate(), exam_passed=True)
    lecture(staff_user, code="soon", days_ahead=5)
    page = signed_in(zhang.user).get(f"/training/me/?year={training_class.ends_on.year}").content.decode()
    assert "班 mine" in page and "3 days attended" in page
    # Kunshan: a class day is 2 points (3 days → 6), a reflection 2, an online hour 0.5 (4 hours → 2).
    gave = page.split('data-testid="my-class"')[1]
    assert "6 points" in gave and "2 points" in gave
    assert "网络课程一" in page and "讲座 soon" in page  # open for sign-up
    assert signed_in(staff_user).get("/training/me/").status_code == 403
    assert signed_in(None).get("/training/me/").status_code == 302


# -- the catalogue and the faculty pool


def test_the_catalogue_adds_courses_and_modules_with_errors_in_plain_words(staff_user):
    staff = signed_in(staff_user)
    subject = course().subject
    form = {"code": "zz-1", "title": "党章学习", "subject": subject.pk, "hours": "3"}
    assert staff.post("/training/catalogue/courses/", form).status_code == 302
    page = staff.post("/training/catalogue/courses/", {**form, "hours": "-2"}).content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    page = staff.post("/training/catalogue/courses/", form).content.decode()  # the code is taken
    assert "zz-1" in page and Course.objects.filter(code="zz-1").count() == 1
    assert "党章学习" in staff.get(f"/training/catalogue/?subject={subject.pk}").content.decode()
    staff.post(
        "/training/catalogue/modules/",
        {"code": "m1", "title": "基础模块", "courses": [Course.objects.get(code="zz-1").pk]},
    )
    assert Module.objects.get(code="m1").courses.count() == 1


def test_the_faculty_pool_adds_and_ends_a_membership(staff_user, officials):
    staff = signed_in(staff_user)
    staff.post("/training/faculty/add/", {"official": "E001", "joined_on": "2026-01-01"})
    member = FacultyMember.objects.get(official=officials["wang"])
    page = staff.post(f"/training/faculty/{member.pk}/end/", {"left_on": "2025-01-01"}, follow=True).content.decode()
    member.refresh_from_db()
    assert member.left_on is None and "alert-danger" in page  # before joining: refused in words
    staff.post(f"/training/faculty/{member.pk}/end/", {"left_on": "2026-06-30"})
    member.refresh_from_db()
    assert member.left_on == date(2026, 6, 30)
    assert (
        "No official with staff number"
        in staff.post("/training/faculty/add/", {"official": "??", "joined_on": "2026-01-01"}).content.decode()
    )


def test_nav_entries_per_role(staff_user, unit_admin_user, officials):
    staff_nav = signed_in(staff_user).get("/training/classes/").content.decode()
    assert all(
        u in staff_nav
        for u in ("/training/classes/", "/training/catalogue/", "/training/lectures/", "/training/faculty/")
    )
    assert "/training/seats/" in signed_in(unit_admin_user).get("/training/seats/").content.decode()
    official_nav = signed_in(officials["zhang"].user).get("/training/me/").content.decode()
    assert "/training/me/" in official_nav and "/training/catalogue/" not in official_nav
