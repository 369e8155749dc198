"""The demo city's surveys and training follow-up (RULES §5; ``manage.py load_demo_city`` runs it through the
``demo_city_loaded`` signal, right after courses.demo has made the classes: courses/signals.py).

* **Needs surveys** of the ready-made questionnaire: ``{year}-needs`` open now to everyone (answered in this half
  year and the previous one, so the half-year summary has something to compare; never by the demo official, who can
  answer it on ``make run``) and ``{year - 1}-needs``, closed, answered in the half year before.
* **Class evaluations**: every closed class of the year's history (courses.demo) gets its sessions (course and
  outside teacher), its evaluation (open for 30 days from the day after it ended: the recent ones are still open)
  answered by most trainees, and self-evaluations.
* **Follow-up in every state**: study summaries sent and missing, forums recorded for the older classes and not yet
  for the others (overdue, due, not yet open), the first class of the year (FOLLOW_UP_CLASS) marked a key class
  followed up for three years, its first year's sample drawn with some reviews recorded and some still to do.
* The demo official keeps a class evaluation and/or a self-evaluation to do.

Answers are written in bulk (the rows ``courses.services.surveys.answer_survey`` writes: a participation, and,
unlinked, a response with the half year, rank and kind of unit, and its answers), each table in its own random
order; forums, the key class, the sample and the reviews go through the services as the training section would.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from kunshan_training.half_years import HalfYear
from organisation.models import Official

from . import followup_rules, survey_rules
from .demo import _staff
from .models import (
    ClassSession,
    ClassStatus,
    Course,
    Enrolment,
    FollowUpForum,
    FollowUpReview,
    FollowUpSample,
    Questionnaire,
    SelfEvaluation,
    StudySummary,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
    TrainingClass,
)
from .questionnaire_data import NEEDS, ensure_questionnaires
from .services.surveys import answer_rows

SEED = 2026_14
NEEDS_SURVEY = "{year}-needs"  # open now
CLOSED_NEEDS_SURVEY = "{prev}-needs"  # prev = year - 1; closed
# The class the phone test follows up: the first closed class of the year in courses.demo (its history).
FOLLOW_UP_CLASS = "{year}-H01"
ANSWERS_PER_HALF_YEAR = 70  # per half year of the open needs survey (fewer in a small test city)
CLOSED_SURVEY_ANSWERS = 60
EVALUATION_SHARE = 0.75  # of a class's trainees who answer its evaluation (less while it is still open)
SELF_EVALUATION_SHARE = 0.8
SUMMARY_SHARE = 0.7  # of the trainees who have sent their study summary once it is due
FORUM_CLASSES = 0.5  # the older half of the classes whose forum is owed have had it
OUTSIDE_TEACHERS = [("市委党校 王教授", 4.5), ("市委党校 陈副教授", 4.1), ("苏州大学 李教授", 4.3),
                    ("市发改委 周处长", 3.7), ("南京大学 赵教授", 4.6), ("市应急局 孙科长", 3.4)]  # fmt: skip
SUGGESTIONS = [
    "希望多安排现场教学，到先进地区实地学习。", "课程内容要更贴近基层工作实际。", "建议增加案例分析和分组研讨的时间。",
    "培训时间尽量避开年底工作繁忙时段。", "希望网络学院增加短小精悍的微课。", "建议邀请更多一线实务专家授课。",
    "多开设数字化应用方面的专题培训。", "培训后希望有跟踪辅导和交流平台。", "希望增加心理调适和压力管理课程。",
    "建议按岗位分类分层开展培训。", "增加与兄弟单位的交流互学。", "希望培训材料提前发放便于预习。",
]  # fmt: skip
SELF_EVALUATIONS = [
    ("系统学习了相关政策理论，对工作中的重点难点有了更清楚的认识。", "要把学到的方法用到日常工作中。",
     "计划在科室内开展一次学习分享。"),
    ("通过案例教学，掌握了处理复杂问题的思路和方法。", "基层治理要多听群众意见。", "建立问题台账，逐项推进解决。"),
    ("现场教学让我看到了先进地区的做法，开阔了视野。", "工作要敢于创新。", "结合本单位实际推出两项改进措施。"),
]  # fmt: skip
FORUM_SUMMARIES = [
    "学员交流了训后工作中运用所学的体会，普遍认为专题讲授与现场教学结合效果较好，建议增加研讨时间。",
    "座谈会上学员反映培训内容针对性强，部分学员已将所学用于本单位制度完善；建议后续开展跟踪辅导。",
]
REVIEW_FINDINGS = [
    ("talk", "clear", "能将培训所学运用到项目推进中，牵头完成了本单位工作流程优化。"),
    ("visit", "some", "单位反映其政策把握能力有所提升，在群众工作方法上仍需加强。"),
    ("forum", "clear", "在单位座谈会上分享了培训成果，带动科室开展专题学习。"),
]


def loaded(year: int) -> bool:
    return Survey.objects.filter(code=NEEDS_SURVEY.format(year=year)).exists()


@transaction.atomic
def build_surveys(*, year: int, progress=print) -> dict:
    """Surveys, class evaluations and follow-up for the demo year (once: nothing when the needs survey exists)."""
    if loaded(year) or not TrainingClass.objects.exists():
        return {}
    from organisation.demo import DEMO_OFFICIAL

    today = timezone.localdate()
    rng = random.Random(SEED)
    staff = _staff()  # the demo's training section account (courses.demo)
    ensure_questionnaires()  # a test database flushed between tests has lost the migration's rows
    demo_official = Official.objects.filter(user__username=DEMO_OFFICIAL).first()
    summary = _needs_surveys(year=year, today=today, staff=staff, rng=rng, demo_official=demo_official)
    summary.update(_evaluations(year=year, today=today, rng=rng, demo_official=demo_official))
    summary.update(_follow_up(year=year, today=today, staff=staff, rng=rng, demo_official=demo_official))
    progress(
        f"surveys: {summary['needs_answers']} answers to the needs surveys ({NEEDS_SURVEY.format(year=year)} open), "
        f"{summary['evaluations']} class evaluations with {summary['evaluation_answers']} answers, "
        f"{summary['self_evaluations']} self-evaluations, {summary['summaries']} study summaries, "
        f"{summary['forums']} forums, {summary['reviews']} follow-up reviews ({summary['reviews_done']} done)"
    )
    return summary


# -- answers ---------------------------------------------------------------------------------------------------


class _Writer:
    """Collects anonymous answers as answer_survey stores them; ``save`` writes each table in its own random order
    (so no row order lines a response up with a participation)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.participations: list[SurveyParticipation] = []
        self.responses: list[SurveyResponse] = []
        self.answers: list[SurveyAnswer] = []

    def add(self, survey: Survey, official: Official, unit_kind: str, period: HalfYear, values) -> None:
        self.participations.append(SurveyParticipation(survey=survey, official=official))
        response = SurveyResponse(id=uuid.uuid4(), survey=survey, period=str(period), rank=official.rank,
                                  unit_kind=unit_kind)  # fmt: skip
        self.responses.append(response)
        self.answers += answer_rows(response=response, values=values)

    def save(self) -> int:
        for rows in (self.participations, self.responses, self.answers):
            self.rng.shuffle(rows)
        SurveyParticipation.objects.bulk_create(self.participations, batch_size=2000)
        SurveyResponse.objects.bulk_create(self.responses, batch_size=2000)
        SurveyAnswer.objects.bulk_create(self.answers, batch_size=2000)
        return len(self.responses)


def _weights(seed: int, n: int) -> list[float]:
    """A stable preference over ``n`` options (a different ``seed``: a different half year's taste)."""
    local = random.Random(seed)
    return [0.2 + local.random() ** 2 for _i in range(n)]


def _scale(rng: random.Random, mean: float) -> int:
    return max(survey_rules.SCALE_MIN, min(survey_rules.SCALE_MAX, round(rng.gauss(mean, 0.8))))


def _fill(specs: Sequence[survey_rules.QuestionSpec], *, rng: random.Random, taste: int, teacher_mean=None,
          write_share: float = 0.35) -> list[survey_rules.AnswerValue]:  # fmt: skip
    """A plausible filled questionnaire, checked by the same rule as a real one (survey_rules.check_answers)."""
    sent: dict[str, object] = {}
    for spec in specs:
        keys = [(survey_rules.answer_key(spec.id, s), s) for s in spec.sessions]
        keys = keys or [(survey_rules.answer_key(spec.id), None)]
        for key, session_id in keys:
            options = range(len(spec.choices))
            if spec.kind == survey_rules.SINGLE:
                sent[key] = rng.choices(options, _weights(taste * 1000 + spec.id, len(options)))[0]
            elif spec.kind == survey_rules.MULTIPLE:
                weights = _weights(taste * 1000 + spec.id, len(options))
                sent[key] = sorted({rng.choices(options, weights)[0] for _i in range(rng.randint(1, 3))})
            elif spec.kind == survey_rules.SCALE:
                mean = teacher_mean(session_id) if (teacher_mean and session_id) else 3.4 + (taste % 3) * 0.3
                sent[key] = _scale(rng, mean)
            elif rng.random() < write_share:
                sent[key] = rng.choice(SUGGESTIONS)
    values, errors = survey_rules.check_answers(specs, sent)
    assert not errors, errors  # noqa: S101 - the demo writes only what the form accepts
    return values


# -- needs surveys ---------------------------------------------------------------------------------------------


def _needs_surveys(*, year: int, today: date, staff, rng: random.Random, demo_official) -> dict:
    from .selectors.surveys import question_specs
    from .services.surveys import create_survey

    questionnaire = Questionnaire.objects.get(code=NEEDS)
    now = HalfYear.of(today)
    before, long_before = now.previous(), now.previous().previous()
    open_survey = create_survey(
        by=staff, code=NEEDS_SURVEY.format(year=year), title=f"{year}年干部教育培训需求调查",
        questionnaire=questionnaire, opens_on=before.first_day, closes_on=max(now.last_day, today + timedelta(days=30)),
    )  # fmt: skip
    closed_survey = create_survey(
        by=staff, code=CLOSED_NEEDS_SURVEY.format(prev=year - 1), title=f"{year - 1}年干部教育培训需求调查",
        questionnaire=questionnaire, opens_on=long_before.first_day, closes_on=long_before.last_day,
    )  # fmt: skip
    people = list(Official.objects.select_related("unit").order_by("staff_no"))
    people = [o for o in people if demo_official is None or o.pk != demo_official.pk]
    rng.shuffle(people)
    per_half = min(ANSWERS_PER_HALF_YEAR, len(people) // 2)
    writer = _Writer(rng)
    specs = question_specs(survey=open_survey)
    for n, official in enumerate(people[: 2 * per_half]):
        period = now if n < per_half else before
        writer.add(open_survey, official, official.unit.kind, period, _fill(specs, rng=rng, taste=period.half))
    for official in people[-min(CLOSED_SURVEY_ANSWERS, len(people)) :]:
        writer.add(closed_survey, official, official.unit.kind, long_before, _fill(specs, rng=rng, taste=3))
    return {"needs_answers": writer.save()}


# -- class evaluations -----------------------------------------------------------------------------------------


def _history(year: int) -> list[TrainingClass]:
    return list(
        TrainingClass.objects.filter(status=ClassStatus.CLOSED, code__startswith=f"{year}-H").order_by(
            "ends_on", "code"
        )
    )


def _evaluations(*, year: int, today: date, rng: random.Random, demo_official) -> dict:
    from .selectors.surveys import question_specs
    from .services.evaluations import open_class_evaluation

    classes = _history(year)
    courses = list(Course.objects.order_by("code"))
    sessions = []
    for n, training_class in enumerate(classes):
        for k in range(min(3, int(training_class.days) or 1)):
            course = courses[(n + k) % len(courses)] if courses else None
            teacher = OUTSIDE_TEACHERS[(n + 2 * k) % len(OUTSIDE_TEACHERS)][0]
            sessions.append(ClassSession(
                training_class=training_class, held_on=min(training_class.starts_on + timedelta(days=k),
                                                           training_class.ends_on),
                course=course, topic=course.title if course else "专题辅导", teacher_name=teacher,
            ))  # fmt: skip
    ClassSession.objects.bulk_create(sessions)
    teacher_means = dict(OUTSIDE_TEACHERS)
    session_teacher = {s.pk: s.teacher_name for s in sessions}
    trainees: dict[int, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(training_class__in=classes, active=True).select_related(
        "official__unit"
    ).order_by("pk"):  # fmt: skip
        trainees.setdefault(enrolment.training_class_id, []).append(enrolment)
    demo_classes = [c for c in classes if any(e.official_id == getattr(demo_official, "pk", None)
                                              for e in trainees.get(c.pk, []))]  # fmt: skip
    if demo_official is not None and not demo_classes and classes:
        # A small or other city where the demo official took no class this year: they join the latest one, so they
        # have an evaluation and a self-evaluation to do.
        latest = classes[-1]
        trainees.setdefault(latest.pk, []).append(Enrolment.objects.create(
            training_class=latest, official=demo_official, unit=demo_official.unit, days_attended=latest.days,
            passed=True, result_at=timezone.now(),
        ))  # fmt: skip
    writer = _Writer(rng)
    self_evaluations = []
    for training_class in classes:
        with translation.override(settings.LANGUAGE_CODE):  # its title is stored in the portal's language
            survey = open_class_evaluation(training_class=training_class)
        opens_on = training_class.ends_on + timedelta(days=1)
        closes_on = opens_on + timedelta(days=survey_rules.EVALUATION_OPEN_DAYS)
        Survey.objects.filter(pk=survey.pk).update(opens_on=opens_on, closes_on=closes_on)  # as if closed that day
        survey.opens_on, survey.closes_on = opens_on, closes_on
        still_open = closes_on >= today
        specs = question_specs(survey=survey)
        for enrolment in trainees.get(training_class.pk, []):
            if demo_official is not None and enrolment.official_id == demo_official.pk:
                continue  # theirs to do
            if rng.random() < (0.5 if still_open else EVALUATION_SHARE):
                answered_on = min(today, opens_on + timedelta(days=rng.randrange(0, 14)))
                values = _fill(specs, rng=rng, taste=training_class.pk % 5, write_share=0.3,
                               teacher_mean=lambda sid: teacher_means.get(session_teacher.get(sid), 4.0))  # fmt: skip
                writer.add(survey, enrolment.official, enrolment.official.unit.kind, HalfYear.of(answered_on), values)
            if rng.random() < (0.4 if still_open else SELF_EVALUATION_SHARE):
                knowledge, inspiration, ideas = rng.choice(SELF_EVALUATIONS)
                before = rng.choice((2, 3, 3))
                after = min(5, before + rng.choice((1, 1, 2)))
                self_evaluations.append(
                    SelfEvaluation(
                        enrolment=enrolment,
                        knowledge=knowledge,
                        inspiration=inspiration,
                        ideas=ideas,
                        before=before,
                        after=after,
                    )
                )
    SelfEvaluation.objects.bulk_create(self_evaluations, batch_size=2000)
    return {"evaluations": len(classes), "evaluation_answers": writer.save(), "self_evaluations": len(self_evaluations)}


# -- follow-up -------------------------------------------------------------------------------------------------


def _follow_up(*, year: int, today: date, staff, rng: random.Random, demo_official) -> dict:
    from .services.followup import draw_follow_up_sample, record_forum, record_review, set_follow_up

    classes = _history(year)
    summaries = []
    owed_forum = []
    for training_class in classes:
        plan = followup_rules.schedule(ends_on=training_class.ends_on, key_class=False, years=1)
        share = SUMMARY_SHARE if plan.summary_due < today else 0.25
        for enrolment in Enrolment.objects.filter(training_class=training_class, active=True).select_related(
            "official__user"
        ).order_by("pk"):  # fmt: skip
            if demo_official is not None and enrolment.official_id == demo_official.pk:
                continue
            if rng.random() < share:
                summaries.append(StudySummary(
                    enrolment=enrolment, title=f"参加{training_class.title}学习总结",
                    text="通过这次培训，我系统学习了相关理论和实务知识，结合本职工作谈三点体会：一是提高了政治站位；"
                         "二是掌握了工作方法；三是明确了今后努力方向。",
                    submitted_by=enrolment.official.user,
                ))  # fmt: skip
        if plan.forum_from <= today:
            owed_forum.append(training_class)
    StudySummary.objects.bulk_create(summaries, batch_size=2000)

    # Forums: the older half of the classes whose forum window has opened had theirs (the first class always).
    forums = 0
    for n, training_class in enumerate(owed_forum):
        if n >= max(1, int(len(owed_forum) * FORUM_CLASSES)):
            break
        plan = followup_rules.schedule(ends_on=training_class.ends_on, key_class=False, years=1)
        held_on = min(today, plan.forum_from + timedelta(days=rng.randrange(0, 20)))
        if held_on <= training_class.ends_on:
            continue
        attendees = max(1, int(training_class.enrolments.filter(active=True).count() * 0.6))
        record_forum(by=staff, training_class=training_class, held_on=held_on, attendees=attendees,
                     summary=FORUM_SUMMARIES[n % len(FORUM_SUMMARIES)])  # fmt: skip
        forums += 1

    # The first class of the year: a key class followed up three years; its first year's trainees drawn (size and
    # seed recorded), some reviews recorded, the others still to do.
    reviews = reviews_done = 0
    first = TrainingClass.objects.filter(code=FOLLOW_UP_CLASS.format(year=year)).first()
    if first is not None and first.status == ClassStatus.CLOSED:
        set_follow_up(by=staff, training_class=first, key_class=True, years=3)
        sample = draw_follow_up_sample(by=staff, training_class=first, round=1, seed=SEED)
        drawn = list(FollowUpReview.objects.filter(sample=sample).order_by("enrolment__official__staff_no"))
        reviews = len(drawn)
        for n, review in enumerate(drawn[: len(drawn) // 2]):
            done_on = min(today, first.ends_on + timedelta(days=120 + 7 * n))
            if done_on <= first.ends_on:
                continue
            method, outcome, finding = REVIEW_FINDINGS[n % len(REVIEW_FINDINGS)]
            record_review(by=staff, review=review, done_on=done_on, method=method, outcome=outcome, finding=finding)
            reviews_done += 1
    return {"summaries": len(summaries), "forums": forums, "reviews": reviews, "reviews_done": reviews_done}


def clear_surveys() -> None:
    """Everything of the surveys and the follow-up, before the demo city is deleted (--reset). The questionnaires
    stay (the ready-made ones are seeded by a migration)."""
    for model in (SurveyAnswer, SurveyResponse, SurveyParticipation, Survey, FollowUpReview, FollowUpSample,
                  FollowUpForum, StudySummary, SelfEvaluation):  # fmt: skip
        model.objects.all().delete()
