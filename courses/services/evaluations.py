"""Class evaluations (RULES §5 追踪问效; seed 002 annex 4): when a class closes, its trainees evaluate it anonymously
(the ready-made ``class-evaluation`` questionnaire, per session: content and teacher; the organisation) and write a
named self-evaluation (what they learnt, before and after)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .. import survey_rules
from ..models import ClassStatus, Enrolment, Questionnaire, SelfEvaluation, Survey, TrainingClass
from ..questionnaire_data import CLASS_EVALUATION, ensure_questionnaires
from .surveys import survey_snapshot

MAX_TEXT = 5000


def evaluation_code(training_class: TrainingClass) -> str:
    return f"eval-{training_class.code}"


@transaction.atomic(savepoint=False)  # inside close_class's transaction: no savepoint of its own
def open_class_evaluation(*, training_class: TrainingClass, by=None) -> Survey:
    """The class's evaluation survey, open from today for EVALUATION_OPEN_DAYS days. Idempotent: an open one is
    left as it is; a closed one (the class closed again after a correction) is open again until EVALUATION_OPEN_DAYS
    from today."""
    today = timezone.localdate()
    closes_on = today + timedelta(days=survey_rules.EVALUATION_OPEN_DAYS)
    survey = Survey.objects.select_for_update().filter(training_class=training_class).first()
    if survey is not None:
        if survey.closes_on < today:
            old = survey_snapshot(survey)
            survey.closes_on = closes_on
            survey.save(update_fields=["closes_on"])
            changed_old, changed_new = diff(old, survey_snapshot(survey))
            log_change(actor=by, instance=survey, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
        return survey
    questionnaire = Questionnaire.objects.filter(code=CLASS_EVALUATION).first()
    if questionnaire is None:  # a test or a reset flushed the seeded rows
        ensure_questionnaires()
        questionnaire = Questionnaire.objects.get(code=CLASS_EVALUATION)
    code, n = evaluation_code(training_class), 1
    while Survey.objects.filter(code=code).exists():  # a survey someone named so by hand
        n += 1
        code = f"{evaluation_code(training_class)}-{n}"
    survey = Survey.objects.create(
        code=code,
        title=(_("Evaluation of %(title)s") % {"title": training_class.title})[:200],
        questionnaire=questionnaire,
        opens_on=today,
        closes_on=closes_on,
        training_class=training_class,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    log_change(actor=by, instance=survey, action=ChangeLog.Action.CREATE, new=survey_snapshot(survey))
    return survey


def trainee_enrolment(*, by, training_class: TrainingClass) -> Enrolment:
    """``by``'s active enrolment in the closed class, or PermissionDenied / ValidationError in plain words."""
    enrolment = (
        Enrolment.objects.filter(training_class=training_class, official__user=by, active=True)
        .select_related("official")
        .first()
        if getattr(by, "is_authenticated", False)
        else None
    )
    if enrolment is None:
        raise PermissionDenied(_("Only a trainee of this class may do this."))
    if training_class.status != ClassStatus.CLOSED:
        raise ValidationError(_("This is done once the class is closed."))
    return enrolment


def _scale(value, field: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[field] = _("Choose a value from %(low)s to %(high)s.") % {"low": 1, "high": 5}
        return None
    return value


def _free_text(value, field: str, errors: dict, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[field] = _("Write what you gained from the class.")
    elif len(text) > MAX_TEXT:
        errors[field] = _("At most %(n)s characters.") % {"n": MAX_TEXT}
    return text


@transaction.atomic
def submit_self_evaluation(
    *, by, training_class: TrainingClass, knowledge: str, inspiration: str = "", ideas: str = "", before: int,
    after: int,
) -> SelfEvaluation:  # fmt: skip
    """The trainee's self-evaluation of a closed class (named: it is fed back to their unit): what they learnt,
    what it inspired, new ideas, and how they rate themselves before and after (1–5). Sending it again replaces it."""
    enrolment = trainee_enrolment(by=by, training_class=training_class)
    errors: dict[str, str] = {}
    values = {
        "knowledge": _free_text(knowledge, "knowledge", errors, required=True),
        "inspiration": _free_text(inspiration, "inspiration", errors),
        "ideas": _free_text(ideas, "ideas", errors),
        "before": _scale(before, "before", errors),
        "after": _scale(after, "after", errors),
    }
    if errors:
        raise ValidationError(errors)
    row = SelfEvaluation.objects.filter(enrolment=enrolment).first()
    if row is None:
        row = SelfEvaluation.objects.create(enrolment=enrolment, **values)
        log_change(actor=by, instance=row, action=ChangeLog.Action.CREATE, new=snapshot(row))
        return row
    old = snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    changed_old, changed_new = diff(old, snapshot(row))
    changed_old.pop("submitted_at", None), changed_new.pop("submitted_at", None)
    if changed_new:
        log_change(actor=by, instance=row, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return row
