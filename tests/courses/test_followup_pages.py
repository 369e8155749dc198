"""The follow-up pages (追踪问效): a closed class's follow-up page (forum, key class and years, a sample drawn with its
seed shown, each review), the due and overdue list, the class page's evaluation section, the trainee's
self-evaluation and study summary, and the unit administrator's feedback page — who may open each, plain-words
errors (never a 500) and a fixed number of queries on the feedback page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import FollowUpForum, FollowUpReview, FollowUpSample, SelfEvaluation, StudySummary, Survey
from courses.services.evaluations import submit_self_evaluation
from courses.services.surveys import answer_survey
from tests.courses.conftest import ended
from tests.courses.surveys_support import closed_class, full_answers, officials_with_logins
from tests.courses.test_pages_support import past_class, signed_in
from tests.evidence_files import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainees(units, roles):
    return officials_with_logins(units, 6, prefix="T")


@pytest.fixture
def done(staff_user, units, trainees, officials):
    """A closed class of the six finance trainees and zhang (who has a login too)."""
    return closed_class(staff_user, units["finance"], [*trainees, officials["zhang"]])


def test_the_follow_up_pages_are_the_training_sections(done, staff_user, unit_admin_user, officials):
    for url in (f"/training/classes/{done.code}/follow-up/", "/training/follow-up/", "/training/follow-up/?state=due"):
        assert signed_in(staff_user).get(url).status_code == 200
        assert signed_in(unit_admin_user).get(url).status_code == 403
        assert signed_in(officials["zhang"].user).get(url).status_code == 403
        assert signed_in(None).get(url).status_code == 302
    for action in ("forums/", "settings/", "samples/"):
        url = f"/training/classes/{done.code}/follow-up/{action}"
        assert signed_in(unit_admin_user).post(url, {}).status_code == 403
        assert signed_in(officials["zhang"].user).post(url, {}).status_code == 403
        assert signed_in(None).post(url, {}).status_code == 302
    assert not FollowUpForum.objects.exists() and not FollowUpSample.objects.exists()


def test_a_class_not_closed_has_no_follow_up_page(staff_user, units):
    running = past_class(staff_user, units["finance"], code="still-open")
    assert signed_in(staff_user).get(f"/training/classes/{running.code}/follow-up/").status_code == 404
    assert signed_in(staff_user).get("/training/classes/nope/follow-up/").status_code == 404


def test_the_organiser_records_a_forum_sets_a_key_class_draws_a_sample_and_records_a_review(done, staff_user, units):
    staff = signed_in(staff_user)
    base = f"/training/classes/{done.code}/follow-up/"
    page = staff.get(base).content.decode()
    assert 'data-testid="schedule"' in page and "Not drawn yet" in page
    # A forum: a day in the future and too many attendees are refused in plain words; nothing is written.
    tomorrow = timezone.localdate() + timedelta(days=1)
    bad = staff.post(base + "forums/", {"forum-held_on": tomorrow, "forum-attendees": "99", "forum-summary": "座谈"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode() and not FollowUpForum.objects.exists()
    bad = staff.post(base + "forums/", {"forum-held_on": "yesterday", "forum-attendees": "x", "forum-summary": ""})
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()
    response = staff.post(
        base + "forums/", {"forum-held_on": timezone.localdate(), "forum-attendees": "5", "forum-summary": "学以致用"}
    )
    assert response.status_code == 302 and response["Location"] == base + "#forums"
    assert "学以致用" in staff.get(base).content.decode()
    # Years: more than one only for a key class.
    bad = staff.post(base + "settings/", {"settings-years": "3"})
    assert bad.status_code == 200 and type(done).objects.get(pk=done.pk).follow_up_years != 3
    assert staff.post(base + "settings/", {"settings-key_class": "on", "settings-years": "3"}).status_code == 302
    done.refresh_from_db()
    assert done.key_class and done.follow_up_years == 3
    assert staff.get(base).content.decode().count('href="#sample-') == 3
    # A sample of year 1 with a chosen seed: size and seed on the page; the same round again is refused.
    bad = staff.post(base + "samples/", {"sample-round": "7", "sample-size": "", "sample-seed": ""})
    assert bad.status_code == 200 and "Choose a year of follow-up of this class." in bad.content.decode()
    bad = staff.post(base + "samples/", {"sample-round": "1", "sample-size": "99", "sample-seed": "1"})
    assert bad.status_code == 200 and not FollowUpSample.objects.exists()
    response = staff.post(base + "samples/", {"sample-round": "1", "sample-size": "3", "sample-seed": "20260"})
    assert response.status_code == 302 and response["Location"] == base + "#sample-1"
    page = staff.get(base).content.decode()
    assert "3 of 7 trainees drawn with seed 20260" in page and page.count('data-testid="review"') == 3
    again = staff.post(base + "samples/", {"sample-round": "1", "sample-size": "3", "sample-seed": "1"})
    assert again.status_code == 200 and FollowUpSample.objects.count() == 1
    # A review of one drawn trainee; a bad one keeps its form open with the words.
    review = FollowUpReview.objects.first()
    url = base + f"reviews/{review.pk}/"
    prefix = f"r{review.pk}-"
    bad = staff.post(url, {prefix + "done_on": "", prefix + "method": "phone", prefix + "outcome": "clear"})
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()
    good = {prefix + "done_on": timezone.localdate(), prefix + "method": "talk", prefix + "outcome": "some",
            prefix + "finding": "能结合岗位运用所学"}  # fmt: skip
    assert staff.post(url, good).status_code == 302
    review.refresh_from_db()
    assert review.outcome == "some" and review.finding == "能结合岗位运用所学"
    # A review of another class is not found through this class.
    other = closed_class(staff_user, done.organiser, officials_with_logins(units, 1, prefix="O"), code="other-done")
    assert staff.post(f"/training/classes/{other.code}/follow-up/reviews/{review.pk}/", good).status_code == 404


def test_the_due_list_filters_by_state_and_refuses_a_state_that_is_not_one(done, staff_user):
    staff = signed_in(staff_user)
    # Closed days ago: the self-evaluations are due in a month, nothing is due or overdue yet.
    assert "Nothing is due or overdue." in staff.get("/training/follow-up/").content.decode()
    # Two months and a half later: the forum and the study summaries are due (within 14 days), nothing overdue.
    ended(done, timezone.localdate() - timedelta(days=80))
    Survey.objects.filter(training_class=done).update(closes_on=timezone.localdate() + timedelta(days=3))
    page = staff.get("/training/follow-up/?state=due").content.decode()
    table = page.split('data-testid="follow-up-items"')[1]
    assert "Forum" in table and "Study summary" in table and "Self-evaluation" in table
    assert "Nothing is due or overdue." in staff.get("/training/follow-up/?state=overdue").content.decode()
    # A month later they are overdue.
    ended(done, timezone.localdate() - timedelta(days=110))
    Survey.objects.filter(training_class=done).update(
        opens_on=timezone.localdate() - timedelta(days=33), closes_on=timezone.localdate() - timedelta(days=3)
    )
    overdue = staff.get("/training/follow-up/?state=overdue").content.decode().split('data-testid="follow-up-items"')[1]
    assert "Forum" in overdue and "Study summary" in overdue and "Overdue" in overdue
    bad = staff.get("/training/follow-up/?state=late")
    assert bad.status_code == 400 and "Choose due or overdue." in bad.content.decode()


def test_the_class_page_shows_the_evaluation_per_teacher_only_from_5_answers(staff_user, units, roles):
    people = officials_with_logins(units, 6, prefix="E")
    training_class = closed_class(staff_user, units["finance"], people, code="eval-me", teachers=("王老师", "李老师"))
    staff = signed_in(staff_user)
    url = f"/training/classes/{training_class.code}/"
    survey = training_class.evaluation
    for official in people[:4]:
        answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
    page = staff.get(url).content.decode()
    assert 'id="evaluation"' in page and 'data-testid="evaluation-hidden"' in page
    assert f"/training/classes/{training_class.code}/follow-up/" in page
    answer_survey(by=people[4].user, survey=survey, answers=full_answers(survey))
    page = staff.get(url).content.decode()
    table = page.split('data-testid="per-teacher"')[1].split("</table>")[0]
    assert "王老师" in table and "李老师" in table and "4.00" in table
    for official in people:
        assert official.staff_no not in page.split('id="evaluation"')[1].split("</section>")[0]


def test_a_trainee_fills_in_the_self_evaluation_and_hands_in_a_summary(
    done, officials, staff_user, unit_admin_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    zhang = signed_in(officials["zhang"].user)
    mine = zhang.get("/training/me/").content.decode()
    assert (
        f"/training/classes/{done.code}/self-evaluation/" in mine and f"/training/classes/{done.code}/summary/" in mine
    )
    url = f"/training/classes/{done.code}/self-evaluation/"
    assert zhang.get(url).status_code == 200
    bad = zhang.post(url, {"knowledge": "", "before": "0", "after": "6"})
    assert bad.status_code == 400 and "Write what you learnt." in bad.content.decode()
    assert not SelfEvaluation.objects.exists()
    assert zhang.post(url, {"knowledge": "学到了预算管理", "before": "2", "after": "4"}).status_code == 302
    evaluation = SelfEvaluation.objects.get()
    assert (evaluation.before, evaluation.after) == (2, 4)
    assert "学到了预算管理" in zhang.get(url).content.decode()  # shown again to change it
    # The study summary: neither text nor file is refused; a PDF is kept; a file that is not one is refused.
    url = f"/training/classes/{done.code}/summary/"
    bad = zhang.post(url, {"title": "学习总结", "text": ""})
    assert bad.status_code == 400 and "Write the summary or upload it as a file." in bad.content.decode()
    fake = SimpleUploadedFile("s.pdf", b"MZ not a pdf", content_type="application/pdf")
    bad = zhang.post(url, {"title": "学习总结", "file": fake})
    assert bad.status_code == 400 and not StudySummary.objects.exists()
    upload = SimpleUploadedFile("summary.pdf", pdf(), content_type="application/pdf")
    assert zhang.post(url, {"title": "学习总结", "file": upload}).status_code == 302
    assert StudySummary.objects.get().file_type == "pdf"
    # Not theirs: another official (not a trainee) gets 404; other roles 403.
    assert signed_in(officials["wang"].user).get(url).status_code == 404
    assert signed_in(staff_user).get(url).status_code == 403
    assert signed_in(unit_admin_user).get(url).status_code == 403
    assert signed_in(None).get(url).status_code == 302


def test_the_unit_feedback_page_is_the_unit_administrators_with_a_fixed_number_of_queries(
    done, staff_user, unit_admin_user, officials, trainees, units
):
    admin = signed_in(unit_admin_user)
    submit_self_evaluation(by=officials["zhang"].user, training_class=done, knowledge="收获", before=2, after=4)
    with CaptureQueriesContext(connection) as few:
        page = admin.get("/training/feedback/")
    assert page.status_code == 200
    table = page.content.decode().split('data-testid="feedback"')[1]
    assert "张伟" in table and "Handed in" in table and trainees[0].name in table
    closed_class(staff_user, units["finance"], officials_with_logins(units, 8, prefix="U"), code="second-done")
    with CaptureQueriesContext(connection) as many:
        assert admin.get("/training/feedback/").status_code == 200
    assert len(many) == len(few)
    # Filtered by year; a year typed by hand that is not offered is a 400 in plain words.
    year = done.ends_on.year
    assert "张伟" in admin.get(f"/training/feedback/?year={year}").content.decode()
    bad = admin.get("/training/feedback/?year=1999")
    assert bad.status_code == 400 and "Choose a year of the list." in bad.content.decode()
    # Other roles: an official 403; staff choose a unit (?unit=), without one 403.
    assert signed_in(officials["zhang"].user).get("/training/feedback/").status_code == 403
    assert signed_in(staff_user).get("/training/feedback/").status_code == 403
    assert "张伟" in signed_in(staff_user).get("/training/feedback/?unit=B01").content.decode()
    assert signed_in(None).get("/training/feedback/").status_code == 302
    # Education's trainees are not finance's to see: wang is in no class; the page lists finance only.
    assert "王芳" not in admin.get("/training/feedback/").content.decode()


def test_a_trainee_answers_the_class_evaluation_one_card_per_session(staff_user, units, roles, officials):
    people = officials_with_logins(units, 2, prefix="V")
    training_class = closed_class(staff_user, units["finance"], people, code="eval-page", teachers=("王老师", "李老师"))
    survey = training_class.evaluation
    client = signed_in(people[0].user)
    assert f"/training/surveys/answer/{survey.code}/" in client.get("/training/me/").content.decode()
    page = client.get(f"/training/surveys/answer/{survey.code}/").content.decode()
    assert "王老师" in page and "李老师" in page  # the per-session questions ask about each session
    response = client.post(f"/training/surveys/answer/{survey.code}/", full_answers(survey))
    assert response.status_code == 302
    # Not a trainee of the class: not asked.
    assert signed_in(officials["zhang"].user).get(f"/training/surveys/answer/{survey.code}/").status_code == 403
