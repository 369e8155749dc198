"""What an official's training gave them: 我的培训 (/training/me/).

``my_training(official=…, year=…)`` lists the year's classes (as a trainee, or as a teacher of a session), menu
lectures and online courses, each with the credit records it wrote (the link rows ``ClassRecord``,
``LectureSignup.record``, ``OnlineCompletion.record``) and what each record is worth under the year's policy.

What a record is worth is asked of the policy (never a table of points here): the year is assessed with that one
record alone, and the score of its category is the answer; a kind the year's policy does not count is worth
nothing and says so. The category cap applies as it would to the record alone (a ten-day class under Kunshan
shows the off-job cap of 15), which is what the official can expect from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.shortcuts import get_object_or_404

from credits.models import ActivityRecord, Status
from credits.policies import kind_label, kind_unit, policy_of_year
from credits.rules import Policy
from credits.rules.types import ActivityLine, OfficialYear
from organisation.models import Official

from ..models import ClassRecord, ClassStatus, Enrolment, Lecture, LectureSignup, OnlineCompletion, TrainingClass


@dataclass(frozen=True)
class RecordWorth:
    """One credit record and what it gives: kind label, quantity with its unit, points (None: not counted)."""

    record: ActivityRecord
    kind: str
    quantity: Decimal
    unit: str
    points: Decimal | None
    approved: bool


@dataclass
class ClassItem:
    training_class: TrainingClass
    enrolment: Enrolment | None  # None: the official taught at the class without being a trainee
    records: list[RecordWorth] = field(default_factory=list)


@dataclass
class LectureItem:
    signup: LectureSignup
    records: list[RecordWorth] = field(default_factory=list)


@dataclass
class OnlineItem:
    completion: OnlineCompletion
    records: list[RecordWorth] = field(default_factory=list)


@dataclass
class MyTraining:
    official: Official
    year: int
    policy: Policy
    classes: list[ClassItem]
    lectures: list[LectureItem]
    online: list[OnlineItem]

    @property
    def points(self) -> Decimal:
        """The sum of what the records are worth alone (the year's scoring caps may count less)."""
        return sum(
            (w.points or Decimal(0) for item in self.classes + self.lectures + self.online for w in item.records),
            Decimal(0),
        )

    @property
    def empty(self) -> bool:
        return not (self.classes or self.lectures or self.online)


@cache
def _worth(policy: Policy, year: int, kind: str, quantity: Decimal, points: Decimal | None, passed: bool) -> Decimal:
    """What one record scores alone under ``policy`` (pure; cached: a class gives its trainees the same few)."""
    category = policy.category_of(kind) or ""
    line = ActivityLine(kind=kind, category=category, quantity=quantity, points=points, class_passed=passed)
    return policy.assess(OfficialYear(year=year, activities=(line,))).categories[category].score


def record_worth(record: ActivityRecord, *, policy: Policy, year: int) -> RecordWorth:
    points: Decimal | None = None
    if record.kind in policy.kinds and policy.category_of(record.kind):
        points = _worth(policy, year, record.kind, record.quantity, record.points, bool(record.class_passed))
    return RecordWorth(
        record=record,
        kind=kind_label(record.kind),
        quantity=record.quantity,
        unit=kind_unit(record.kind),
        points=points,
        approved=record.status == Status.APPROVED,
    )


def my_training(*, official: Official, year: int) -> MyTraining:
    """The official's classes, lectures and online completions of ``year`` with what each gave in credits.

    Queries: the policy of the year, the enrolments, the class records, the classes taught without an enrolment,
    the lecture sign-ups, the completions (six or seven, whatever the number of items)."""
    policy = policy_of_year(year)

    def worth(record: ActivityRecord | None) -> list[RecordWorth]:
        return [record_worth(record, policy=policy, year=year)] if record is not None else []

    enrolments = list(
        Enrolment.objects.filter(official=official, training_class__ends_on__year=year)
        .select_related("training_class", "training_class__organiser", "replaced_by__official")
        .order_by("training_class__starts_on", "training_class__code", "-active")
    )
    links = list(
        ClassRecord.objects.filter(official=official, training_class__ends_on__year=year)
        .select_related("record")
        .order_by("kind")
    )
    by_class: dict[int, list[ActivityRecord]] = {}
    for link in links:
        by_class.setdefault(link.training_class_id, []).append(link.record)

    classes: list[ClassItem] = []
    seen: set[int] = set()
    for enrolment in enrolments:
        if enrolment.training_class_id in seen:
            continue  # substituted and named again: the active row (ordered first) speaks for the class
        seen.add(enrolment.training_class_id)
        item = ClassItem(enrolment.training_class, enrolment)
        item.records = [w for r in by_class.get(enrolment.training_class_id, []) for w in worth(r)]
        classes.append(item)
    taught = set(by_class) - seen  # a teacher's records at a class they did not attend as a trainee
    if taught:
        for training_class in TrainingClass.objects.filter(pk__in=taught).select_related("organiser"):
            item = ClassItem(training_class, None)
            item.records = [w for r in by_class[training_class.pk] for w in worth(r)]
            classes.append(item)
        classes.sort(key=lambda i: (i.training_class.starts_on, i.training_class.code))

    signups = (
        LectureSignup.objects.filter(official=official, lecture__held_on__year=year)
        .select_related("lecture", "record")
        .order_by("lecture__held_on", "lecture__code")
    )
    completions = (
        OnlineCompletion.objects.filter(official=official, completed_on__year=year)
        .select_related("course", "record")
        .order_by("completed_on", "course__code")
    )
    return MyTraining(
        official=official,
        year=year,
        policy=policy,
        classes=classes,
        lectures=[LectureItem(s, worth(s.record)) for s in signups],
        online=[OnlineItem(c, worth(c.record)) for c in completions],
    )


def lecture_for_checkin(*, official: Official, code: str, day: date) -> Lecture | None:
    """The lecture held on ``day`` whose check-in code is ``code`` (the one the official signed up for first, should
    two lectures of the day share a code); None when there is none."""
    found = list(Lecture.objects.filter(held_on=day, checkin_code=code).order_by("code"))
    if len(found) > 1:
        signed = set(
            LectureSignup.objects.filter(official=official, lecture__in=found).values_list("lecture_id", flat=True)
        )
        found.sort(key=lambda lecture: lecture.pk not in signed)
    return found[0] if found else None


def upcoming_lectures(*, official: Official, day: date, limit: int = 5) -> list[Lecture]:
    """Lectures from ``day`` on the official has not signed up for yet (offered on 我的培训)."""
    return list(
        Lecture.objects.filter(held_on__gte=day).exclude(signups__official=official).order_by("held_on", "code")[:limit]
    )


def closed_enrolment(*, official: Official, code: str) -> Enrolment:
    """The official's active enrolment in the closed class ``code`` — with its self-evaluation and study summary, if
    any — for the trainee's follow-up pages; 404 for any other class (not theirs, replaced, not closed)."""
    return get_object_or_404(
        Enrolment.objects.select_related("training_class", "self_evaluation", "study_summary"),
        official=official,
        active=True,
        training_class__code=code,
        training_class__status=ClassStatus.CLOSED,
    )
