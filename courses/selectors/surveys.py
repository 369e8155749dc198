"""Reads of surveys and their results (RULES §5 需求调查): what a survey asks and whom, who may answer what today, and
the results — counts only, set-based (a fixed number of queries whatever the number of answers: SQL GROUP BY on the
answers' (survey, period, question) index), never a name, and no group of fewer than survey_rules.MIN_GROUP_SIZE
respondents broken down (survey_rules.question_result decides)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from kunshan_training.half_years import HalfYear
from organisation.models import Official, Rank, UnitKind

from .. import survey_rules
from ..models import (
    ClassSession,
    Enrolment,
    Question,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
    TrainingClass,
)

NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"


def survey_state(survey: Survey, today: date) -> str:
    """ "not_open" before its first day, "open" from it to its last day (both included), "closed" after."""
    if today < survey.opens_on:
        return NOT_OPEN
    if today > survey.closes_on:
        return CLOSED
    return OPEN


# ---------------------------------------------------------------------------------------------------
# What an official is asked


@dataclass
class OfficialSurvey:
    survey: Survey
    answered: bool
    closes_on: date
    is_class_evaluation: bool


def open_surveys_for(*, official: Official, today: date) -> list[OfficialSurvey]:
    """The surveys open today that ask ``official`` (their units and ranks, or a class they were a trainee of),
    each with whether they have answered it; the soonest to close first. Three queries."""
    candidates = (
        Survey.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .filter(
            Q(training_class__isnull=True)
            | Q(training_class__enrolments__official=official, training_class__enrolments__active=True)
        )
        .select_related("questionnaire", "training_class")
        .prefetch_related("units")
        .distinct()
        .order_by("closes_on", "code")
    )
    asked = [
        s
        for s in candidates
        if s.training_class_id
        or survey_rules.eligible(
            unit_id=official.unit_id, rank=official.rank, units=[u.pk for u in s.units.all()], ranks=s.ranks
        )
    ]
    answered = set(
        SurveyParticipation.objects.filter(official=official, survey__in=[s.pk for s in asked]).values_list(
            "survey_id", flat=True
        )
    )
    return [OfficialSurvey(s, s.pk in answered, s.closes_on, s.training_class_id is not None) for s in asked]


# ---------------------------------------------------------------------------------------------------
# The form


@dataclass
class SessionKey:
    key: str
    session: ClassSession
    label: str  # "课程/教师"


@dataclass
class FormQuestion:
    """One question as the form and the API show it: ``key`` for an ordinary question, ``sessions`` (one key per
    class session) for a per-session question; ``choices`` (value, label): an option's index, or 1–5 on a scale."""

    question: Question
    key: str | None
    sessions: list[SessionKey] = field(default_factory=list)
    choices: list[tuple[int, str]] = field(default_factory=list)


def session_label(session: ClassSession) -> str:
    """A session as a trainee recognises it: the course (or topic) and the teacher."""
    what = session.course.title if session.course_id else session.topic
    who = session.teacher.name if session.teacher_id else session.teacher_name
    return " / ".join(part for part in (what, who) if part) or session.held_on.isoformat()


def _sessions(survey: Survey) -> list[ClassSession]:
    if not survey.training_class_id:
        return []
    return list(
        ClassSession.objects.filter(training_class_id=survey.training_class_id).select_related("course", "teacher")
    )


def _questions(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(questionnaire_id=survey.questionnaire_id).order_by("order"))


def _choices(question: Question) -> list[tuple[int, str]]:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return list(enumerate(question.choices))
    if question.kind == QuestionKind.SCALE:
        return [(v, str(v)) for v in range(survey_rules.SCALE_MIN, survey_rules.SCALE_MAX + 1)]
    return []


def survey_form(*, survey: Survey) -> list[FormQuestion]:
    """What the answer form asks, in order. A per-session question of a class without sessions is left out."""
    sessions = _sessions(survey)
    form: list[FormQuestion] = []
    for question in _questions(survey):
        if question.per_session:
            if not sessions:
                continue
            keys = [SessionKey(survey_rules.answer_key(question.pk, s.pk), s, session_label(s)) for s in sessions]
            form.append(FormQuestion(question, None, keys, _choices(question)))
        else:
            form.append(FormQuestion(question, survey_rules.answer_key(question.pk), [], _choices(question)))
    return form


def _spec(question: Question, sessions: tuple[int, ...] = ()) -> survey_rules.QuestionSpec:
    return survey_rules.QuestionSpec(question.pk, question.kind, tuple(question.choices), question.required, sessions)


def question_specs(*, survey: Survey) -> list[survey_rules.QuestionSpec]:
    """The questions as survey_rules.check_answers reads them (the class's sessions for a per-session question)."""
    return [_spec(item.question, tuple(s.session.pk for s in item.sessions)) for item in survey_form(survey=survey)]


# ---------------------------------------------------------------------------------------------------
# Counts


def response_counts(*, survey: Survey) -> dict[str, int]:
    """Responses per half year ("2026H1" → n), oldest first."""
    rows = SurveyResponse.objects.filter(survey=survey).values("period").annotate(n=Count("id")).order_by("period")
    return {row["period"]: row["n"] for row in rows}


@dataclass
class Participation:
    asked: int
    answered: int
    rate: Decimal  # per cent, one decimal


def asked_officials(survey: Survey):
    """The officials a survey asks: a class's active trainees, or the target units' and ranks' officials."""
    if survey.training_class_id:
        return Official.objects.filter(
            pk__in=Enrolment.objects.filter(training_class_id=survey.training_class_id, active=True).values(
                "official_id"
            )
        )
    officials = Official.objects.all()
    units = list(survey.units.values_list("pk", flat=True))
    if units:
        officials = officials.filter(unit_id__in=units)
    if survey.ranks:
        officials = officials.filter(rank__in=survey.ranks)
    return officials


def participation(*, survey: Survey) -> Participation:
    """How many officials the survey asks and how many have answered (counts only, never who)."""
    asked = asked_officials(survey).count()
    answered = SurveyParticipation.objects.filter(survey=survey).count()
    return Participation(asked, answered, survey_rules.percent(min(answered, asked), asked))


# ---------------------------------------------------------------------------------------------------
# Results


@dataclass
class GroupResult:
    group: str  # a rank or a kind of unit (the stored value)
    label: str
    respondents: int
    shown: bool
    result: survey_rules.QuestionResult | None  # None when the group is not shown


@dataclass
class QuestionBlock:
    question: Question
    result: survey_rules.QuestionResult
    groups: list[GroupResult] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    period: HalfYear | None
    breakdown: str | None
    respondents: int
    questions: list[QuestionBlock]
    groups: list[tuple[str, str, int, bool]] = field(default_factory=list)  # (group, label, respondents, shown)


_GROUP_LABELS = {"rank": dict(Rank.choices), "unit_kind": dict(UnitKind.choices)}


def _group_label(breakdown: str, group: str) -> str:
    return str(_GROUP_LABELS[breakdown].get(group, group))


@dataclass
class _Tally:
    """Per (question, group) — group None without a breakdown: respondents, option counts, scale counts."""

    respondents: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))
    choices: dict[tuple, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    scales: dict[tuple, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    def overall(self) -> _Tally:
        """The groups added up: each response is in exactly one group, so respondents add up too."""
        total = _Tally()
        for (question_id, _group), n in self.respondents.items():
            total.respondents[(question_id, None)] += n
        for source, target in ((self.choices, total.choices), (self.scales, total.scales)):
            for (question_id, _group), counts in source.items():
                into = target[(question_id, None)]
                for value, n in counts.items():
                    into[value] = into.get(value, 0) + n
        return total


def _tally(answers, questions: list[Question], *, group_by: str | None = None) -> _Tally:
    """Count the answers per question (and group): one GROUP BY over (question, option, value) — a single choice, a
    scale value or a text is one row per respondent, so those rows count the respondents too — and, only for the
    questions where a respondent has several rows (multiple choice, per session), a second one counting distinct
    responses (the costly part, kept to those questions)."""
    extra = [f"response__{group_by}"] if group_by else []
    tally = _Tally()
    kinds = {q.pk: q.kind for q in questions}
    several = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE or q.per_session]
    for row in answers.values("question_id", "choice", "value", *extra).annotate(n=Count("id")).order_by():
        key = (row["question_id"], row[extra[0]] if extra else None)
        kind = kinds.get(row["question_id"])
        if kind == QuestionKind.SCALE and row["value"] is not None:
            tally.scales[key][row["value"]] = row["n"]
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and row["choice"] is not None:
            tally.choices[key][row["choice"]] = row["n"]
        if row["question_id"] not in several:
            tally.respondents[key] += row["n"]
    if several:
        rows = (
            answers.filter(question_id__in=several)
            .values("question_id", *extra)
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
        for row in rows:
            tally.respondents[(row["question_id"], row[extra[0]] if extra else None)] = row["n"]
    return tally


def _per_rating(spec, respondents: int, counts: dict[int, int]):
    """A per-session question over a whole survey: each response rated every session, so the shares are of the
    ratings; shown only when enough people (not ratings) answered."""
    if not survey_rules.shown(respondents):
        return survey_rules.QuestionResult(spec.id, spec.kind, respondents, False)
    ratings = sum(counts.values())
    rated = survey_rules.question_result(spec, respondents=ratings, scale_counts=counts, choice_counts=counts)
    rated.respondents = respondents
    return rated


def _results(
    *, survey: Survey, survey_ids: list[int], questions: list[Question], period: HalfYear | None,
    breakdown: str | None, with_texts: bool = True,
) -> SurveyResults:  # fmt: skip
    """The results over the answers of ``survey_ids`` (one survey, or every survey of a questionnaire)."""
    responses = SurveyResponse.objects.filter(survey_id__in=survey_ids)
    answers = SurveyAnswer.objects.filter(survey_id__in=survey_ids)
    if period is not None:
        responses, answers = responses.filter(period=str(period)), answers.filter(period=str(period))
    if breakdown is None:
        total = responses.count()
        groups: list[tuple[str, str, int, bool]] = []
    else:
        per_group = {
            row[breakdown]: row["n"] for row in responses.values(breakdown).annotate(n=Count("id")).order_by(breakdown)
        }
        total = sum(per_group.values())
        groups = [(g, _group_label(breakdown, g), n, survey_rules.shown(n)) for g, n in per_group.items()]
    grouped = _tally(answers, questions, group_by=breakdown) if breakdown is not None else None
    tally = grouped.overall() if grouped is not None else _tally(answers, questions)
    text_ids = [
        q.pk for q in questions if q.kind == QuestionKind.TEXT and survey_rules.shown(tally.respondents[(q.pk, None)])
    ]
    texts: dict[int, list[str]] = defaultdict(list)
    if with_texts and text_ids:  # read only where they are shown
        for question_id, text in answers.filter(question_id__in=text_ids).values_list("question_id", "text"):
            texts[question_id].append(text)
    blocks: list[QuestionBlock] = []
    for question in questions:
        spec = _spec(question)
        key = (question.pk, None)
        n = tally.respondents.get(key, 0)
        if question.per_session:
            result = _per_rating(spec, n, tally.scales.get(key) or tally.choices.get(key) or {})
        else:
            result = survey_rules.question_result(
                spec, respondents=n, choice_counts=tally.choices.get(key), scale_counts=tally.scales.get(key),
                texts=texts.get(question.pk, ()),
            )  # fmt: skip
        block = QuestionBlock(question, result)
        if grouped is not None:
            for group, label, group_n, group_shown in groups:
                gkey = (question.pk, group)
                if not group_shown:
                    block.groups.append(GroupResult(group, label, group_n, False, None))
                    continue
                gn = grouped.respondents.get(gkey, 0)
                if question.per_session:
                    gresult = _per_rating(spec, gn, grouped.scales.get(gkey) or grouped.choices.get(gkey) or {})
                else:
                    # a group's free texts are not listed: the whole survey's list has them, in no order
                    gresult = survey_rules.question_result(
                        spec, respondents=gn, choice_counts=grouped.choices.get(gkey),
                        scale_counts=grouped.scales.get(gkey),
                    )  # fmt: skip
                block.groups.append(GroupResult(group, label, group_n, True, gresult))
        blocks.append(block)
    return SurveyResults(survey, period, breakdown, total, blocks, groups)


def _breakdown(breakdown: str | None) -> str | None:
    if breakdown in (None, ""):
        return None
    if breakdown not in survey_rules.BREAKDOWNS:
        raise ValidationError(
            {"by": _("Results are broken down by rank or by kind of unit (by=rank or by=unit_kind).")}
        )
    return breakdown


def survey_results(*, survey: Survey, period: HalfYear | None = None, breakdown: str | None = None) -> SurveyResults:
    """Each question's result over the survey's responses (of the half year when given); with ``breakdown``
    ("rank" or "unit_kind") also per group — a group of fewer than 5 respondents shows nothing but that."""
    breakdown = _breakdown(breakdown)
    return _results(survey=survey, survey_ids=[survey.pk], questions=_questions(survey), period=period,
                    breakdown=breakdown)  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Half-year summary


@dataclass
class QuestionComparison:
    question: Question
    now: survey_rules.QuestionResult
    before: survey_rules.QuestionResult | None
    share_changes: list[Decimal | None]  # per option (or scale value), in points
    mean_change: Decimal | None


@dataclass
class HalfYearSummary:
    survey: Survey
    period: HalfYear
    previous_period: HalfYear
    results: SurveyResults
    previous: SurveyResults
    questions: list[QuestionComparison]
    texts: list[tuple[Question, list[str]]]  # free-text answers, each list sorted (never in the order answered)


def half_year_summary(*, survey: Survey, period: HalfYear) -> HalfYearSummary:
    """The survey's results of ``period`` beside the previous half year's of the same questionnaire (any survey of
    it), with each option's change of share and each scale's change of mean."""
    questions = _questions(survey)
    now = _results(survey=survey, survey_ids=[survey.pk], questions=questions, period=period, breakdown=None)
    previous_period = period.previous()
    same_questionnaire = list(
        Survey.objects.filter(questionnaire_id=survey.questionnaire_id).values_list("pk", flat=True)
    )
    before = _results(survey=survey, survey_ids=same_questionnaire, questions=questions, period=previous_period,
                      breakdown=None, with_texts=False)  # fmt: skip
    comparisons: list[QuestionComparison] = []
    for block_now, block_before in zip(now.questions, before.questions, strict=True):
        a, b = block_now.result, block_before.result
        previous = b if b.shown else None
        shares: list[Decimal | None] = []
        if a.shown and a.choices:
            for i, tally in enumerate(a.choices):
                old = previous.choices[i].share if previous and i < len(previous.choices) else None
                shares.append(survey_rules.change(tally.share, old))
        mean_change = survey_rules.change(a.mean, previous.mean if previous else None)
        comparisons.append(QuestionComparison(block_now.question, a, previous, shares, mean_change))
    texts = [(block.question, block.result.texts) for block in now.questions if block.result.texts]
    return HalfYearSummary(survey, period, previous_period, now, before, comparisons, texts)


def survey_periods(*, survey: Survey) -> list[HalfYear]:
    """The half years the survey was open in (a summary per each)."""
    from kunshan_training.half_years import half_years_between

    return half_years_between(survey.opens_on, survey.closes_on)


# ---------------------------------------------------------------------------------------------------
# A class's evaluation


@dataclass
class GroupMeans:
    """The per-session questions' means over a teacher's (or a course's) sessions."""

    label: str
    sessions: int
    respondents: int
    shown: bool
    means: list[tuple[Question, Decimal | None]]  # empty when not shown


@dataclass
class ClassEvaluation:
    training_class: TrainingClass
    survey: Survey | None
    responses: int
    shown: bool
    per_session_questions: list[Question]
    teachers: list[GroupMeans]
    courses: list[GroupMeans]
    questions: list[QuestionBlock]  # the class-wide questions


def _session_groups(
    answers, sessions: list[ClassSession], questions: list[Question], *, fields: tuple[str, str], label_of
) -> list[GroupMeans]:
    """The per-session questions' means per group of sessions (a teacher: ``fields`` the session's teacher and
    outside teacher; a course: its course and topic). One GROUP BY: per question and group, the ratings, their sum
    and the distinct respondents (a group is shown from 5 of them)."""
    rows = (
        answers.values("question_id", *fields)
        .annotate(n=Count("id"), total=Sum("value"), people=Count("response_id", distinct=True))
        .order_by()
    )
    tallies: dict[tuple, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    for row in rows:
        tallies[(row[fields[0]], row[fields[0]] is None and row[fields[1]] or "")][row["question_id"]] = (
            row["n"], row["total"] or 0, row["people"],
        )  # fmt: skip
    groups: dict[tuple, list[ClassSession]] = defaultdict(list)
    for session in sessions:
        first = getattr(session, fields[0].removeprefix("session__"))
        second = getattr(session, fields[1].removeprefix("session__"))
        groups[(first, second if first is None else "")].append(session)
    out: list[GroupMeans] = []
    for key, members in groups.items():
        counts = tallies.get(key, {})
        people = max((c[2] for c in counts.values()), default=0)
        shown = survey_rules.shown(people)
        means = []
        if shown:
            for question in questions:
                ratings, total, _people = counts.get(question.pk, (0, 0, 0))
                means.append((question, survey_rules.mean(total, ratings)))
        out.append(GroupMeans(label_of(members[0]) or _("(not named)"), len(members), people, shown, means))
    return out


def _teacher(session: ClassSession) -> str:
    return session.teacher.name if session.teacher_id else session.teacher_name


def _course(session: ClassSession) -> str:
    return session.course.title if session.course_id else session.topic


def class_evaluation(*, training_class: TrainingClass) -> ClassEvaluation:
    """The class's anonymous evaluation: how many answered, the per-session questions' means per teacher and per
    course (each group shown from 5 respondents), and the class-wide questions' results. A fixed number of
    queries."""
    survey = Survey.objects.filter(training_class=training_class).select_related("questionnaire").first()
    if survey is None:
        return ClassEvaluation(training_class, None, 0, False, [], [], [], [])
    questions = _questions(survey)
    per_session = [q for q in questions if q.per_session and q.kind == QuestionKind.SCALE]
    overall = [q for q in questions if not q.per_session]
    responses = SurveyResponse.objects.filter(survey=survey).count()
    shown = survey_rules.shown(responses)
    sessions = _sessions(survey)
    teachers: list[GroupMeans] = []
    courses: list[GroupMeans] = []
    if shown and per_session and sessions:
        answers = SurveyAnswer.objects.filter(survey=survey, session__isnull=False, question__in=per_session)
        teachers = _session_groups(answers, sessions, per_session, fields=("session__teacher_id",
                                   "session__teacher_name"), label_of=_teacher)  # fmt: skip
        courses = _session_groups(answers, sessions, per_session, fields=("session__course_id", "session__topic"),
                                  label_of=_course)  # fmt: skip
    blocks = (
        _results(survey=survey, survey_ids=[survey.pk], questions=overall, period=None, breakdown=None).questions
        if shown
        else []
    )
    return ClassEvaluation(training_class, survey, responses, shown, per_session, teachers, courses, blocks)


# How long a half-year summary is kept (its key changes with every new answer anyway).
SUMMARY_CACHE_SECONDS = 3600


def cached_half_year_summary(*, survey: Survey, period: HalfYear) -> HalfYearSummary:
    """``half_year_summary`` kept in the cache under the number of responses it counts (this half year's of the
    survey, the previous one's of the questionnaire): a new answer changes the key, the nightly mix changes no figure,
    and a questionnaire with answers cannot change. With no answer at all nothing is kept (its questions may still
    change). Two counts instead of the GROUP BYs over every answer (bench/surveys_results.py)."""
    now = SurveyResponse.objects.filter(survey=survey, period=str(period)).count()
    before = SurveyResponse.objects.filter(
        survey__questionnaire_id=survey.questionnaire_id, period=str(period.previous())
    ).count()
    if not (now or before):
        return half_year_summary(survey=survey, period=period)
    # the code and the time it was made as well as the id: an id can come again (a reset demo, a test database)
    made = survey.created_at.timestamp() if survey.created_at else ""
    key = f"courses:survey-summary:{survey.pk}:{survey.code}:{made}:{period}:{now}:{before}"
    summary = cache.get(key)
    if summary is None:
        summary = half_year_summary(survey=survey, period=period)
        cache.set(key, summary, SUMMARY_CACHE_SECONDS)
    summary.survey = survey  # the survey as it is now (its title or dates may have changed)
    return summary
