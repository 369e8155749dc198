"""Writes to the reserve-cadre pool (RULES §6): the decision, trainings, written exams, oral defenses, practice,
talks with the contact leader, half-yearly reflections, the yearly assessment, and leaving the pool (disqualified
with a reason code and a note, or appointed). Pages, the API, imports and the demo call these.

Who may: the training section everything; a unit's study administrator the talks, reflections and yearly assessment
(appraisal) of their own unit's reserves. Only an active reserve's file takes new entries. One exam, defense,
training, reflection (per half year) and assessment per reserve and year: entering it again replaces it (audited).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from credits.evidence import read_upload, replace_stored_file, sniff
from kunshan_training.years import is_valid_year, year_error
from organisation.models import Official
from organisation.roles import is_org_staff, scope_of

from .. import rules
from ..models import (
    AppraisalResult,
    Defense,
    DisqualifyReason,
    Exam,
    ExaminerScore,
    Level,
    Practice,
    PracticeKind,
    Reflection,
    Reserve,
    ReserveStatus,
    ReserveTraining,
    Stream,
    Talk,
    YearlyAssessment,
)

MAX_NOTE = 1000
MAX_TITLE = 200
MAX_NAME = 100
PERIOD = re.compile(r"^(\d{4})H([12])$")
TWO_PLACES = Decimal("0.01")

# The messages of rules.DefenseProblem (rules.py is pure: it names them, this marks them for translation).
DEFENSE_MESSAGES = (
    gettext_noop("A defense has %(low)s to %(high)s examiners, not %(count)s."),
    gettext_noop("Each examiner scores from 0 to 100; %(score)s is outside."),
    gettext_noop("Unknown vote “%(vote)s”."),
    gettext_noop("A number of votes cannot be negative."),
    gettext_noop("An evaluation group has %(low)s to %(high)s voters, not %(count)s."),
)


# ---------------------------------------------------------------------------------------------------
# Who may act, and plain checks


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section may do this."))


def _require_reserve_unit(by, reserve: Reserve) -> None:
    """The training section, or the study administrator of the reserve's unit."""
    if is_org_staff(by):
        return
    scope = scope_of(by)
    if scope.unit_id is None or scope.unit_id != reserve.official.unit_id:
        raise PermissionDenied(_("Only the unit's study administrator or the training section may do this."))


def _lock(reserve: Reserve) -> Reserve:
    """The reserve's row locked for this transaction (two entries for one reserve never interleave)."""
    return Reserve.objects.select_related("official__unit").select_for_update(of=("self",)).get(pk=reserve.pk)


def _require_active(reserve: Reserve) -> None:
    if reserve.status != ReserveStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is no longer in the reserve pool (%(status)s).")
            % {"name": reserve.official.name, "status": reserve.get_status_display()}
        )


def _today() -> date:
    return timezone.localdate()


def _date(value, field: str, *, required: bool = True, not_future: bool = True) -> date | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Give the date.")})
        return None
    if not isinstance(value, date):
        raise ValidationError({field: _("Give a date as YYYY-MM-DD.")})
    if not_future and value > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def _held_in_year(value, year: int, message: str) -> date | None:
    """An optional ``held_on`` of an exam or defense: a date in ``year``, not in the future (``message`` names the
    entry whose date is not in the year)."""
    held_on = _date(value, "held_on", required=False)
    if held_on is not None and held_on.year != year:
        raise ValidationError({"held_on": message % {"year": year}})
    return held_on


def _text(value, field: str, *, limit: int, required: bool, message: str | None = None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: message or _("This cannot be empty.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationError(
            {field: _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}}
        )
    return value


def _year(value, reserve: Reserve, field: str = "year") -> int:
    """A year in the portal's range, not before the reserve's decision and not after this year."""
    if not isinstance(value, int) or isinstance(value, bool) or not is_valid_year(value):
        raise ValidationError({field: year_error()})
    if value < reserve.decided_on.year:
        raise ValidationError(
            {
                field: _("%(year)s is before the reserve was decided on (%(date)s).")
                % {"year": value, "date": reserve.decided_on.isoformat()}
            }
        )
    if value > _today().year:
        raise ValidationError({field: _("%(year)s has not begun yet.") % {"year": value}})
    return value


def score_of(value, field: str = "score") -> Decimal:
    """A score from 0 to 100 with at most two decimals (a number or its text), or ValidationError."""
    if isinstance(value, bool):
        value = None
    try:
        score = Decimal(str(value).strip()) if isinstance(value, (int, float, str, Decimal)) else None
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise ValidationError({field: _("A score is a number from 0 to 100.")})
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({field: _("A score is from 0 to 100; %(score)s is outside.") % {"score": value}})
    if score != score.quantize(TWO_PLACES):
        raise ValidationError({field: _("A score has at most two decimals.")})
    return score.quantize(TWO_PLACES)


def _audit_create(by, instance, reason: str = "", extra: dict | None = None) -> None:
    log_change(
        actor=by,
        instance=instance,
        action=ChangeLog.Action.CREATE,
        new={**snapshot(instance), **(extra or {})},
        reason=reason[:500],
    )


def _audit_update(by, instance, old: dict, reason: str = "", extra: dict | None = None) -> None:
    changed_old, changed_new = diff(old, {**snapshot(instance), **(extra or {})})
    if changed_new:
        log_change(
            actor=by,
            instance=instance,
            action=ChangeLog.Action.UPDATE,
            old=changed_old,
            new=changed_new,
            reason=reason[:500],
        )


# ---------------------------------------------------------------------------------------------------
# The pool


@transaction.atomic
def add_reserve(
    *,
    by,
    official: Official,
    level: str,
    stream: str,
    decided_on: date,
    decision_document: str = "",
    contact_leader: str = "",
) -> Reserve:
    """Put an official in the pool (the training section records the county committee's decision)."""
    _require_staff(by)
    if not isinstance(official, Official):
        raise ValidationError({"official": _("Choose an official.")})
    _choice(level, Level, "level")
    _choice(stream, Stream, "stream")
    _date(decided_on, "decided_on")
    decision_document = _text(decision_document, "decision_document", limit=MAX_TITLE, required=False)
    contact_leader = _text(contact_leader, "contact_leader", limit=MAX_NAME, required=False)
    Official.objects.select_for_update().filter(pk=official.pk).first()  # one decision at a time per official
    if Reserve.objects.filter(official=official, status=ReserveStatus.ACTIVE).exists():
        raise ValidationError({"official": _("%(name)s is already in the reserve pool.") % {"name": official.name}})
    if rules.too_old(level, official.birth_date, decided_on):
        raise ValidationError(
            {
                "level": _("%(name)s is over the age limit for %(level)s on %(date)s.")
                % {"name": official.name, "level": Level(level).label, "date": decided_on.isoformat()}
            }
        )
    reserve = Reserve.objects.create(
        official=official,
        level=level,
        stream=stream,
        decided_on=decided_on,
        decision_document=decision_document,
        contact_leader=contact_leader,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _audit_create(by, reserve)
    return reserve


@transaction.atomic
def update_reserve(*, by, reserve: Reserve, **changes) -> Reserve:
    """Change the decision's details, the level, stream or contact leader of an active reserve (the training
    section)."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    allowed = {"level", "stream", "decided_on", "decision_document", "contact_leader"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old = snapshot(reserve)
    if "level" in changes:
        reserve.level = _choice(changes["level"], Level, "level")
    if "stream" in changes:
        reserve.stream = _choice(changes["stream"], Stream, "stream")
    if "decided_on" in changes:
        reserve.decided_on = _date(changes["decided_on"], "decided_on")
    if "decision_document" in changes:
        reserve.decision_document = _text(
            changes["decision_document"], "decision_document", limit=MAX_TITLE, required=False
        )
    if "contact_leader" in changes:
        reserve.contact_leader = _text(changes["contact_leader"], "contact_leader", limit=MAX_NAME, required=False)
    reserve.save()
    _audit_update(by, reserve, old)
    return reserve


@transaction.atomic
def disqualify(*, by, reserve: Reserve, reason: str, note: str, on: date | None = None) -> Reserve:
    """Take a reserve out of the pool (取消资格) with a reason code of RULES §6 and a note; they leave the published
    list. The flags only suggest: staff confirm here."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    _choice(reason, DisqualifyReason, "reason")
    note = _text(note, "note", limit=MAX_NOTE, required=True, message=_("Say why the reserve is disqualified."))
    on = _leaving_day(reserve, on)
    old = snapshot(reserve)
    reserve.status, reserve.left_on = ReserveStatus.DISQUALIFIED, on
    reserve.disqualify_reason, reserve.disqualify_note = reason, note
    reserve.save()
    _audit_update(by, reserve, old, reason=note)
    return reserve


@transaction.atomic
def appoint(*, by, reserve: Reserve, on: date | None = None) -> Reserve:
    """The reserve was appointed: they leave the pool (and the published list) as appointed."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    on = _leaving_day(reserve, on)
    old = snapshot(reserve)
    reserve.status, reserve.left_on = ReserveStatus.APPOINTED, on
    reserve.save()
    _audit_update(by, reserve, old)
    return reserve


def _leaving_day(reserve: Reserve, on) -> date:
    on = _date(on, "on", required=False) or _today()
    if on < reserve.decided_on:
        raise ValidationError(
            {
                "on": _("The date is before the reserve was decided on (%(date)s).")
                % {"date": reserve.decided_on.isoformat()}
            }
        )
    return on


# ---------------------------------------------------------------------------------------------------
# Training, exam and defense (the training section)


@transaction.atomic
def link_training(
    *, by, reserve: Reserve, year: int, training_class=None, title: str = "", days=None
) -> ReserveTraining:
    """The reserve's training of ``year``: the stream's growth class of the training organisation, or (until there
    is one) its title and days. Entering the year again replaces it."""
    from courses.models import ClassType, TrainingClass

    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    _year(year, reserve)
    title = _text(title, "title", limit=MAX_TITLE, required=False)
    if training_class is not None:
        if not isinstance(training_class, TrainingClass):
            raise ValidationError({"training_class": _("Choose a training class.")})
        if training_class.class_type != ClassType.GROWTH:
            raise ValidationError({"training_class": _("A reserve's yearly class is a growth training class.")})
        if training_class.starts_on.year != year:
            raise ValidationError({"training_class": _("The class does not start in %(year)s.") % {"year": year}})
        title = title or training_class.title
        days = training_class.days if days is None else days
    elif not title:
        raise ValidationError({"title": _("Choose a training class or give the training's title.")})
    if days is not None:
        try:
            days = Decimal(str(days))
        except InvalidOperation:
            days = Decimal(-1)
        if not days.is_finite() or not Decimal(0) < days <= Decimal(366) or days != days.quantize(Decimal("0.5")):
            raise ValidationError({"days": _("Days are a number of whole or half days, more than 0.")})
    row = ReserveTraining.objects.filter(reserve=reserve, year=year).first()
    old = snapshot(row) if row else None
    if row is None:
        row = ReserveTraining(reserve=reserve, year=year)
    row.training_class, row.title, row.days = training_class, title, days
    row.save()
    if old is None:
        _audit_create(by, row)
    else:
        _audit_update(by, row, old)
    return row


@transaction.atomic
def record_exam(*, by, reserve: Reserve, year: int, score, held_on: date | None = None) -> Exam:
    """The written exam of ``year`` (pass at 60 or more), on ``held_on`` if given (a day of that year, not in the
    future, not after that year's dated defense). Entering the year again replaces it (an empty date too); a failing
    score is refused while a defense of that year stands on the passed one."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    _year(year, reserve)
    score = score_of(score)
    held_on = _held_in_year(held_on, year, _("The exam's date is not in %(year)s."))
    exam = Exam.objects.filter(reserve=reserve, year=year).first()
    defense = Defense.objects.filter(reserve=reserve, year=year).first()
    if defense is not None and not rules.exam_passed(score):
        raise ValidationError(
            {
                "score": _("A defense of %(year)s is recorded on a passed exam; a failing score cannot replace it.")
                % {"year": year}
            }
        )
    if defense is not None and rules.defense_before_exam(held_on, defense.held_on):
        raise ValidationError(
            {
                "held_on": _(
                    "The exam cannot be after that year's defense (held on %(date)s): the defense comes after a "
                    "passed exam."
                )
                % {"date": defense.held_on.isoformat()}
            }
        )
    old = snapshot(exam) if exam else None
    if exam is None:
        exam = Exam(reserve=reserve, year=year)
    exam.held_on, exam.score, exam.entered_by = held_on, score, _user(by)
    exam.save()
    if old is None:
        _audit_create(by, exam)
    else:
        _audit_update(by, exam, old)
    return exam


def _panel(panel) -> list[Decimal]:
    if not isinstance(panel, (list, tuple)):
        raise ValidationError({"panel": _("Give each examiner's score.")})
    scores = []
    for value in panel:
        try:
            scores.append(score_of(value, field="panel"))
        except ValidationError as error:
            raise ValidationError(
                {
                    "panel": _(
                        "Each examiner scores from 0 to 100 with at most two decimals; “%(score)s” is not such a score."
                    )
                    % {"score": value}
                }
            ) from error
    return scores


def _votes(votes) -> dict[str, int]:
    if not isinstance(votes, Mapping):
        raise ValidationError({"votes": _("Give the number of each vote.")})
    counts = {}
    for key, value in votes.items():
        if key not in rules.VOTE_POINTS:
            raise ValidationError({"votes": _("Unknown vote “%(vote)s”.") % {"vote": key}})
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({"votes": _("A number of votes is a whole number.")})
        counts[key] = value
    return {key: counts.get(key, 0) for key in rules.VOTE_POINTS}


@transaction.atomic
def record_defense(
    *, by, reserve: Reserve, year: int, panel: Sequence, votes: Mapping[str, int], held_on: date | None = None
) -> Defense:
    """The oral defense of ``year``, only after that year's passed exam (on ``held_on`` if given: a day of that year,
    not in the future, not before the exam's date): each examiner's score (5–7, 0–100) and the vote counts (15–20
    voters) give the panel, vote and defense scores of RULES §6 (stored exactly, passed at 60 compared exactly).
    Entering the year again replaces it."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    _year(year, reserve)
    held_on = _held_in_year(held_on, year, _("The defense's date is not in %(year)s."))
    exam = Exam.objects.filter(reserve=reserve, year=year).first()
    if exam is None or not rules.exam_passed(exam.score):
        raise ValidationError(
            {
                "year": _("The defense comes after a passed written exam; %(name)s has no passed exam in %(year)s.")
                % {"name": reserve.official.name, "year": year}
            }
        )
    if rules.defense_before_exam(exam.held_on, held_on):
        raise ValidationError(
            {
                "held_on": _("The defense cannot be before that year's written exam (held on %(date)s).")
                % {"date": exam.held_on.isoformat()}
            }
        )
    scores, counts = _panel(panel), _votes(votes)
    try:
        result = rules.defense_result(scores, counts)
    except rules.DefenseProblem as problem:
        message = _(problem.message) % problem.params if problem.params else _(problem.message)
        raise ValidationError({problem.field: message}) from None
    defense = Defense.objects.filter(reserve=reserve, year=year).first()
    old = {**snapshot(defense), "panel": _panel_of(defense)} if defense else None
    if defense is None:
        defense = Defense(reserve=reserve, year=year)
    defense.held_on = held_on
    defense.excellent, defense.competent = counts["excellent"], counts["competent"]
    defense.basically_competent, defense.incompetent = counts["basically_competent"], counts["incompetent"]
    defense.panel_score, defense.vote_score = result.panel_score, result.vote_score
    defense.score, defense.passed = result.score, result.passed
    defense.entered_by = _user(by)
    defense.save()
    defense.examiner_scores.all().delete()
    ExaminerScore.objects.bulk_create(
        [ExaminerScore(defense=defense, position=i, score=s) for i, s in enumerate(scores, start=1)]
    )
    # The instance keeps the exact scores (the row stores 8 decimals); either shows the same two decimals.
    panel_text = [str(s) for s in scores]
    if old is None:
        _audit_create(by, defense, extra={"panel": panel_text})
    else:
        _audit_update(by, defense, old, extra={"panel": panel_text})
    return defense


def _panel_of(defense: Defense) -> list[str]:
    return [str(row.score) for row in defense.examiner_scores.order_by("position")]


# ---------------------------------------------------------------------------------------------------
# Practice and follow-up


@transaction.atomic
def add_practice(
    *, by, reserve: Reserve, kind: str, place: str, starts_on: date, ends_on: date | None = None
) -> Practice:
    """A rotation or secondment (the training section): where, from, to (an empty end: still there)."""
    _require_staff(by)
    reserve = _lock(reserve)
    _require_active(reserve)
    _choice(kind, PracticeKind, "kind")
    place = _text(place, "place", limit=MAX_TITLE, required=True, message=_("Say where."))
    _date(starts_on, "starts_on", not_future=False)
    _date(ends_on, "ends_on", required=False, not_future=False)
    if starts_on < reserve.decided_on:
        raise ValidationError(
            {
                "starts_on": _("The practice starts before the reserve was decided on (%(date)s).")
                % {"date": reserve.decided_on.isoformat()}
            }
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end is before the start.")})
    practice = Practice.objects.create(reserve=reserve, kind=kind, place=place, starts_on=starts_on, ends_on=ends_on)
    _audit_create(by, practice)
    return practice


@transaction.atomic
def add_talk(*, by, reserve: Reserve, held_on: date, leader: str = "", note: str = "") -> Talk:
    """A talk with the contact leader (the training section or the reserve's unit); ``leader`` defaults to the
    reserve's contact leader."""
    _require_reserve_unit(by, reserve)
    reserve = _lock(reserve)
    _require_active(reserve)
    _date(held_on, "held_on")
    if held_on < reserve.decided_on:
        raise ValidationError(
            {
                "held_on": _("The talk is before the reserve was decided on (%(date)s).")
                % {"date": reserve.decided_on.isoformat()}
            }
        )
    leader = _text(
        leader or reserve.contact_leader,
        "leader",
        limit=MAX_NAME,
        required=True,
        message=_("Name the leader who held the talk."),
    )
    note = _text(note, "note", limit=MAX_NOTE, required=False)
    talk = Talk.objects.create(reserve=reserve, held_on=held_on, leader=leader, note=note, entered_by=_user(by))
    _audit_create(by, talk)
    return talk


def current_period(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


@transaction.atomic
def add_reflection(*, by, reserve: Reserve, period: str, title: str, upload=None) -> Reflection:
    """The reflection article of a half year (``period`` "2026H1"; the training section or the reserve's unit), with
    its file (a PDF, JPEG or PNG, checked by parsing it). Entering the half year again replaces it."""
    _require_reserve_unit(by, reserve)
    reserve = _lock(reserve)
    _require_active(reserve)
    match = PERIOD.match(period) if isinstance(period, str) else None
    if match is None:
        raise ValidationError({"period": _("A half year is written like 2026H1 or 2026H2.")})
    if not (current_period(reserve.decided_on) <= period <= current_period(_today())):
        raise ValidationError(
            {
                "period": _("%(period)s is not a half year from the decision (%(date)s) to now.")
                % {"period": period, "date": reserve.decided_on.isoformat()}
            }
        )
    title = _text(title, "title", limit=MAX_TITLE, required=True, message=_("Give the article's title."))
    data = kind = None
    if upload is not None:
        try:
            data = read_upload(upload)
            kind = sniff(data)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    row = Reflection.objects.filter(reserve=reserve, period=period).first()
    old = snapshot(row) if row else None
    if row is None:
        row = Reflection(reserve=reserve, period=period)
    row.title, row.entered_by = title, _user(by)
    if data is not None:
        replace_stored_file(row.file, data=data, kind=kind)
        row.file_type = kind
    row.save()
    if old is None:
        _audit_create(by, row)
    else:
        _audit_update(by, row, old)
    return row


@transaction.atomic
def record_assessment(*, by, reserve: Reserve, year: int, result: str, comment: str = "") -> YearlyAssessment:
    """The unit's yearly assessment of the reserve with the annual appraisal result (due by 25 December; the training
    section or the reserve's unit). Entering the year again replaces it."""
    _require_reserve_unit(by, reserve)
    reserve = _lock(reserve)
    _require_active(reserve)
    _year(year, reserve)
    _choice(result, AppraisalResult, "result")
    comment = _text(comment, "comment", limit=5000, required=False)
    row = YearlyAssessment.objects.filter(reserve=reserve, year=year).first()
    old = snapshot(row) if row else None
    if row is None:
        row = YearlyAssessment(reserve=reserve, year=year)
    row.result, row.comment, row.entered_by = result, comment, _user(by)
    row.save()
    if old is None:
        _audit_create(by, row)
    else:
        _audit_update(by, row, old)
    return row


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None
