"""The catalogue and the faculty pool: courses, modules, memberships (courses/services/catalogue.py, faculty.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import ChangeLog
from courses.models import Course, FacultyMember, Subject
from courses.services import catalogue, faculty, online
from tests.conftest import YEAR
from tests.courses.fixtures_catalogue import *  # noqa: F403 (its fixtures)
from tests.courses.fixtures_catalogue import records_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def course(by, subject, **values):
    fields = {"code": "C1", "title": "政治理论专题", "subject": subject, "hours": Decimal(4), "online": True} | values
    return catalogue.create_course(by=by, **fields)


def test_the_migration_seeds_more_than_thirty_subjects_with_chinese_names(db):
    names = set(Subject.objects.values_list("name", flat=True))
    assert len(names) >= 30 and {"政治理论", "党的建设", "法律法规", "汽车制造"} <= names


def test_a_course_is_created_and_audited(staff_user, subject):
    created = course(staff_user, subject, credits=Decimal(10))
    assert (created.code, created.hours, created.online, created.credits) == ("C1", Decimal(4), True, Decimal(10))
    assert ChangeLog.objects.filter(model="courses.course", object_id=str(created.pk), action="create").exists()


@pytest.mark.parametrize(
    ("credits", "accepted"),
    [("4.9", False), ("5", True), ("5.0", True), ("12.5", True), ("20", True), ("20.1", False), ("0", False)],
)
def test_an_online_course_gives_5_to_20_credits_exactly(staff_user, subject, credits, accepted):
    if accepted:
        assert course(staff_user, subject, credits=Decimal(credits)).credits == Decimal(credits)
    else:
        with pytest.raises(ValidationError) as refused:
            course(staff_user, subject, credits=Decimal(credits))
        assert refused.value.message_dict == {"credits": ["An online course gives 5 to 20 credits."]}


def test_credits_only_for_an_online_course(staff_user, subject):
    with pytest.raises(ValidationError) as refused:
        course(staff_user, subject, online=False, credits=Decimal(8))
    assert refused.value.message_dict["credits"] == [
        "Only an online course gives credits; leave them empty for this course."
    ]


@pytest.mark.parametrize(("hours", "problem"), [("0", True), ("-1", True), ("0.1", False), ("1000", False),
                                                 ("1000.1", True), ("2.25", True)])  # fmt: skip
def test_hours_are_more_than_zero_with_one_decimal_at_most(staff_user, subject, hours, problem):
    if problem:
        with pytest.raises(ValidationError) as refused:
            course(staff_user, subject, hours=Decimal(hours))
        assert list(refused.value.message_dict) == ["hours"]
    else:
        assert course(staff_user, subject, hours=Decimal(hours)).hours == Decimal(hours)


def test_a_course_code_is_unique_and_url_safe(staff_user, subject):
    course(staff_user, subject)
    with pytest.raises(ValidationError) as refused:
        course(staff_user, subject)
    assert refused.value.message_dict["code"] == ["The code “C1” is already taken."]
    with pytest.raises(ValidationError) as refused:
        course(staff_user, subject, code="C 2/x")
    assert "code" in refused.value.message_dict


def test_only_the_training_section_maintains_the_catalogue(unit_admin_user, officials, subject, staff_user):
    for user in (unit_admin_user, officials["zhang"].user):
        with pytest.raises(PermissionDenied):
            course(user, subject)
        with pytest.raises(PermissionDenied):
            catalogue.create_module(by=user, code="M1", title="基础模块")
    made = course(staff_user, subject)
    with pytest.raises(PermissionDenied):
        catalogue.update_course(by=unit_admin_user, course=made, hours=Decimal(2))
    assert not Course.objects.filter(hours=Decimal(2)).exists()


def test_a_module_groups_courses(staff_user, online_course, classroom_course):
    module = catalogue.create_module(
        by=staff_user, code="BASE", title="基础模块", elective=False, courses=[online_course, classroom_course]
    )
    assert set(module.courses.values_list("code", flat=True)) == {"ON-101", "CR-201"}
    with pytest.raises(ValidationError):
        catalogue.create_module(by=staff_user, code="BASE", title="again")


def test_changing_an_online_course_s_hours_updates_the_records_its_completions_gave(
    staff_user, officials, online_course
):
    zhang = officials["zhang"]
    completion = online.record_completion(
        by=staff_user, course=online_course, official=zhang, completed_on=date(YEAR, 4, 1), exam_passed=True
    )
    record_id = completion.record_id
    catalogue.update_course(by=staff_user, course=online_course, hours=Decimal(10))
    (record,) = records_of(zhang)
    assert (record.pk, record.kind, record.quantity, record.hours) == (record_id, "online_hour", 10, 10)


def test_an_online_course_with_completions_stays_online(staff_user, officials, online_course):
    online.record_completion(
        by=staff_user, course=online_course, official=officials["li"], completed_on=date(YEAR, 4, 1), exam_passed=True
    )
    with pytest.raises(ValidationError) as refused:
        catalogue.update_course(by=staff_user, course=online_course, online=False, credits=None)
    assert "online" in refused.value.message_dict


def test_an_update_with_an_unknown_field_is_refused(staff_user, online_course):
    with pytest.raises(ValidationError):
        catalogue.update_course(by=staff_user, course=online_course, colour="red")


# ---------------------------------------------------------------------------------------------------
# The faculty pool


def test_a_member_joins_and_leaves(staff_user, officials):
    member = faculty.add_faculty_member(by=staff_user, official=officials["wang"], joined_on=date(2020, 1, 1))
    ended = faculty.end_faculty_membership(by=staff_user, member=member, left_on=date(YEAR, 6, 30))
    assert (ended.joined_on, ended.left_on) == (date(2020, 1, 1), date(YEAR, 6, 30))
    assert ChangeLog.objects.filter(model="courses.facultymember", action="update").exists()


def test_memberships_of_one_official_never_overlap(staff_user, officials):
    wang = officials["wang"]
    member = faculty.add_faculty_member(by=staff_user, official=wang, joined_on=date(2020, 1, 1))
    with pytest.raises(ValidationError) as refused:
        faculty.add_faculty_member(by=staff_user, official=wang, joined_on=date(2024, 1, 1))
    assert refused.value.message_dict["joined_on"] == ["王芳 is already in the faculty pool since 2020-01-01."]
    faculty.end_faculty_membership(by=staff_user, member=member, left_on=date(2023, 12, 31))
    with pytest.raises(ValidationError):  # the day they left still counts as a member
        faculty.add_faculty_member(by=staff_user, official=wang, joined_on=date(2023, 12, 31))
    with pytest.raises(ValidationError):  # an open membership starting before covers the old one
        faculty.add_faculty_member(by=staff_user, official=wang, joined_on=date(2019, 1, 1))
    again = faculty.add_faculty_member(by=staff_user, official=wang, joined_on=date(2024, 1, 1))
    assert FacultyMember.objects.filter(official=wang).count() == 2 and again.left_on is None
    # another official is not affected
    faculty.add_faculty_member(by=staff_user, official=officials["zhang"], joined_on=date(2024, 1, 1))


def test_leaving_before_joining_or_twice_is_refused(staff_user, officials):
    member = faculty.add_faculty_member(by=staff_user, official=officials["wang"], joined_on=date(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        faculty.end_faculty_membership(by=staff_user, member=member, left_on=date(2024, 2, 29))
    assert "before the day of joining" in refused.value.message_dict["left_on"][0]
    faculty.end_faculty_membership(by=staff_user, member=member, left_on=date(2024, 3, 1))  # a one-day membership
    with pytest.raises(ValidationError):
        faculty.end_faculty_membership(by=staff_user, member=member, left_on=date(2024, 4, 1))


def test_only_the_training_section_keeps_the_pool(staff_user, unit_admin_user, officials):
    with pytest.raises(PermissionDenied):
        faculty.add_faculty_member(by=unit_admin_user, official=officials["zhang"], joined_on=date(2024, 1, 1))
    member = faculty.add_faculty_member(by=staff_user, official=officials["zhang"], joined_on=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        faculty.end_faculty_membership(by=officials["zhang"].user, member=member, left_on=date(2024, 6, 1))
