"""The training section's class pages (/training/classes/): who may open them, the class's whole course through the
pages (create, file, approve, seats, naming, results, close), errors in plain words, and bounded queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import ClassRecord, ClassStatus, Enrolment, TrainingClass
from courses.services import classes as class_services
from credits.models import ActivityRecord, Status, Veto
from organisation.models import Official
from tests.courses.test_pages_support import approved_quota_class, future_class, past_class, signed_in

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/training/classes/", "/training/classes/new/", "/training/catalogue/", "/training/faculty/",
               "/training/plans/", "/training/lectures/new/"]  # fmt: skip


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_the_training_sections_pages_refuse_other_roles(url, staff_user, unit_admin_user, officials):
    assert signed_in(staff_user).get(url).status_code == 200
    assert signed_in(unit_admin_user).get(url).status_code == 403
    assert signed_in(officials["zhang"].user).get(url).status_code == 403
    assert signed_in(None).get(url).status_code == 302  # to the sign-in page


def test_the_class_page_is_for_the_training_section_and_an_unknown_class_is_404(
    staff_user, unit_admin_user, officials, units
):
    training_class = past_class(staff_user, units["finance"])
    url = f"/training/classes/{training_class.code}/"
    assert signed_in(staff_user).get(url).status_code == 200
    assert signed_in(unit_admin_user).get(url).status_code == 403
    assert signed_in(officials["zhang"].user).get(url).status_code == 403
    assert signed_in(staff_user).get("/training/classes/no-such-class/").status_code == 404
    # Actions too: a unit administrator cannot approve or close by typing the address.
    assert signed_in(unit_admin_user).post(url + "close/").status_code == 403
    assert signed_in(staff_user).post("/training/classes/no-such-class/close/").status_code == 404


def test_the_calendar_shows_the_months_classes_and_the_list_filters(staff_user, units):
    today = timezone.localdate()
    running = class_services.create_class(
        by=staff_user, code="dec-class", title="十二月专题班", organiser=units["finance"], class_type="thematic",
        starts_on=today + timedelta(days=40), ends_on=today + timedelta(days=42), days=Decimal(3), capacity=20,
        dispatch="by_name",
    )  # fmt: skip
    past_class(staff_user, units["education"], code="old-one")
    client = signed_in(staff_user)
    month = f"{running.starts_on:%Y-%m}"
    page = client.get(f"/training/classes/?month={month}").content.decode()
    calendar = page.split('data-testid="calendar"')[1].split("</table>")[0]
    assert "十二月专题班" in calendar and "old-one" not in calendar
    listed = client.get("/training/classes/?status=approved&q=old").content.decode()
    table = listed.split('data-testid="class-table"')[1]
    assert "班 old-one" in table and "十二月专题班" not in table
    # A month that is not one shows this month, not an error.
    assert client.get("/training/classes/?month=2026-13").status_code == 200


def test_a_class_from_creation_to_close_through_the_pages(staff_user, unit_admin_user, officials, units):
    staff = signed_in(staff_user)
    today = timezone.localdate()
    # Create: 40 planned trainees → a draft.
    form = {
        "code": "qn-2026", "title": "青年干部培训班", "organiser": "B01", "class_type": "growth",
        "starts_on": today + timedelta(days=45), "ends_on": today + timedelta(days=49), "days": "5",
        "capacity": "40", "dispatch": "quota", "filing_note": "学员：各单位青年干部",
    }  # fmt: skip
    response = staff.post("/training/classes/new/", form)
    assert response.status_code == 302 and response["Location"] == "/training/classes/qn-2026/"
    training_class = TrainingClass.objects.get(code="qn-2026")
    assert training_class.status == ClassStatus.DRAFT
    page = staff.get("/training/classes/qn-2026/").content.decode()
    assert "File the class" in page and "Approve" not in page

    staff.post("/training/classes/qn-2026/file/")
    page = staff.get("/training/classes/qn-2026/").content.decode()
    assert "Filed on" in page and "Approve" in page
    # Returned with a reason, then filed and approved.
    assert "Give the reason" in staff.post("/training/classes/qn-2026/return/", {"reason": ""}).content.decode()
    staff.post("/training/classes/qn-2026/return/", {"reason": "日程不全"})
    assert TrainingClass.objects.get(code="qn-2026").status == ClassStatus.DRAFT
    staff.post("/training/classes/qn-2026/file/")
    staff.post("/training/classes/qn-2026/approve/")
    assert TrainingClass.objects.get(code="qn-2026").status == ClassStatus.APPROVED

    # Seats for finance; the page shows them with what is left.
    staff.post("/training/classes/qn-2026/quotas/", {"unit": "B01", "seats": "1"})
    quotas = staff.get("/training/classes/qn-2026/").content.decode().split('data-testid="quotas"')[1]
    assert "市财政局" in quotas
    # The unit administrator names one of their officials; a second one is beyond the seats (plain words).
    admin = signed_in(unit_admin_user)
    assert "1 left" in admin.get("/training/seats/").content.decode()
    response = admin.post("/training/seats/qn-2026/", {"official": "F001"})
    assert response.status_code == 302
    response = admin.post("/training/seats/qn-2026/", {"official": "F002"})
    assert response.status_code == 200 and "seat" in response.content.decode()
    assert Enrolment.objects.filter(training_class__code="qn-2026", active=True).count() == 1
    # Another unit's official cannot be named by the finance administrator.
    response = signed_in(unit_admin_user).post("/training/seats/qn-2026/", {"official": "E001"})
    assert "No official with staff number “E001”" in response.content.decode()


def test_results_for_the_whole_roster_then_close_writes_records_and_a_veto(staff_user, officials, units):
    training_class = past_class(staff_user, units["finance"], days=3)
    for name in ("zhang", "li"):
        class_services.enrol_trainee(by=staff_user, training_class=training_class, official=officials[name])
    zhang, li = (Enrolment.objects.get(training_class=training_class, official=officials[n]) for n in ("zhang", "li"))
    staff = signed_in(staff_user)
    url = f"/training/classes/{training_class.code}/"
    # Closing before every trainee has a result is refused in plain words.
    page = staff.post(url + "close/", follow=True).content.decode()
    assert "result" in page.lower() and training_class.records.count() == 0
    # One form for the roster: an error on one row keeps that row's typed values and records the other.
    response = staff.post(url + "results/", {
        f"r{zhang.pk}-days_attended": "3", f"r{zhang.pk}-passed": "yes", f"r{zhang.pk}-speeches": "1",
        f"r{li.pk}-days_attended": "9", f"r{li.pk}-passed": "no",
    })  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some results were not recorded" in page and 'value="9"' in page
    zhang.refresh_from_db()
    li.refresh_from_db()
    assert zhang.days_attended == Decimal(3) and zhang.passed is True and li.passed is None
    staff.post(url + "results/", {f"r{li.pk}-days_attended": "0", f"r{li.pk}-passed": "no",
                                  f"r{li.pk}-absent_without_reason": "on"})  # fmt: skip
    page = staff.post(url + "close/", follow=True).content.decode()
    assert "The class is closed" in page and "2 created" in page
    kinds = set(ActivityRecord.objects.filter(class_link__training_class=training_class).values_list("kind", flat=True))
    assert kinds == {"class_day", "class_speech"}
    assert ActivityRecord.objects.get(official=officials["zhang"], kind="class_day").status == Status.APPROVED
    assert Veto.objects.filter(official=officials["li"], reason="absent_from_dispatch").exists()
    # A correction, closed again: updated, never a duplicate.
    staff.post(url + "results/", {f"r{zhang.pk}-days_attended": "2", f"r{zhang.pk}-passed": "yes",
                                  f"r{zhang.pk}-speeches": "1"})  # fmt: skip
    page = staff.post(url + "close/", follow=True).content.decode()
    assert "1 updated" in page
    assert ClassRecord.objects.filter(training_class=training_class, official=officials["zhang"]).count() == 2
    assert ActivityRecord.objects.get(official=officials["zhang"], kind="class_day").quantity == Decimal(2)


def test_create_form_errors_are_plain_words_not_a_500(staff_user, units):
    staff = signed_in(staff_user)
    today = timezone.localdate()
    response = staff.post("/training/classes/new/", {
        "code": "bad code!", "title": "", "organiser": "NOPE", "class_type": "x", "starts_on": "2026-02-30",
        "ends_on": "", "days": "-1", "capacity": "abc", "dispatch": "by_name",
    })  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a unit." in page and "Enter a valid date." in page
    # Filing fewer than 30 days before the start: the service's words on the class page.
    soon = class_services.create_class(
        by=staff_user, code="soon", title="临近开班", organiser=units["finance"], class_type="thematic",
        starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=12), days=Decimal(3), capacity=50,
        dispatch="by_name",
    )  # fmt: skip
    page = staff.post(f"/training/classes/{soon.code}/file/", follow=True).content.decode()
    assert "30 days" in page
    soon.refresh_from_db()
    assert soon.status == ClassStatus.DRAFT


def test_a_trainee_by_name_and_a_substitution_needs_a_reason(staff_user, officials, units):
    training_class = future_class(staff_user, units["finance"], code="bn", capacity=10, dispatch="by_name")
    staff = signed_in(staff_user)
    url = f"/training/classes/{training_class.code}/"
    assert staff.post(url + "trainees/", {"official": "F001"}).status_code == 302
    assert "No official with staff number “X9”" in staff.post(url + "trainees/", {"official": "X9"}).content.decode()
    enrolment = Enrolment.objects.get(training_class=training_class, official=officials["zhang"])
    page = staff.post(url + "trainees/substitute/", {"enrolment": enrolment.pk, "official": "F002", "reason": ""})
    assert "A substitution needs a recorded reason." in page.content.decode()
    staff.post(url + "trainees/substitute/", {"enrolment": enrolment.pk, "official": "F002", "reason": "因公出差"})
    page = staff.get(url).content.decode()
    assert "Replaced by 李娜: 因公出差" in page


def test_sessions_are_added_and_removed(staff_user, officials, units):
    training_class = future_class(staff_user, units["finance"], code="ss", capacity=10, dispatch="by_name")
    staff = signed_in(staff_user)
    url = f"/training/classes/{training_class.code}/"
    held_on = training_class.starts_on.isoformat()
    page = staff.post(url + "sessions/", {"held_on": held_on}).content.decode()
    assert "Give the course or the topic of the session." in page
    staff.post(url + "sessions/", {"held_on": held_on, "topic": "党史专题", "teacher": "E001"})
    session = training_class.sessions.get()
    assert session.teacher == officials["wang"]
    assert "党史专题" in staff.get(url).content.decode()
    staff.post(url + f"sessions/{session.pk}/remove/")
    assert not training_class.sessions.exists()


def test_the_class_page_with_500_trainees_runs_a_bounded_number_of_queries(
    staff_user, units, django_assert_max_num_queries
):
    training_class = approved_quota_class(staff_user, units["finance"], code="big", seats={units["finance"]: 30})
    TrainingClass.objects.filter(pk=training_class.pk).update(capacity=600)
    officials = Official.objects.bulk_create(
        Official(staff_no=f"Q{i:04d}", name=f"学员{i}", unit=units["education"], rank="section_chief")
        for i in range(500)
    )
    Enrolment.objects.bulk_create(Enrolment(training_class=training_class, official=o, unit=o.unit) for o in officials)
    client = signed_in(staff_user)
    with django_assert_max_num_queries(25):
        response = client.get("/training/classes/big/")
    assert response.status_code == 200 and response.content.decode().count('data-official="Q') == 500
