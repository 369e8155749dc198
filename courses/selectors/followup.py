"""Reads of the follow-up of closed classes (RULES §5 追踪问效): a class's schedule and where each item stands, the
items due or overdue across classes (set-based: one query per kind of item), and what is fed back to a unit about
its trainees (named follow-up only — never an anonymous answer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from organisation.models import Official, Unit

from .. import followup_rules, survey_rules
from ..models import (
    ClassStatus,
    Enrolment,
    FollowUpForum,
    FollowUpReview,
    FollowUpSample,
    SelfEvaluation,
    StudySummary,
    TrainingClass,
)

FORUM, SELF_EVALUATION, STUDY_SUMMARY, REVIEW = "forum", "self_evaluation", "study_summary", "review"
ITEM_KINDS = (FORUM, SELF_EVALUATION, STUDY_SUMMARY, REVIEW)


def _schedule(training_class: TrainingClass) -> followup_rules.Schedule:
    return followup_rules.schedule(
        ends_on=training_class.ends_on, key_class=training_class.key_class, years=training_class.follow_up_years
    )


def self_evaluation_due(training_class: TrainingClass) -> date:
    """A self-evaluation is due when the class's evaluation closes (EVALUATION_OPEN_DAYS after closing; from its
    last day when the class has no evaluation)."""
    if _has_evaluation(training_class):
        return training_class.evaluation.closes_on
    start = training_class.closed_at.date() if training_class.closed_at else training_class.ends_on
    return start + timedelta(days=survey_rules.EVALUATION_OPEN_DAYS)


def _with_what_was_sent(enrolments):
    """The enrolments with ``has_evaluation`` and ``has_summary``: whether the trainee sent their self-evaluation
    and their study summary (in the same query)."""
    return enrolments.annotate(
        has_evaluation=Exists(SelfEvaluation.objects.filter(enrolment=OuterRef("pk"))),
        has_summary=Exists(StudySummary.objects.filter(enrolment=OuterRef("pk"))),
    )


def _has_evaluation(training_class: TrainingClass) -> bool:
    try:
        training_class.evaluation  # noqa: B018 (the reverse one-to-one raises when there is none)
    except TrainingClass.evaluation.RelatedObjectDoesNotExist:
        return False
    return True


# ---------------------------------------------------------------------------------------------------
# One class


@dataclass
class ItemState:
    due_on: date
    state: str
    opens_on: date | None = None


@dataclass
class SampleView:
    sample: FollowUpSample
    state: str
    reviews: list[FollowUpReview]
    done: int


@dataclass
class RoundView:
    round: int
    due_on: date
    state: str
    sample: SampleView | None  # None until its trainees are drawn


@dataclass
class ClassFollowUp:
    training_class: TrainingClass
    schedule: followup_rules.Schedule
    trainees: int
    forum: ItemState
    forums: list[FollowUpForum]
    self_evaluation: ItemState
    self_evaluations: int
    summary: ItemState
    summaries: int
    rounds: list[RoundView] = field(default_factory=list)


def class_follow_up(*, training_class: TrainingClass, today: date) -> ClassFollowUp:
    """Where the class's follow-up stands on ``today``: the schedule (followup_rules), the forums held, how many
    trainees have sent their self-evaluation and study summary, and each yearly round with its sample and reviews.
    An item owed by every trainee is done when all have sent it. Five queries."""
    schedule = _schedule(training_class)
    enrolments = Enrolment.objects.filter(training_class=training_class, active=True)
    counts = enrolments.aggregate(
        trainees=Count("pk"),
        evaluations=Count("pk", filter=Q(self_evaluation__isnull=False)),
        summaries=Count("pk", filter=Q(study_summary__isnull=False)),
    )
    trainees = counts["trainees"]
    forums = list(FollowUpForum.objects.filter(training_class=training_class).order_by("held_on"))
    closed = training_class.status == ClassStatus.CLOSED
    forum = ItemState(
        schedule.forum_by,
        followup_rules.item_state(
            today=today, due_on=schedule.forum_by, done=bool(forums), opens_on=schedule.forum_from
        ),
        schedule.forum_from,
    )
    evaluation_due = self_evaluation_due(training_class)
    self_evaluation = ItemState(
        evaluation_due,
        followup_rules.item_state(today=today, due_on=evaluation_due, done=counts["evaluations"] >= trainees),
    )
    summary = ItemState(
        schedule.summary_due,
        followup_rules.item_state(today=today, due_on=schedule.summary_due, done=counts["summaries"] >= trainees),
    )
    samples = {
        s.round: s
        for s in FollowUpSample.objects.filter(training_class=training_class).prefetch_related(
            Prefetch("reviews", queryset=FollowUpReview.objects.select_related("enrolment__official__unit"))
        )
    }
    rounds: list[RoundView] = []
    for number, due_on in schedule.reviews:
        sample = samples.get(number)
        view = None
        if sample is not None:
            reviews = list(sample.reviews.all())
            done = sum(1 for r in reviews if r.done_on)
            state = followup_rules.item_state(today=today, due_on=sample.due_on, done=done == len(reviews))
            view = SampleView(sample, state, reviews, done)
            rounds.append(RoundView(number, sample.due_on, state, view))
        else:
            state = followup_rules.item_state(today=today, due_on=due_on, done=False)
            rounds.append(RoundView(number, due_on, state, None))
    if not closed:  # nothing is owed before the class closes
        forum.state = self_evaluation.state = summary.state = followup_rules.NOT_YET
    return ClassFollowUp(training_class, schedule, trainees, forum, forums, self_evaluation, counts["evaluations"],
                         summary, counts["summaries"], rounds)  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Items due or overdue


@dataclass
class FollowUpItem:
    what: str  # forum / self_evaluation / study_summary / review
    training_class: TrainingClass
    official: Official | None  # None: an item of the class (a forum; a round whose trainees are not drawn yet)
    due_on: date
    state: str
    url: str


def follow_up_page(training_class: TrainingClass) -> str:
    """The class's follow-up page (courses.views.followup), where staff record forums, samples and reviews."""
    return reverse("courses:class-follow-up", args=[training_class.code])


def trainee_page(training_class: TrainingClass, what: str) -> str:
    """The trainee's own form: the self-evaluation or the study summary."""
    name = "courses:self-evaluation" if what == SELF_EVALUATION else "courses:study-summary"
    return reverse(name, args=[training_class.code])


def follow_up_items(
    *, today: date, states: tuple[str, ...] = (followup_rules.DUE, followup_rules.OVERDUE), unit: Unit | None = None,
    official: Official | None = None,
) -> list[FollowUpItem]:  # fmt: skip
    """The follow-up items of closed classes in ``states`` on ``today``, the most overdue first. Everything for the
    training section; with ``unit``, the items of that unit's officials (their summaries, self-evaluations and
    reviews); with ``official``, what they owe (self-evaluation, study summary). Four queries at most."""
    states = tuple(states)
    closed = TrainingClass.objects.filter(status=ClassStatus.CLOSED)
    items: list[FollowUpItem] = []
    for_trainees = unit is not None or official is not None

    def add(what, training_class, person, due_on, state, url):
        if state in states:
            items.append(FollowUpItem(what, training_class, person, due_on, state, url))

    if not for_trainees:
        classes = closed.annotate(has_forum=Exists(FollowUpForum.objects.filter(training_class=OuterRef("pk"))))
        drawn = set(FollowUpSample.objects.filter(training_class__in=closed).values_list("training_class_id", "round"))
        for training_class in classes:
            schedule = _schedule(training_class)
            state = followup_rules.item_state(today=today, due_on=schedule.forum_by, done=training_class.has_forum,
                                              opens_on=schedule.forum_from)  # fmt: skip
            add(FORUM, training_class, None, schedule.forum_by, state, follow_up_page(training_class))
            for number, due_on in schedule.reviews:
                if (training_class.pk, number) not in drawn:
                    state = followup_rules.item_state(today=today, due_on=due_on, done=False)
                    add(REVIEW, training_class, None, due_on, state, follow_up_page(training_class))
    enrolments = Enrolment.objects.filter(training_class__in=closed, active=True).select_related(
        "training_class__evaluation", "official__unit"
    )
    if unit is not None:
        enrolments = enrolments.filter(official__unit=unit)
    if official is not None:
        enrolments = enrolments.filter(official=official)
    enrolments = _with_what_was_sent(enrolments).filter(Q(has_evaluation=False) | Q(has_summary=False))
    for enrolment in enrolments:
        training_class = enrolment.training_class
        person = enrolment.official
        if not enrolment.has_evaluation:
            due_on = self_evaluation_due(training_class)
            state = followup_rules.item_state(today=today, due_on=due_on, done=False)
            url = trainee_page(training_class, SELF_EVALUATION) if official else follow_up_page(training_class)
            add(SELF_EVALUATION, training_class, person, due_on, state, url)
        if not enrolment.has_summary:
            due_on = _schedule(training_class).summary_due
            state = followup_rules.item_state(today=today, due_on=due_on, done=False)
            url = trainee_page(training_class, STUDY_SUMMARY) if official else follow_up_page(training_class)
            add(STUDY_SUMMARY, training_class, person, due_on, state, url)
    if official is None:  # a review is the training section's work (with the unit); not the trainee's to do
        reviews = FollowUpReview.objects.filter(done_on__isnull=True, sample__training_class__in=closed).select_related(
            "sample__training_class", "enrolment__official__unit"
        )
        if unit is not None:
            reviews = reviews.filter(enrolment__official__unit=unit)
        for review in reviews:
            sample = review.sample
            state = followup_rules.item_state(today=today, due_on=sample.due_on, done=False)
            add(REVIEW, sample.training_class, review.enrolment.official, sample.due_on, state,
                follow_up_page(sample.training_class))  # fmt: skip
    order = {followup_rules.OVERDUE: 0, followup_rules.DUE: 1, followup_rules.NOT_YET: 2}
    items.sort(key=lambda i: (order.get(i.state, 3), i.due_on, i.training_class.code, i.what,
                              i.official.staff_no if i.official else ""))  # fmt: skip
    return items


# ---------------------------------------------------------------------------------------------------
# What a unit is told


@dataclass
class ReviewLine:
    round: int
    due_on: date
    done_on: date | None
    method: str  # display
    outcome: str  # display
    finding: str


@dataclass
class FeedbackRow:
    official: Official
    training_class: TrainingClass
    days_attended: Decimal | None
    passed: bool | None
    self_evaluation: bool
    study_summary: bool
    reviews: list[ReviewLine]


def unit_feedback(*, unit: Unit, year: int | None = None) -> list[FeedbackRow]:
    """Per trainee of ``unit`` (their current unit) in closed classes (ending in ``year`` when given): the class,
    days attended, passed, whether the self-evaluation and the study summary were sent, and the follow-up reviews'
    outcome and finding — the named follow-up the unit is told, never an anonymous answer. Two queries."""
    enrolments = (
        _with_what_was_sent(
            Enrolment.objects.filter(training_class__status=ClassStatus.CLOSED, active=True, official__unit=unit)
        )
        .select_related("official", "training_class")
        .prefetch_related(
            Prefetch(
                "follow_up_reviews", queryset=FollowUpReview.objects.select_related("sample").order_by("sample__round")
            )
        )
        .order_by("-training_class__ends_on", "training_class__code", "official__staff_no")
    )
    if year is not None:
        enrolments = enrolments.filter(training_class__ends_on__year=year)
    return [
        FeedbackRow(
            e.official,
            e.training_class,
            e.days_attended,
            e.passed,
            e.has_evaluation,
            e.has_summary,
            [
                ReviewLine(
                    r.sample.round,
                    r.sample.due_on,
                    r.done_on,
                    r.get_method_display(),
                    r.get_outcome_display(),
                    r.finding,
                )  # fmt: skip
                for r in e.follow_up_reviews.all()
            ],
        )  # fmt: skip
        for e in enrolments
    ]


def trainee_has_sent(*, training_class: TrainingClass, user, what: str) -> bool:
    """Whether the signed-in trainee has already sent their ``what`` ("self_evaluation" or "study_summary") for
    the class (the API answers 200 for a replacement, 201 for a first one)."""
    model = {SELF_EVALUATION: SelfEvaluation, STUDY_SUMMARY: StudySummary}[what]
    return model.objects.filter(enrolment__training_class=training_class, enrolment__official__user=user).exists()
