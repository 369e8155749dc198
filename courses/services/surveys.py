"""Writes to questionnaires and surveys (RULES §5 需求调查; seed 002 annex 1): templates of questions, surveys put
to units and ranks between two dates, and the anonymous answers.

Anonymity is kept here as much as in the models: ``answer_survey`` writes the "has answered" row and the answer rows
in one transaction but never links them, returns nothing (no id of the response leaves this module) and audits
nothing about the answer. ``mix_responses`` rewrites a survey's rows with fresh random ids in a random order, so
neither the physical row order nor the writing transaction lines an answer up with a participation.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from kunshan_training.half_years import HalfYear
from organisation.models import Official, Rank, Unit
from organisation.roles import is_org_staff

from .. import survey_rules
from ..models import (
    NeedLevel,
    Question,
    Questionnaire,
    QuestionnairePurpose,
    QuestionTopic,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)

MAX_CODE = 32
MAX_SURVEY_CODE = 40
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
# Rows written per INSERT when a survey's answers are rewritten (50,000 answers stay a few statements).
BATCH = 2000


class AlreadyAnswered(ValidationError):
    """The official has answered this survey before (the API answers 409; a page shows the words)."""


def _require_staff(by, message: str | None = None) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(message or _("Only the training section may do this."))


def _audit_update(by, instance, old: dict) -> None:
    changed_old, changed_new = diff(old, snapshot(instance))
    if changed_new:
        log_change(actor=by, instance=instance, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)


def _text(value, *, field: str, limit: int, required: bool, message: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = _("Write it as text.")
        return ""
    if required and not text:
        errors[field] = message
    elif len(text) > limit:
        errors[field] = _("At most %(n)s characters.") % {"n": limit}
    return text


def _code(value, *, model, limit: int, errors: dict, field: str = "code") -> str:
    """A new code for ``model``: letters, digits, "-" and "_", not taken yet."""
    code = value.strip() if isinstance(value, str) else ""
    if not code:
        errors[field] = _("Give it a code.")
    elif len(code) > limit or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        errors[field] = _("A code has at most %(n)s letters, digits, “-” or “_”.") % {"n": limit}
    elif model.objects.filter(code=code).exists():
        errors[field] = _("The code “%(code)s” is taken.") % {"code": code}
    return code


# ---------------------------------------------------------------------------------------------------
# Questionnaires


def _question_rows(questions, *, purpose: str) -> list[Question]:
    """The questions as unsaved rows (``order`` from 1), or ValidationError {"questions": [...]} naming each wrong
    question by its number."""
    if not isinstance(questions, (list, tuple)) or not questions:
        raise ValidationError({"questions": [_("Add at least one question.")]})
    if len(questions) > survey_rules.MAX_QUESTIONS:
        raise ValidationError(
            {"questions": [_("A questionnaire has at most %(n)s questions.") % {"n": survey_rules.MAX_QUESTIONS}]}
        )
    rows: list[Question] = []
    messages: list[str] = []
    for number, raw in enumerate(questions, start=1):
        if not isinstance(raw, Mapping):
            messages.append(_("Question %(n)s: it is not a question.") % {"n": number})
            continue
        kind = raw.get("kind") or ""
        text = raw.get("text") if isinstance(raw.get("text"), str) else ""
        choices = raw.get("choices") or []
        if not isinstance(choices, (list, tuple)) or not all(isinstance(c, str) for c in choices):
            messages.append(_("Question %(n)s: the options are a list of words.") % {"n": number})
            continue
        problems = list(survey_rules.check_question(kind=kind, text=text, choices=choices).values())
        topic, need = raw.get("topic") or "", raw.get("need") or ""
        if topic and topic not in QuestionTopic.values:
            problems.append(_("unknown topic “%(value)s”.") % {"value": topic})
        if need and need not in NeedLevel.values:
            problems.append(_("unknown level of need “%(value)s”.") % {"value": need})
        per_session = bool(raw.get("per_session", False))
        if per_session and purpose != QuestionnairePurpose.CLASS_EVALUATION:
            problems.append(_("only a class evaluation asks a question for each session."))
        for problem in problems:
            messages.append(_("Question %(n)s: %(problem)s") % {"n": number, "problem": problem})
        rows.append(
            Question(
                order=number,
                kind=kind,
                text=text.strip(),
                choices=[c.strip() for c in choices],
                required=bool(raw.get("required", True)),
                topic=topic,
                need=need,
                per_session=per_session,
            )  # fmt: skip
        )
    if messages:
        raise ValidationError({"questions": messages})
    return rows


def _has_answers(questionnaire: Questionnaire) -> bool:
    return SurveyResponse.objects.filter(survey__questionnaire=questionnaire).exists()


@transaction.atomic
def create_questionnaire(
    *, by, code: str, title: str, purpose: str, description: str = "", questions: list[dict]
) -> Questionnaire:
    """A new questionnaire with its questions (kind, text, choices, required, topic, need, per_session each)."""
    _require_staff(by, _("Only the training section writes questionnaires."))
    errors: dict[str, str] = {}
    code = _code(code, model=Questionnaire, limit=MAX_CODE, errors=errors)
    title = _text(title, field="title", limit=MAX_TITLE, required=True, message=_("Give it a title."), errors=errors)
    description = _text(description, field="description", limit=MAX_DESCRIPTION, required=False, message="",
                        errors=errors)  # fmt: skip
    if purpose not in QuestionnairePurpose.values:
        errors["purpose"] = _("Unknown purpose “%(value)s”.") % {"value": purpose}
    elif purpose == QuestionnairePurpose.CLASS_EVALUATION:
        errors["purpose"] = _("Classes are evaluated with the ready-made evaluation; copy it to change it.")
    if errors:
        raise ValidationError(errors)
    rows = _question_rows(questions, purpose=purpose)
    questionnaire = Questionnaire.objects.create(code=code, title=title, purpose=purpose, description=description,
                                                 created_by=by)  # fmt: skip
    for row in rows:
        row.questionnaire = questionnaire
    Question.objects.bulk_create(rows)
    log_change(actor=by, instance=questionnaire, action=ChangeLog.Action.CREATE,
               new={**snapshot(questionnaire), "questions": len(rows)})  # fmt: skip
    return questionnaire


@transaction.atomic
def update_questionnaire(
    *, by, questionnaire: Questionnaire, title: str | None = None, description: str | None = None,
    questions: list[dict] | None = None,
) -> Questionnaire:  # fmt: skip
    """Change a questionnaire's title, description or questions (all of them, replaced) — never a ready-made one,
    and not once a survey of it has an answer (the half years would no longer compare)."""
    _require_staff(by, _("Only the training section writes questionnaires."))
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.builtin:
        raise ValidationError(_("A ready-made questionnaire cannot be changed; copy it and change the copy."))
    if _has_answers(questionnaire):
        raise ValidationError(
            _("A survey of this questionnaire has answers, so it can no longer change; copy it and change the copy.")
        )
    errors: dict[str, str] = {}
    old = snapshot(questionnaire)
    if title is not None:
        questionnaire.title = _text(title, field="title", limit=MAX_TITLE, required=True,
                                    message=_("Give it a title."), errors=errors)  # fmt: skip
    if description is not None:
        questionnaire.description = _text(description, field="description", limit=MAX_DESCRIPTION, required=False,
                                          message="", errors=errors)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    questionnaire.save()
    if questions is not None:
        rows = _question_rows(questions, purpose=questionnaire.purpose)
        questionnaire.questions.all().delete()
        for row in rows:
            row.questionnaire = questionnaire
        Question.objects.bulk_create(rows)
    changed_old, changed_new = diff(old, snapshot(questionnaire))
    if questions is not None:
        changed_new["questions"] = len(questions)
    if changed_new:
        log_change(actor=by, instance=questionnaire, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return questionnaire


@transaction.atomic
def copy_questionnaire(*, by, questionnaire: Questionnaire, code: str, title: str) -> Questionnaire:
    """A changeable copy (not ready-made) with the same questions."""
    _require_staff(by, _("Only the training section writes questionnaires."))
    errors: dict[str, str] = {}
    code = _code(code, model=Questionnaire, limit=MAX_CODE, errors=errors)
    title = _text(title, field="title", limit=MAX_TITLE, required=True, message=_("Give it a title."), errors=errors)
    if errors:
        raise ValidationError(errors)
    copy = Questionnaire.objects.create(code=code, title=title, purpose=questionnaire.purpose,
                                        description=questionnaire.description, created_by=by)  # fmt: skip
    Question.objects.bulk_create(
        Question(
            questionnaire=copy,
            order=q.order,
            kind=q.kind,
            text=q.text,
            choices=list(q.choices),
            required=q.required,
            topic=q.topic,
            need=q.need,
            per_session=q.per_session,
        )  # fmt: skip
        for q in questionnaire.questions.all()
    )
    log_change(actor=by, instance=copy, action=ChangeLog.Action.CREATE,
               new={**snapshot(copy), "copied_from": questionnaire.code})  # fmt: skip
    return copy


# ---------------------------------------------------------------------------------------------------
# Surveys

SURVEY_FIELDS = ("code", "title", "questionnaire", "opens_on", "closes_on", "ranks", "training_class")


def survey_snapshot(survey: Survey) -> dict:
    """The survey for the audit log, its units by code (the snapshot of a many-to-many would be objects)."""
    # a class evaluation has no units (its trainees are asked): no query for them
    units = sorted(survey.units.values_list("code", flat=True)) if survey.pk and not survey.training_class_id else []
    return {**snapshot(survey, fields=SURVEY_FIELDS), "units": units}


def _targets(units, ranks, errors: dict) -> tuple[list[Unit], list[str]]:
    units = list(units or ())
    if any(not isinstance(u, Unit) for u in units):
        errors["units"] = _("Choose units from the directory.")
    ranks = list(ranks or ())
    wrong = [r for r in ranks if r not in Rank.values]
    if wrong:
        errors["ranks"] = _("Unknown rank “%(value)s”.") % {"value": wrong[0]}
    return units, sorted(set(ranks), key=list(Rank.values).index) if not wrong else ranks


def _dates(opens_on, closes_on, errors: dict) -> None:
    if not isinstance(opens_on, date):
        errors["opens_on"] = _("Give the day it opens.")
    if not isinstance(closes_on, date):
        errors["closes_on"] = _("Give the day it closes.")
    elif isinstance(opens_on, date) and closes_on < opens_on:
        errors["closes_on"] = _("The closing day cannot be before the opening day.")


@transaction.atomic
def create_survey(
    *, by, code: str, title: str, questionnaire: Questionnaire, opens_on: date, closes_on: date,
    units: Iterable[Unit] = (), ranks: Iterable[str] = (),
) -> Survey:  # fmt: skip
    """A survey of ``questionnaire`` open from ``opens_on`` to ``closes_on`` (both included) to the officials of
    ``units`` and of ``ranks`` (either empty: all). Class evaluations are opened by closing a class instead."""
    _require_staff(by, _("Only the training section puts surveys."))
    errors: dict[str, str] = {}
    code = _code(code, model=Survey, limit=MAX_SURVEY_CODE, errors=errors)
    title = _text(title, field="title", limit=MAX_TITLE, required=True, message=_("Give it a title."), errors=errors)
    if questionnaire.purpose == QuestionnairePurpose.CLASS_EVALUATION:
        errors["questionnaire"] = _("A class evaluation is opened when its class is closed, not as a survey.")
    elif not questionnaire.questions.exists():
        errors["questionnaire"] = _("This questionnaire has no questions.")
    _dates(opens_on, closes_on, errors)
    units, ranks = _targets(units, ranks, errors)
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(code=code, title=title, questionnaire=questionnaire, opens_on=opens_on,
                                   closes_on=closes_on, ranks=ranks, created_by=by)  # fmt: skip
    survey.units.set(units)
    log_change(actor=by, instance=survey, action=ChangeLog.Action.CREATE, new=survey_snapshot(survey))
    return survey


@transaction.atomic
def update_survey(
    *, by, survey: Survey, title: str | None = None, opens_on: date | None = None, closes_on: date | None = None,
    units: Iterable[Unit] | None = None, ranks: Iterable[str] | None = None,
) -> Survey:  # fmt: skip
    """Change a survey's title, dates or targets (a class evaluation's targets are its trainees, fixed)."""
    _require_staff(by, _("Only the training section changes surveys."))
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    errors: dict[str, str] = {}
    old = survey_snapshot(survey)
    if title is not None:
        survey.title = _text(title, field="title", limit=MAX_TITLE, required=True, message=_("Give it a title."),
                             errors=errors)  # fmt: skip
    new_opens = survey.opens_on if opens_on is None else opens_on
    new_closes = survey.closes_on if closes_on is None else closes_on
    _dates(new_opens, new_closes, errors)
    if survey.training_class_id and (units is not None or ranks is not None):
        errors["units"] = _("A class evaluation asks the class's trainees; it has no other targets.")
    new_units, new_ranks = _targets(units, ranks, errors)
    if errors:
        raise ValidationError(errors)
    survey.opens_on, survey.closes_on = new_opens, new_closes
    if ranks is not None:
        survey.ranks = new_ranks
    survey.save()
    if units is not None:
        survey.units.set(new_units)
    changed_old, changed_new = diff(old, survey_snapshot(survey))
    if changed_new:
        log_change(actor=by, instance=survey, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return survey


# ---------------------------------------------------------------------------------------------------
# Answers


def _respondent(by) -> Official:
    official = Official.objects.filter(user=by).select_related("unit").first() if by.is_authenticated else None
    if official is None:
        raise PermissionDenied(_("Only an official answers a survey."))
    return official


def asks(survey: Survey, official: Official) -> bool:
    """Whether ``survey`` asks ``official``: a class evaluation its active trainees, any other survey its target
    units and ranks (empty: everyone)."""
    from ..selectors.surveys import asked_officials  # the one definition of whom a survey asks (no import cycle)

    return asked_officials(survey).filter(pk=official.pk).exists()


def _lock_answers(survey: Survey) -> None:
    """The survey's row locked for the transaction: answers and a mix of the answers take turns (a mix reads, deletes
    and rewrites the rows; an answer written meanwhile would be lost or half-read)."""
    Survey.objects.select_for_update(no_key=True).filter(pk=survey.pk).first()


def _already_answered() -> AlreadyAnswered:
    return AlreadyAnswered(_("You have answered this survey already; each official answers once."),
                           code="answered")  # fmt: skip


def answer_rows(*, response: SurveyResponse, values: Iterable[survey_rules.AnswerValue]) -> list[SurveyAnswer]:
    """The rows of a response's answers (random ids, the response's survey and half year copied for the counts)."""
    return [
        SurveyAnswer(
            id=uuid.uuid4(),
            response=response,
            survey_id=response.survey_id,
            period=response.period,
            question_id=v.question_id,
            session_id=v.session_id,
            choice=v.choice,
            value=v.value,
            text=v.text,
        )
        for v in values
    ]


def answer_survey(*, by, survey: Survey, answers: Mapping[str, object], today: date | None = None) -> None:
    """``by`` (an official asked by the survey, while it is open, once) answers it. Stored: that they answered
    (SurveyParticipation) and, unlinked to it, one anonymous response with the half year and the respondent's rank
    and kind of unit, and its answers. Returns nothing and audits nothing of it (no id of the response leaves)."""
    from ..selectors.surveys import question_specs  # reads live with the selectors; imported late (no cycle)

    official = _respondent(by)
    if not asks(survey, official):
        raise PermissionDenied(_("This survey does not ask you."))
    today = today or timezone.localdate()
    if today < survey.opens_on:
        raise ValidationError(_("This survey opens on %(day)s.") % {"day": survey.opens_on.isoformat()})
    if today > survey.closes_on:
        raise ValidationError(_("This survey closed on %(day)s.") % {"day": survey.closes_on.isoformat()})
    if SurveyParticipation.objects.filter(survey=survey, official=official).exists():
        raise _already_answered()
    if not isinstance(answers, Mapping):
        raise ValidationError(_("Send the answers as question → answer."))
    values, errors = survey_rules.check_answers(question_specs(survey=survey), answers)
    if errors:
        raise ValidationError(errors)
    if not values:
        raise ValidationError(_("Answer at least one question."))
    period = str(HalfYear.of(today))
    try:
        with transaction.atomic():
            _lock_answers(survey)
            SurveyParticipation.objects.create(survey=survey, official=official)
            response = SurveyResponse.objects.create(survey=survey, period=period, rank=official.rank,
                                                     unit_kind=official.unit.kind)  # fmt: skip
            SurveyAnswer.objects.bulk_create(answer_rows(response=response, values=values))
    except IntegrityError:
        # Two submissions at once: the unique (survey, official) constraint lets one through; the other is told
        # the same as a second answer, and its rows were rolled back with the savepoint.
        raise _already_answered() from None


def _shuffled(rows: Sequence) -> list:
    rows = list(rows)
    random.SystemRandom().shuffle(rows)
    return rows


@transaction.atomic
def mix_responses(*, survey: Survey) -> int:
    """Rewrite the survey's responses, answers and participations with new random ids in a random order (delete +
    insert in one transaction), so neither the rows' physical order (PostgreSQL's ctid) nor the transaction that
    wrote them (xmin) lines an answer up with an official's "has answered" row. Returns the number of responses."""
    _lock_answers(survey)
    responses = list(SurveyResponse.objects.filter(survey=survey).values("id", "period", "rank", "unit_kind"))
    answers = list(
        SurveyAnswer.objects.filter(survey=survey).values(
            "response_id", "period", "question_id", "session_id", "choice", "value", "text"
        )
    )
    officials = list(SurveyParticipation.objects.filter(survey=survey).values_list("official_id", flat=True))
    new_ids = {row["id"]: uuid.uuid4() for row in responses}
    SurveyAnswer.objects.filter(survey=survey).delete()
    SurveyResponse.objects.filter(survey=survey).delete()
    SurveyParticipation.objects.filter(survey=survey).delete()
    SurveyResponse.objects.bulk_create(
        (SurveyResponse(id=new_ids[r["id"]], survey=survey, period=r["period"], rank=r["rank"],
                        unit_kind=r["unit_kind"]) for r in _shuffled(responses)),
        batch_size=BATCH,
    )  # fmt: skip
    SurveyAnswer.objects.bulk_create(
        (SurveyAnswer(id=uuid.uuid4(), response_id=new_ids[a["response_id"]], survey=survey, period=a["period"],
                      question_id=a["question_id"], session_id=a["session_id"], choice=a["choice"], value=a["value"],
                      text=a["text"]) for a in _shuffled(answers)),
        batch_size=BATCH,
    )  # fmt: skip
    SurveyParticipation.objects.bulk_create(
        (SurveyParticipation(id=uuid.uuid4(), survey=survey, official_id=o) for o in _shuffled(officials)),
        batch_size=BATCH,
    )
    return len(responses)
