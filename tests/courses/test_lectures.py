"""Menu lectures: sign-up within capacity, the three ways of checking in, one record per lecture and official."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from courses.models import LectureSignup
from courses.services import lectures
from credits.models import ActivityRecord, PublishedYear
from credits.services import YearLocked
from tests.conftest import YEAR
from tests.courses.fixtures_catalogue import *  # noqa: F403 (its fixtures)
from tests.courses.fixtures_catalogue import records_of, score_of, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_lecture_gets_a_six_digit_check_in_code(make_lecture):
    lecture = make_lecture()
    assert len(lecture.checkin_code) == 6 and lecture.checkin_code.isdigit()


@pytest.mark.parametrize(
    ("values", "field"),
    [({"level": "province"}, "level"), ({"capacity": 0}, "capacity"), ({"code": "a b"}, "code"),
     ({"title": " "}, "title"), ({"held_on": date(1999, 12, 31)}, "held_on")],
)  # fmt: skip
def test_a_lecture_with_bad_values_is_refused_in_plain_words(staff_user, values, field):
    fields = {"code": "L1", "title": "讲座", "held_on": date(YEAR, 5, 1), "level": "city", "capacity": 10} | values
    with pytest.raises(ValidationError) as refused:
        lectures.create_lecture(by=staff_user, **fields)
    assert list(refused.value.message_dict) == [field]


def test_only_the_training_section_schedules_lectures(unit_admin_user, officials):
    for user in (unit_admin_user, officials["zhang"].user):
        with pytest.raises(PermissionDenied):
            lectures.create_lecture(by=user, code="L1", title="讲座", held_on=date(YEAR, 5, 1), level="city",
                                    capacity=10)  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Sign-up


def test_sign_up_fills_the_capacity_exactly(make_lecture, staff_user, officials):
    lecture = make_lecture(held_on=today() + timedelta(days=7), capacity=2)
    lectures.sign_up(by=staff_user, lecture=lecture, official=officials["zhang"])
    lectures.sign_up(by=staff_user, lecture=lecture, official=officials["li"])  # the last place
    with pytest.raises(ValidationError) as refused:
        lectures.sign_up(by=staff_user, lecture=lecture, official=officials["wang"])
    assert refused.value.message_dict == {"official": ["The lecture is full (2 places)."]}
    assert lecture.signups.count() == 2


def test_who_may_sign_up_whom(make_lecture, staff_user, unit_admin_user, officials):
    lecture = make_lecture(held_on=today())  # the day itself is still open
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    lectures.sign_up(by=zhang.user, lecture=lecture, official=zhang)  # themself
    lectures.sign_up(by=unit_admin_user, lecture=lecture, official=li)  # their unit administrator
    with pytest.raises(PermissionDenied):
        lectures.sign_up(by=unit_admin_user, lecture=lecture, official=wang)  # another unit
    with pytest.raises(PermissionDenied):
        lectures.sign_up(by=wang.user, lecture=lecture, official=zhang)  # someone else
    lectures.sign_up(by=staff_user, lecture=lecture, official=wang)
    assert set(lecture.signups.values_list("official__staff_no", flat=True)) == {"F001", "F002", "E001"}


def test_no_second_sign_up_and_none_after_the_day(make_lecture, officials):
    zhang = officials["zhang"]
    lecture = make_lecture(held_on=today())
    lectures.sign_up(by=zhang.user, lecture=lecture, official=zhang)
    with pytest.raises(ValidationError) as refused:
        lectures.sign_up(by=zhang.user, lecture=lecture, official=zhang)
    assert refused.value.message_dict["official"] == ["张伟 is already signed up."]
    past = make_lecture("L2", held_on=today() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        lectures.sign_up(by=zhang.user, lecture=past, official=zhang)
    assert refused.value.messages == ["The lecture has taken place; sign-ups are closed."]


def test_a_sign_up_is_cancelled_until_check_in(make_lecture, staff_user, officials):
    zhang, wang = officials["zhang"], officials["wang"]
    lecture = make_lecture(held_on=today())
    signup = lectures.sign_up(by=zhang.user, lecture=lecture, official=zhang)
    with pytest.raises(PermissionDenied):
        lectures.cancel_signup(by=wang.user, signup=signup)
    lectures.cancel_signup(by=zhang.user, signup=signup)
    assert not lecture.signups.exists()
    signup = lectures.sign_up(by=zhang.user, lecture=lecture, official=zhang)
    lectures.check_in(by=staff_user, lecture=lecture, official=zhang)
    with pytest.raises(ValidationError):
        lectures.cancel_signup(by=staff_user, signup=signup)
    assert lecture.signups.count() == 1


# ---------------------------------------------------------------------------------------------------
# Check-in and its record


@pytest.mark.parametrize(
    ("level", "kind", "points"), [("city", "menu_city_lecture", 5), ("other", "menu_other_lecture", 4)]
)
def test_a_check_in_writes_one_approved_record_and_the_score_follows(
    make_lecture, staff_user, officials, django_capture_on_commit_callbacks, level, kind, points
):
    zhang = officials["zhang"]
    lecture = make_lecture(level=level)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signup = lectures.check_in(by=staff_user, lecture=lecture, official=zhang)
    assert len(callbacks) == 1  # one recompute asked for
    (record,) = records_of(zhang)
    assert (record.kind, record.quantity, record.occurred_on, record.status, record.source) == (
        kind, 1, date(YEAR, 5, 20), "approved", "generated",
    )  # fmt: skip
    assert signup.record == record and signup.checked_in_at is not None
    assert score_of(zhang).total == points


def test_a_second_check_in_changes_nothing(make_lecture, staff_user, unit_admin_user, officials):
    zhang = officials["zhang"]
    lecture = make_lecture()
    first = lectures.check_in_outcome(by=staff_user, lecture=lecture, official=zhang)
    again = lectures.check_in_outcome(by=unit_admin_user, lecture=lecture, official=zhang)
    assert (first.already, again.already) == (False, True)
    assert again.signup.pk == first.signup.pk and again.signup.checked_in_at == first.signup.checked_in_at
    assert ActivityRecord.objects.filter(official=zhang).count() == 1


def test_checking_in_someone_not_signed_up_signs_them_up_within_capacity(make_lecture, staff_user, officials):
    lecture = make_lecture(capacity=1)
    lectures.check_in(by=staff_user, lecture=lecture, official=officials["zhang"])
    assert lecture.signups.get().official == officials["zhang"]
    with pytest.raises(ValidationError) as refused:
        lectures.check_in(by=staff_user, lecture=lecture, official=officials["li"])
    assert refused.value.message_dict == {"official": ["The lecture is full (1 places)."]}
    assert not ActivityRecord.objects.filter(official=officials["li"]).exists()


def test_the_unit_administrator_checks_in_their_own_unit_any_day(make_lecture, unit_admin_user, officials):
    lecture = make_lecture(held_on=date(YEAR, 3, 3))  # long past: a list ticked afterwards
    lectures.check_in(by=unit_admin_user, lecture=lecture, official=officials["li"])
    with pytest.raises(PermissionDenied):
        lectures.check_in(by=unit_admin_user, lecture=lecture, official=officials["wang"])
    assert not LectureSignup.objects.filter(official=officials["wang"]).exists()


def test_an_official_checks_in_only_themself(make_lecture, officials):
    lecture = make_lecture(held_on=today())
    with pytest.raises(PermissionDenied):
        lectures.check_in(by=officials["zhang"].user, lecture=lecture, official=officials["li"],
                          checkin_code=lecture.checkin_code)  # fmt: skip


def test_an_official_checks_in_with_the_code_on_the_day(make_lecture, officials):
    zhang = officials["zhang"]
    lecture = make_lecture(held_on=today())
    with pytest.raises(ValidationError) as refused:
        lectures.check_in(by=zhang.user, lecture=lecture, official=zhang)
    assert refused.value.message_dict == {"checkin_code": ["Enter the check-in code shown at the lecture."]}
    wrong = "000000" if lecture.checkin_code != "000000" else "111111"
    with pytest.raises(ValidationError) as refused:
        lectures.check_in(by=zhang.user, lecture=lecture, official=zhang, checkin_code=wrong)
    assert refused.value.message_dict == {"checkin_code": ["The check-in code is not right."]}
    signup = lectures.check_in(by=zhang.user, lecture=lecture, official=zhang, checkin_code=f" {lecture.checkin_code}")
    assert signup.record.kind == "menu_city_lecture" and signup.checked_in_by == zhang.user


@pytest.mark.parametrize(
    ("utc", "accepted"),
    [
        # The lecture is on 15 June; Asia/Shanghai is UTC+8 (no summer time).
        (datetime(YEAR, 6, 14, 15, 59, 59, tzinfo=UTC), False),  # 14 June 23:59:59 in Shanghai
        (datetime(YEAR, 6, 14, 16, 0, 0, tzinfo=UTC), True),  # 15 June 00:00 in Shanghai (still 14 June in UTC)
        (datetime(YEAR, 6, 15, 15, 59, 59, tzinfo=UTC), True),  # 15 June 23:59:59
        (datetime(YEAR, 6, 15, 16, 0, 0, tzinfo=UTC), False),  # 16 June 00:00
    ],
)
def test_the_code_works_on_the_lecture_s_day_in_asia_shanghai(make_lecture, officials, monkeypatch, utc, accepted):
    zhang = officials["zhang"]
    lecture = make_lecture(held_on=date(YEAR, 6, 15))
    monkeypatch.setattr(timezone, "now", lambda: utc)
    if accepted:
        assert lectures.check_in(by=zhang.user, lecture=lecture, official=zhang, checkin_code=lecture.checkin_code)
    else:
        with pytest.raises(ValidationError) as refused:
            lectures.check_in(by=zhang.user, lecture=lecture, official=zhang, checkin_code=lecture.checkin_code)
        assert "only on the day of the lecture (2025-06-15)" in refused.value.message_dict["checkin_code"][0]


def test_no_check_in_before_the_lecture(make_lecture, staff_user, officials):
    lecture = make_lecture(held_on=today() + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        lectures.check_in(by=staff_user, lecture=lecture, official=officials["zhang"])
    assert "has not taken place yet" in refused.value.messages[0]


def test_a_check_in_into_a_published_year_is_refused(make_lecture, staff_user, officials):
    lecture = make_lecture()
    PublishedYear.objects.create(year=YEAR)
    with pytest.raises(YearLocked):
        lectures.check_in(by=staff_user, lecture=lecture, official=officials["zhang"])
    assert not LectureSignup.objects.exists() and not ActivityRecord.objects.exists()


def test_four_city_lectures_meet_the_menu_line_s_count(make_lecture, staff_user, officials):
    zhang = officials["zhang"]
    for number in range(4):
        lectures.check_in(by=staff_user, lecture=make_lecture(f"L{number}", held_on=date(YEAR, 3, 1 + number)),
                          official=zhang)  # fmt: skip
    assert [r.kind for r in records_of(zhang)] == ["menu_city_lecture"] * 4
    assert score_of(zhang).total == Decimal(20)


@pytest.mark.django_db(transaction=True)
def test_two_people_never_take_the_last_place_at_once(staff_user, officials):
    """PostgreSQL: the lecture's row is locked while a place is taken (on SQLite writes are serialised anyway)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and concurrent connections")
    import threading

    lecture = lectures.create_lecture(by=staff_user, code="RACE", title="讲座", held_on=today(), level="city",
                                      capacity=1)  # fmt: skip
    start, outcomes = threading.Barrier(2), []

    def take(official):
        from django.db import connections

        try:
            start.wait()
            lectures.sign_up(by=staff_user, lecture=lecture, official=official)
            outcomes.append("taken")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(officials[name],)) for name in ("zhang", "wang")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "taken"] and LectureSignup.objects.filter(lecture=lecture).count() == 1
