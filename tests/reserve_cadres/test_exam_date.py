"""A written exam has a date of its own (``Exam.held_on``, optional): the reserve's file never lists the defense
before that year's exam (RULES §6: only a reserve who passed that year's exam may take the defense)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from audit.models import ChangeLog
from reserve_cadres.models import Defense, Exam, Reserve
from reserve_cadres.selectors.reserves import reserve_file
from reserve_cadres.services import reserves as services
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db

VOTES = {"excellent": 10, "competent": 5, "basically_competent": 0, "incompetent": 0}
RESERVES = "/api/v1/reserves/"


def at(year: int, month: int, day: int) -> datetime:
    """Noon of a day in the portal's time zone (an entry time)."""
    return timezone.make_aware(datetime(year, month, day, 12))


def messages(error: ValidationError) -> str:
    return str(error.message_dict if hasattr(error, "error_dict") else error.messages)


@pytest.fixture(autouse=True)
def english():
    """The services' messages in English, so the assertions read plainly (zh-hans is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def zhang(staff_user, officials) -> Reserve:
    # decided the year before, so every day of YEAR is in the pool
    return services.add_reserve(by=staff_user, official=officials["zhang"], level="section_chief",
                                stream="economic", decided_on=date(YEAR - 1, 9, 1))  # fmt: skip


def whats(reserve: Reserve) -> list[str]:
    return [e.what for e in reserve_file(reserve) if e.what in ("exam", "defense")]


# ---------------------------------------------------------------------------------------------------
# The defect: an exam entered (again) after its dated defense was dated by its entry, after the defense


def test_an_exam_entered_after_its_dated_defense_is_listed_first(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                            held_on=date(YEAR, 5, 20))  # fmt: skip
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=82)  # a correction, entered later
    assert whats(zhang) == ["exam", "defense"]
    exam = next(e for e in reserve_file(zhang) if e.what == "exam")
    assert exam.on <= date(YEAR, 5, 20)


def test_an_undated_exam_shares_the_defense_day_at_the_latest_and_comes_first(staff_user, zhang):
    # Both undated: the exam entered later is put on the defense's day, listed before it.
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES)
    Exam.objects.filter(reserve=zhang).update(entered_at=at(YEAR, 12, 1))
    Defense.objects.filter(reserve=zhang).update(entered_at=at(YEAR, 11, 2))
    entries = [e for e in reserve_file(zhang) if e.what in ("exam", "defense")]
    assert [(e.what, e.on) for e in entries] == [("exam", date(YEAR, 11, 2)), ("defense", date(YEAR, 11, 2))]
    # An exam entered before the defense keeps its own entry day.
    Exam.objects.filter(reserve=zhang).update(entered_at=at(YEAR, 10, 1))
    assert [(e.what, e.on) for e in reserve_file(zhang) if e.what in ("exam", "defense")] == [
        ("exam", date(YEAR, 10, 1)),
        ("defense", date(YEAR, 11, 2)),
    ]


def test_a_dated_exam_is_shown_on_its_day_and_an_undated_defense_never_before_it(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 5, 10))
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES)
    Defense.objects.filter(reserve=zhang).update(entered_at=at(YEAR, 3, 1))  # entered before the exam's day
    entries = [e for e in reserve_file(zhang) if e.what in ("exam", "defense")]
    assert [(e.what, e.on) for e in entries] == [("exam", date(YEAR, 5, 10)), ("defense", date(YEAR, 5, 10))]
    assert entries[0].details["held_on"] == date(YEAR, 5, 10)


def test_on_one_day_the_exam_line_comes_before_the_defense_line(staff_user, zhang):
    services.link_training(by=staff_user, reserve=zhang, year=YEAR, title="经济管理班", days=5)
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 6, 1))
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                            held_on=date(YEAR, 6, 1))  # fmt: skip
    services.add_practice(by=staff_user, reserve=zhang, kind="rotation", place="某镇", starts_on=date(YEAR, 6, 1))
    same_day = [e.what for e in reserve_file(zhang) if e.on == date(YEAR, 6, 1)]
    assert same_day == ["exam", "defense", "practice"]


# ---------------------------------------------------------------------------------------------------
# The checks (services): in the exam's year, not in the future, the defense not before the exam


def test_the_exam_date_lies_in_its_year_first_and_last_day_included(staff_user, zhang):
    for day in (date(YEAR, 1, 1), date(YEAR, 12, 31)):
        exam = services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=day)
        assert Exam.objects.get(pk=exam.pk).held_on == day
    for day in (date(YEAR - 1, 12, 31), date(YEAR + 1, 1, 1)):
        with pytest.raises(ValidationError) as error:
            services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=70, held_on=day)
        assert error.value.message_dict == {"held_on": [f"The exam's date is not in {YEAR}."]}
    assert zhang.exams.get().score == Decimal("80.00") and zhang.exams.get().held_on == date(YEAR, 12, 31)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=f"{YEAR}-05-01")


def test_the_exam_date_is_not_in_the_future_today_is_fine(staff_user, zhang, monkeypatch):
    today = date(YEAR, 6, 15)
    monkeypatch.setattr(services, "_today", lambda: today)
    assert services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=today).held_on == today
    with pytest.raises(ValidationError) as error:
        services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=today + timedelta(days=1))
    assert error.value.message_dict == {"held_on": ["The date cannot be in the future."]}
    assert zhang.exams.get().held_on == today


def test_a_defense_before_the_exam_is_refused_the_same_day_is_fine(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 5, 10))
    with pytest.raises(ValidationError) as error:
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                                held_on=date(YEAR, 5, 9))  # fmt: skip
    assert error.value.message_dict == {
        "held_on": [f"The defense cannot be before that year's written exam (held on {YEAR}-05-10)."]
    }
    assert not zhang.defenses.exists()
    defense = services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                                      held_on=date(YEAR, 5, 10))  # fmt: skip
    assert defense.held_on == date(YEAR, 5, 10)
    # An undated defense has nothing to compare.
    assert services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES).passed


def test_an_exam_after_the_defense_is_refused_the_same_day_is_fine(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                            held_on=date(YEAR, 5, 20))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=85, held_on=date(YEAR, 5, 21))
    assert "held_on" in error.value.message_dict
    assert f"held on {YEAR}-05-20" in messages(error.value)
    assert zhang.exams.get().score == Decimal("80.00") and zhang.exams.get().held_on is None
    exam = services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=85, held_on=date(YEAR, 5, 20))
    assert (exam.score, exam.held_on) == (Decimal("85"), date(YEAR, 5, 20))
    # Another year's defense does not bind this year's exam.
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR - 1, score=85, held_on=date(YEAR - 1, 12, 31))


def test_entering_the_exam_again_replaces_its_date_and_is_audited(staff_user, zhang):
    first = services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 4, 1))
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 4, 2))
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)  # an empty date replaces it too
    assert zhang.exams.get().held_on is None
    logs = ChangeLog.objects.filter(model="reserve_cadres.exam", object_id=str(first.pk)).order_by("pk")
    assert logs[0].new["held_on"] == f"{YEAR}-04-01"
    assert [(log.old, log.new) for log in logs[1:]] == [
        ({"held_on": f"{YEAR}-04-01"}, {"held_on": f"{YEAR}-04-02"}),
        ({"held_on": f"{YEAR}-04-02"}, {"held_on": None}),
    ]


def test_the_date_messages_are_translated(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 5, 10))
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR + 1, 1, 1))
        assert "笔试日期" in messages(error.value)
        with pytest.raises(ValidationError) as error:
            services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                                    held_on=date(YEAR, 5, 9))  # fmt: skip
        assert "笔试" in messages(error.value) and f"{YEAR}-05-10" in messages(error.value)
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                                held_on=date(YEAR, 5, 10))  # fmt: skip
        with pytest.raises(ValidationError) as error:
            services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 5, 11))
        assert "答辩" in messages(error.value)


# ---------------------------------------------------------------------------------------------------
# The API: {year, score} as before; held_on optional in and out


def exam_api(api, rid, **body):
    return api.post(f"{RESERVES}{rid}/exams/", {"year": YEAR, "score": "75.00", **body}, format="json")


def test_the_api_without_a_date_works_as_before(staff_user, zhang):
    api = client_for(staff_user)
    response = exam_api(api, zhang.pk)
    assert response.status_code == 201, response.content
    assert response.json() == {"year": YEAR, "score": "75.00", "passed": True}  # no held_on: the answer as before
    assert exam_api(api, zhang.pk, score=80).status_code == 200  # replacing that year's


def test_the_api_with_a_date(staff_user, zhang):
    api = client_for(staff_user)
    response = exam_api(api, zhang.pk, held_on=f"{YEAR}-01-01")
    assert response.status_code == 201, response.content
    assert response.json()["held_on"] == f"{YEAR}-01-01"
    assert "held_on" not in exam_api(api, zhang.pk, held_on=None).json()
    assert exam_api(api, zhang.pk, held_on=f"{YEAR}-12-31").json()["held_on"] == f"{YEAR}-12-31"
    detail = api.get(f"{RESERVES}{zhang.pk}/").json()
    assert detail["exams"] == [{"year": YEAR, "held_on": f"{YEAR}-12-31", "score": "75.00", "passed": True}]


def test_the_api_refuses_bad_dates_in_plain_words(staff_user, zhang):
    api = client_for(staff_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for held_on, words in [
        (f"{YEAR + 1}-01-01", f"The exam's date is not in {YEAR}."),
        (f"{YEAR - 1}-12-31", f"The exam's date is not in {YEAR}."),
        ("2025-02-30", "Date has wrong format"),
        ("soon", "Date has wrong format"),
    ]:
        response = exam_api(api, zhang.pk, held_on=held_on)
        assert response.status_code == 400 and words in str(response.json()), (held_on, response.content)
    response = exam_api(api, zhang.pk, year=tomorrow.year, held_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert "future" in str(response.json()) or "not begun" in str(response.json())  # 31 December: next year
    assert not zhang.exams.exists()


def test_the_api_refuses_a_defense_before_the_exam_both_ways(staff_user, zhang):
    api = client_for(staff_user)
    assert exam_api(api, zhang.pk, held_on=f"{YEAR}-05-10").status_code == 201
    body = {"year": YEAR, "panel": [80] * 5, "votes": VOTES}
    response = api.post(f"{RESERVES}{zhang.pk}/defenses/", {**body, "held_on": f"{YEAR}-05-09"}, format="json")
    assert response.status_code == 400 and "before that year's written exam" in str(response.json()["held_on"])
    response = api.post(f"{RESERVES}{zhang.pk}/defenses/", {**body, "held_on": f"{YEAR}-05-10"}, format="json")
    assert response.status_code == 201, response.content
    response = exam_api(api, zhang.pk, held_on=f"{YEAR}-05-11")
    assert response.status_code == 400 and "after that year's defense" in str(response.json()["held_on"])
    assert zhang.exams.get().held_on == date(YEAR, 5, 10)


def test_only_the_training_section_dates_an_exam(unit_admin_user, officials, zhang):
    for user in (unit_admin_user, officials["zhang"].user):
        assert exam_api(client_for(user), zhang.pk, held_on=f"{YEAR}-05-10").status_code == 403
    assert not zhang.exams.exists()


# ---------------------------------------------------------------------------------------------------
# The page form on the reserve's file


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_file_page_form_takes_an_optional_date(staff_user, zhang):
    client = page(staff_user)
    html = client.get(f"/reserves/{zhang.pk}/").content.decode()
    assert 'type="date" name="held_on"' in html and 'id="exam-held_on"' in html
    response = client.post(f"/reserves/{zhang.pk}/exam/", {"year": YEAR, "score": "80", "held_on": f"{YEAR}-05-10"})
    assert response.status_code == 302
    assert zhang.exams.get().held_on == date(YEAR, 5, 10)
    html = client.get(f"/reserves/{zhang.pk}/").content.decode()
    assert f"{YEAR}-05-10</span>" in html  # the exam's line is dated by its day
    # Without a date, as before.
    assert client.post(f"/reserves/{zhang.pk}/exam/", {"year": YEAR, "score": "81"}).status_code == 302
    assert zhang.exams.get().held_on is None and zhang.exams.get().score == Decimal("81.00")


def test_the_file_page_form_errors_are_in_plain_words(staff_user, unit_admin_user, zhang):
    client = page(staff_user)
    url = f"/reserves/{zhang.pk}/exam/"
    response = client.post(url, {"year": YEAR, "score": "80", "held_on": f"{YEAR + 1}-01-01"})
    assert response.status_code == 200 and f"The exam&#x27;s date is not in {YEAR}." in response.content.decode()
    html = client.post(url, {"year": YEAR, "score": "80", "held_on": "2025-02-30"}).content.decode()
    assert "Enter a valid date." in html
    assert not zhang.exams.exists()
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                            held_on=date(YEAR, 5, 20))  # fmt: skip
    html = client.post(url, {"year": YEAR, "score": "80", "held_on": f"{YEAR}-05-21"}).content.decode()
    assert "after that year&#x27;s defense (held on" in html
    assert zhang.exams.get().held_on is None
    assert page(unit_admin_user).post(url, {"year": YEAR, "score": "80"}).status_code == 403


def test_the_defense_page_names_the_exam_day(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80, held_on=date(YEAR, 5, 10))
    html = page(staff_user).get(f"/reserves/{zhang.pk}/defense/?year={YEAR}").content.decode()
    assert f"It was held on {YEAR}-05-10: the defense is not before that day." in html
