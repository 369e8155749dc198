"""The follow-up of closed classes through the services and selectors (RULES §5 追踪问效): the self-evaluation and
the study summary by the trainee, the forum, the sample (size and seed recorded, the draw repeatable) and the reviews
by the training section, the items due and overdue, and what a unit is told."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import followup_rules
from courses.models import FollowUpReview, TrainingClass
from courses.selectors import followup as selectors
from courses.services import evaluations, followup
from tests.clock import today
from tests.courses.fixtures_surveys import *  # noqa: F403 (its fixtures)

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("summary.png", buffer.getvalue(), content_type="image/png")


def move(training_class: TrainingClass, days_ago: int) -> TrainingClass:
    """The closed class as if it had ended ``days_ago`` days ago."""
    length = training_class.ends_on - training_class.starts_on
    ends_on = today() - timedelta(days=days_ago)
    TrainingClass.objects.filter(pk=training_class.pk).update(ends_on=ends_on, starts_on=ends_on - length)
    training_class.refresh_from_db()
    return training_class


def test_a_trainee_evaluates_themself_once_replaced_on_a_second_send(people, close_with, officials):
    trainee, other = people(2)
    training_class = close_with([trainee, other])
    row = evaluations.submit_self_evaluation(by=trainee.user, training_class=training_class, knowledge="预算绩效管理",
                                             before=2, after=4)  # fmt: skip
    again = evaluations.submit_self_evaluation(by=trainee.user, training_class=training_class, knowledge="绩效评价",
                                               ideas="推行项目库", before=3, after=5)  # fmt: skip
    assert again.pk == row.pk and (again.knowledge, again.after) == ("绩效评价", 5)
    with pytest.raises(ValidationError) as error:
        evaluations.submit_self_evaluation(by=other.user, training_class=training_class, knowledge=" ", before=0,
                                           after=6)  # fmt: skip
    assert set(error.value.message_dict) == {"knowledge", "before", "after"}
    with pytest.raises(PermissionDenied):
        evaluations.submit_self_evaluation(by=officials["zhang"].user, training_class=training_class, knowledge="x",
                                           before=1, after=1)  # fmt: skip


def test_nothing_is_sent_before_the_class_closes(people, new_class, staff_user):
    from courses.services.classes import enrol_trainee

    (trainee,) = people(1)
    training_class = new_class()
    enrol_trainee(by=staff_user, training_class=training_class, official=trainee)
    with pytest.raises(ValidationError, match="once the class is closed"):
        evaluations.submit_self_evaluation(by=trainee.user, training_class=training_class, knowledge="x", before=1,
                                           after=2)  # fmt: skip
    with pytest.raises(ValidationError, match="once the class is closed"):
        followup.submit_study_summary(by=trainee.user, training_class=training_class, title="x", text="y")
    with pytest.raises(ValidationError, match="once it is closed"):
        followup.record_forum(by=staff_user, training_class=training_class, held_on=today(), attendees=1, summary="x")


def test_a_study_summary_is_text_or_a_checked_file(people, close_with, staff_user):
    trainee, other = people(2)
    training_class = close_with([trainee, other])
    row = followup.submit_study_summary(by=trainee.user, training_class=training_class, title="学习总结", file=png())
    assert row.file_type == "png" and row.file.name.endswith(".png") and "summary" not in row.file.name
    row = followup.submit_study_summary(by=trainee.user, training_class=training_class, title="学习总结（改）")
    assert row.file and row.title == "学习总结（改）"  # the file stays when only the words change
    with pytest.raises(ValidationError) as error:
        followup.submit_study_summary(by=other.user, training_class=training_class, title="")
    assert set(error.value.message_dict) == {"title", "text"}
    fake = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        followup.submit_study_summary(by=other.user, training_class=training_class, title="总结", file=fake)
    assert "file" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        followup.submit_study_summary(by=staff_user, training_class=training_class, title="总结", text="x")


def test_staff_record_a_forum_after_the_class_and_not_in_the_future(staff_user, people, close_with, unit_admin_user):
    trainees = people(3)
    training_class = close_with(trainees)
    forum = followup.record_forum(by=staff_user, training_class=training_class, held_on=today(), attendees=3,
                                  summary="交流学习体会")  # fmt: skip
    assert forum.recorded_by == staff_user
    cases = [
        ({"held_on": training_class.ends_on}, "held_on"),
        ({"held_on": today() + timedelta(days=1)}, "held_on"),
        ({"attendees": 4}, "attendees"),
        ({"attendees": 0}, "attendees"),
        ({"summary": "  "}, "summary"),
    ]
    for change, field in cases:
        values = {"held_on": today(), "attendees": 2, "summary": "x", **change}
        with pytest.raises(ValidationError) as error:
            followup.record_forum(by=staff_user, training_class=training_class, **values)
        assert set(error.value.message_dict) == {field}
    for user in (trainees[0].user, unit_admin_user):
        with pytest.raises(PermissionDenied):
            followup.record_forum(by=user, training_class=training_class, held_on=today(), attendees=1, summary="x")


def test_a_sample_is_drawn_once_per_round_and_can_be_drawn_again(staff_user, people, close_with):
    trainees = people(12)
    training_class = close_with(trainees)
    sample = followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=1, seed=20260101)
    assert (sample.population, sample.size, sample.seed) == (12, 5, 20260101)  # a fifth, at least 5
    assert sample.due_on == followup_rules.add_months(training_class.ends_on, 12)
    drawn = sorted(FollowUpReview.objects.filter(sample=sample).values_list("enrolment_id", flat=True))
    everyone = list(training_class.enrolments.values_list("pk", flat=True))
    assert drawn == followup_rules.draw_sample(list(reversed(everyone)), size=5, seed=20260101)
    with pytest.raises(ValidationError, match="drawn already"):
        followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=1)
    with pytest.raises(ValidationError, match="year 1 to 1"):
        followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=2)
    followup.set_follow_up(by=staff_user, training_class=training_class, key_class=True, years=3)
    training_class.refresh_from_db()
    third = followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=3, size=12)
    assert third.size == 12 and 0 <= third.seed < 2**31
    assert third.due_on == followup_rules.add_months(training_class.ends_on, 36)
    with pytest.raises(ValidationError, match="year 3 of follow-up are drawn"):
        followup.set_follow_up(by=staff_user, training_class=training_class, key_class=True, years=2)
    for size in (0, 13, "5", True):
        with pytest.raises(ValidationError):
            followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=2, size=size)
    with pytest.raises(ValidationError):
        followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=2, seed=-1)


def test_more_than_one_year_only_for_a_key_class(staff_user, people, close_with, unit_admin_user):
    training_class = close_with(people(2))
    with pytest.raises(ValidationError, match="pilot or key class"):
        followup.set_follow_up(by=staff_user, training_class=training_class, key_class=False, years=2)
    for years in (0, 4, "2"):
        with pytest.raises(ValidationError):
            followup.set_follow_up(by=staff_user, training_class=training_class, key_class=True, years=years)
    with pytest.raises(PermissionDenied):
        followup.set_follow_up(by=unit_admin_user, training_class=training_class, key_class=True, years=2)


def test_staff_record_a_review_and_a_unit_is_told(staff_user, people, close_with, units):
    trainees = people(5)
    training_class = close_with(trainees)
    sample = followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=1, seed=7)
    review = sample.reviews.order_by("pk").first()
    with pytest.raises(ValidationError) as error:
        followup.record_review(by=staff_user, review=review, done_on=today() + timedelta(days=1), method="call",
                               outcome="great", finding="")  # fmt: skip
    assert set(error.value.message_dict) == {"done_on", "method", "outcome", "finding"}
    followup.record_review(by=staff_user, review=review, done_on=today(), method="visit", outcome="clear",
                           finding="牵头完成预算改革")  # fmt: skip
    with pytest.raises(PermissionDenied):
        followup.record_review(by=trainees[0].user, review=review, done_on=today(), method="visit", outcome="clear",
                               finding="x")  # fmt: skip
    evaluations.submit_self_evaluation(by=trainees[0].user, training_class=training_class, knowledge="x", before=2,
                                       after=3)  # fmt: skip
    rows = selectors.unit_feedback(unit=units["finance"])
    assert len(rows) == 5 and all(r.passed and r.days_attended == 5 for r in rows)
    reviewed = next(r for r in rows if r.official.pk == review.enrolment.official_id)
    assert [(line.round, line.outcome, line.finding) for line in reviewed.reviews] == [
        (1, "Clear improvement", "牵头完成预算改革")
    ]
    assert sum(r.self_evaluation for r in rows) == 1 and not any(r.study_summary for r in rows)
    assert selectors.unit_feedback(unit=units["education"]) == []
    assert selectors.unit_feedback(unit=units["finance"], year=today().year - 5) == []


def test_the_class_follow_up_says_where_each_item_stands(staff_user, people, close_with):
    trainees = people(3)
    training_class = move(close_with(trainees), days_ago=100)  # forum by 3 months: overdue
    seen = selectors.class_follow_up(training_class=training_class, today=today())
    assert seen.trainees == 3 and seen.forum.state == followup_rules.OVERDUE
    assert seen.summary.state == followup_rules.OVERDUE and seen.summaries == 0
    assert [(r.round, r.state, r.sample) for r in seen.rounds] == [(1, followup_rules.NOT_YET, None)]
    followup.record_forum(by=staff_user, training_class=training_class, held_on=today(), attendees=3, summary="x")
    for trainee in trainees:
        followup.submit_study_summary(by=trainee.user, training_class=training_class, title="总结", text="体会")
    seen = selectors.class_follow_up(training_class=training_class, today=today())
    assert seen.forum.state == seen.summary.state == followup_rules.DONE and seen.summaries == 3


def test_items_due_and_overdue_for_staff_a_unit_and_a_trainee(staff_user, people, close_with, units):
    finance, education = people(2), people(1, unit="education")
    training_class = move(close_with(finance + education), days_ago=80)  # summaries due in ~10 days, forum due
    items = selectors.follow_up_items(today=today())
    kinds = sorted((i.what, i.official.staff_no if i.official else None, i.state) for i in items)
    assert ("forum", None, "due") in kinds
    assert sum(1 for k in kinds if k[0] == "study_summary" and k[2] == "due") == 3
    assert sum(1 for k in kinds if k[0] == "self_evaluation") == 0  # the evaluation is open another 30 days
    assert all(i.url == f"/training/classes/{training_class.code}/follow-up/" for i in items)
    unit_items = selectors.follow_up_items(today=today(), unit=units["education"])
    assert [(i.what, i.official) for i in unit_items] == [("study_summary", education[0])]
    mine = selectors.follow_up_items(today=today(), official=finance[0])
    assert [(i.what, i.url) for i in mine] == [("study_summary", f"/training/classes/{training_class.code}/summary/")]
    overdue = selectors.follow_up_items(today=today() + timedelta(days=40), states=("overdue",))
    assert {i.what for i in overdue} == {"forum", "study_summary", "self_evaluation"}
    assert selectors.follow_up_items(today=today(), states=("overdue",)) == []


def test_a_sample_not_drawn_in_time_and_its_reviews_are_listed(staff_user, people, close_with):
    trainees = people(5)
    training_class = move(close_with(trainees), days_ago=370)
    undrawn = [i for i in selectors.follow_up_items(today=today()) if i.what == "review"]
    assert [(i.official, i.state) for i in undrawn] == [(None, "overdue")]
    followup.draw_follow_up_sample(by=staff_user, training_class=training_class, round=1, size=2, seed=1)
    reviews = [i for i in selectors.follow_up_items(today=today()) if i.what == "review"]
    assert len(reviews) == 2 and all(i.official and i.state == "overdue" for i in reviews)
