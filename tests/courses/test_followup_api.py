"""The follow-up API (issue 14): ``/api/v1/classes/{code}/evaluation|follow-up|self-evaluation|study-summary|forums|
samples/``, ``/api/v1/follow-up-reviews/{id}/``, ``/api/v1/follow-up-items/`` and ``/api/v1/training-feedback/`` —
what each role may do (official, unit administrator, training section, anonymous), bad input as a 400 in plain
words."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import FollowUpReview, StudySummary, TrainingClass
from courses.selectors.surveys import survey_form
from courses.services import surveys as survey_services
from tests.clock import today
from tests.conftest import client_for
from tests.courses.fixtures_surveys import *  # noqa: F403 (its fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(people, close_with, officials):
    """A closed class of 6 finance trainees (one taught by wang), ended 80 days ago."""
    trainees = people(6)
    training_class = close_with(trainees, teacher=officials["wang"])
    length = training_class.ends_on - training_class.starts_on
    ends_on = today() - timedelta(days=80)
    TrainingClass.objects.filter(pk=training_class.pk).update(ends_on=ends_on, starts_on=ends_on - length)
    training_class.refresh_from_db()
    training_class.trainees = trainees
    return training_class


def url(training_class, what: str) -> str:
    return f"/api/v1/classes/{training_class.code}/{what}/"


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("s.png", buffer.getvalue(), content_type="image/png")


def test_staff_see_the_evaluation_per_teacher_from_5_respondents(staff_api, closed):
    evaluation = closed.evaluation
    for trainee in closed.trainees[:5]:
        sent = {}
        for item in survey_form(survey=evaluation):
            for key in [s.key for s in item.sessions] or [item.key]:
                sent[key] = {"scale": 5, "single": 1, "text": ""}[item.question.kind]
        survey_services.answer_survey(by=trainee.user, survey=evaluation, answers=sent)
    body = staff_api.get(url(closed, "evaluation")).json()
    assert body["responses"] == 5 and body["shown"] and body["survey"] == evaluation.code
    teachers = {t["label"]: t for t in body["teachers"]}
    assert set(teachers) == {"王芳", "陈老师"} and teachers["王芳"]["means"][0]["mean"] == 5.0
    assert {c["label"] for c in body["courses"]} == {"预算管理", "政府采购"}


def test_staff_mark_a_key_class_and_read_the_schedule(staff_api, closed):
    seen = staff_api.get(url(closed, "follow-up")).json()
    assert seen["trainees"] == 6 and seen["forum"]["state"] == "due" and seen["summary"]["state"] == "due"
    assert [r["round"] for r in seen["rounds"]] == [1]
    changed = staff_api.put(url(closed, "follow-up"), {"key_class": True, "years": 3}, format="json")
    assert changed.status_code == 200 and [r["round"] for r in changed.json()["rounds"]] == [1, 2, 3]
    bad = staff_api.put(url(closed, "follow-up"), {"key_class": False, "years": 2}, format="json")
    assert bad.status_code == 400 and "pilot or key" in str(bad.json()["years"])
    assert staff_api.put(url(closed, "follow-up"), {"key_class": True, "years": 9}, format="json").status_code == 400


def test_a_trainee_sends_the_self_evaluation_and_the_summary(closed):
    trainee = client_for(closed.trainees[0].user)
    body = {"knowledge": "预算绩效管理", "before": 2, "after": 4}
    first = trainee.post(url(closed, "self-evaluation"), body, format="json")
    assert first.status_code == 201 and first.json()["after"] == 4
    assert trainee.post(url(closed, "self-evaluation"), {**body, "after": 5}, format="json").status_code == 200
    bad = trainee.post(url(closed, "self-evaluation"), {"knowledge": "", "before": 0, "after": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"knowledge", "before", "after"}
    sent = trainee.post(url(closed, "study-summary"), {"title": "学习总结", "file": png()}, format="multipart")
    assert sent.status_code == 201 and sent.json()["file_type"] == "png"
    text = trainee.post(url(closed, "study-summary"), {"title": "学习总结", "text": "体会"}, format="json")
    assert text.status_code == 200 and StudySummary.objects.count() == 1
    fake = SimpleUploadedFile("s.pdf", b"not a pdf at all", content_type="application/pdf")
    other = client_for(closed.trainees[1].user)
    refused = other.post(url(closed, "study-summary"), {"title": "总结", "file": fake}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()
    assert other.post(url(closed, "study-summary"), {"title": "总结"}, format="json").status_code == 400


def test_staff_record_a_forum_draw_a_sample_and_record_a_review(staff_api, closed):
    forum = staff_api.post(url(closed, "forums"), {"held_on": today().isoformat(), "attendees": 6, "summary": "座谈"},
                           format="json")  # fmt: skip
    assert forum.status_code == 201 and forum.json()["attendees"] == 6
    too_many = staff_api.post(url(closed, "forums"), {"held_on": today().isoformat(), "attendees": 7, "summary": "x"},
                              format="json")  # fmt: skip
    assert too_many.status_code == 400 and "attendees" in too_many.json()
    drawn = staff_api.post(url(closed, "samples"), {"round": 1, "size": 3, "seed": 99}, format="json")
    assert drawn.status_code == 201, drawn.json()
    body = drawn.json()
    assert (body["round"], body["size"], body["seed"], body["population"]) == (1, 3, 99, 6)
    assert len(body["drawn"]) == 3 and set(body["drawn"]) <= {t.staff_no for t in closed.trainees}
    again = staff_api.post(url(closed, "samples"), {"round": 1}, format="json")
    assert again.status_code == 400 and "drawn already" in str(again.json())
    assert staff_api.post(url(closed, "samples"), {"round": 2}, format="json").status_code == 400
    review = FollowUpReview.objects.first()
    body = {"done_on": today().isoformat(), "method": "talk", "outcome": "some", "finding": "能运用所学"}
    recorded = staff_api.patch(f"/api/v1/follow-up-reviews/{review.pk}/", body, format="json")
    assert recorded.status_code == 200 and recorded.json()["outcome"] == "some"
    bad = staff_api.patch(f"/api/v1/follow-up-reviews/{review.pk}/", {"done_on": "soon", "method": "x"},
                          format="json")  # fmt: skip
    assert bad.status_code == 400 and {"done_on", "method", "outcome", "finding"} <= set(bad.json())
    assert staff_api.patch("/api/v1/follow-up-reviews/999999/", {}, format="json").status_code == 404


def test_items_for_each_role(staff_api, closed, unit_admin_user, officials, roles):
    from django.contrib.auth.models import User

    items = staff_api.get("/api/v1/follow-up-items/").json()["results"]
    assert {"forum", "study_summary"} <= {i["what"] for i in items}
    mine = client_for(closed.trainees[0].user).get("/api/v1/follow-up-items/?state=due").json()["results"]
    assert [(i["what"], i["staff_no"]) for i in mine] == [("study_summary", closed.trainees[0].staff_no)]
    assert mine[0]["url"] == f"/training/classes/{closed.code}/summary/"
    unit = client_for(unit_admin_user).get("/api/v1/follow-up-items/").json()["results"]
    assert {i["staff_no"] for i in unit} == {t.staff_no for t in closed.trainees}
    assert client_for(officials["wang"].user).get("/api/v1/follow-up-items/").json()["results"] == []
    assert staff_api.get("/api/v1/follow-up-items/?state=late").status_code == 400
    assert staff_api.get("/api/v1/follow-up-items/?state=overdue").json()["results"] == []
    nobody = User.objects.create_user("nobody", password="pw-secret-123")
    assert client_for(nobody).get("/api/v1/follow-up-items/").status_code == 403
    assert client_for(None).get("/api/v1/follow-up-items/").status_code in (401, 403)


def test_feedback_to_a_unit(staff_api, closed, unit_admin_user, officials, units):
    trainee = client_for(closed.trainees[0].user)
    trainee.post(url(closed, "self-evaluation"), {"knowledge": "x", "before": 1, "after": 3}, format="json")
    rows = staff_api.get("/api/v1/training-feedback/?unit=B01").json()["results"]
    assert len(rows) == 6 and sum(r["self_evaluation"] for r in rows) == 1
    assert all(r["training_class"] == closed.code and r["passed"] for r in rows)
    assert staff_api.get("/api/v1/training-feedback/?unit=B02").json()["results"] == []
    assert staff_api.get("/api/v1/training-feedback/?unit=B01&year=1999").status_code == 400
    assert staff_api.get("/api/v1/training-feedback/?unit=NOPE").status_code == 400
    assert staff_api.get("/api/v1/training-feedback/").status_code == 400
    admin = client_for(unit_admin_user)
    assert len(admin.get("/api/v1/training-feedback/").json()["results"]) == 6
    assert admin.get(f"/api/v1/training-feedback/?unit=B01&year={closed.ends_on.year}").status_code == 200
    assert admin.get("/api/v1/training-feedback/?unit=B02").status_code == 403
    assert trainee.get("/api/v1/training-feedback/").status_code == 403
    assert client_for(None).get("/api/v1/training-feedback/").status_code in (401, 403)


def test_every_role_crossing_on_a_class(closed, officials, unit_admin_user, staff_api):
    trainee = client_for(closed.trainees[0].user)
    admin, stranger, anonymous = client_for(unit_admin_user), client_for(officials["wang"].user), client_for(None)
    review = FollowUpReview.objects.create(
        sample=closed.follow_up_samples.create(round=1, population=6, size=1, seed=1, due_on=today()),
        enrolment=closed.enrolments.first(),
    )
    staff_only = [
        ("get", url(closed, "evaluation"), None), ("get", url(closed, "follow-up"), None),
        ("put", url(closed, "follow-up"), {"key_class": True, "years": 2}),
        ("post", url(closed, "forums"), {"held_on": today().isoformat(), "attendees": 1, "summary": "x"}),
        ("post", url(closed, "samples"), {"round": 1}),
        ("patch", f"/api/v1/follow-up-reviews/{review.pk}/", {"done_on": today().isoformat(), "method": "talk",
                                                              "outcome": "some", "finding": "x"}),
    ]  # fmt: skip
    for client in (trainee, admin, stranger):
        for method, path, body in staff_only:
            assert getattr(client, method)(path, body, format="json").status_code == 403, (method, path)
    for method, path, body in staff_only:
        assert getattr(anonymous, method)(path, body, format="json").status_code in (401, 403)
    trainee_only = [
        (url(closed, "self-evaluation"), {"knowledge": "x", "before": 1, "after": 2}),
        (url(closed, "study-summary"), {"title": "x", "text": "y"}),
    ]
    for path, body in trainee_only:
        assert staff_api.post(path, body, format="json").status_code == 403  # not a trainee
        assert admin.post(path, body, format="json").status_code == 403  # sees the class, is no trainee of it
        assert stranger.post(path, body, format="json").status_code == 404  # the class is not theirs to see
        assert anonymous.post(path, body, format="json").status_code in (401, 403)
    assert staff_api.get("/api/v1/classes/NOPE/follow-up/").status_code == 404
