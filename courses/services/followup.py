"""Follow-up of closed classes (RULES §5 追踪问效; seed 002 annex 4): how long a class is followed up, the trainees'
study summaries, the forum 1–3 months after, the yearly sample of trainees and each sampled trainee's review. The
dates come from courses.followup_rules; each write checks who may act and is audited."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from credits.evidence import read_upload, replace_stored_file, sniff
from organisation.roles import is_org_staff

from .. import followup_rules
from ..models import (
    ClassStatus,
    Enrolment,
    FollowUpForum,
    FollowUpMethod,
    FollowUpOutcome,
    FollowUpReview,
    FollowUpSample,
    StudySummary,
    TrainingClass,
)
from .evaluations import trainee_enrolment

MAX_TITLE = 200
MAX_TEXT = 10000
MAX_SEED = 2**63 - 1  # the seed column is a signed 64-bit integer


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section may do this."))


def _require_closed(training_class: TrainingClass) -> None:
    if training_class.status != ClassStatus.CLOSED:
        raise ValidationError(_("A class is followed up once it is closed."))


def _audit_update(by, instance, old: dict) -> None:
    changed_old, changed_new = diff(old, snapshot(instance))
    if changed_new:
        log_change(actor=by, instance=instance, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)


def _whole(value, field: str, errors: dict, *, low: int, high: int, message: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = message
        return None
    return value


def _text(value, field: str, errors: dict, *, limit: int, required: str | None = None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[field] = required
    elif len(text) > limit:
        errors[field] = _("At most %(n)s characters.") % {"n": limit}
    return text


@transaction.atomic
def set_follow_up(*, by, training_class: TrainingClass, key_class: bool, years: int) -> TrainingClass:
    """Mark a class pilot or key (followed up 1–3 years) or not (one year)."""
    _require_staff(by)
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    errors: dict[str, str] = {}
    years = _whole(years, "years", errors, low=1, high=followup_rules.MAX_FOLLOW_UP_YEARS,
                   message=_("The years of follow-up are 1, 2 or 3."))  # fmt: skip
    if years is not None and years > 1 and not key_class:
        errors["years"] = _("Only a pilot or key class is followed up for more than one year.")
    if years is not None and "years" not in errors:
        later = FollowUpSample.objects.filter(training_class=training_class, round__gt=years).order_by("round").first()
        if later is not None:
            errors["years"] = _("The trainees of year %(round)s of follow-up are drawn already.") % {
                "round": later.round
            }
    if errors:
        raise ValidationError(errors)
    old = snapshot(training_class)
    training_class.key_class, training_class.follow_up_years = bool(key_class), years
    training_class.save(update_fields=["key_class", "follow_up_years"])
    _audit_update(by, training_class, old)
    return training_class


@transaction.atomic
def submit_study_summary(*, by, training_class: TrainingClass, title: str, text: str = "", file=None) -> StudySummary:
    """The trainee's study summary of a closed class: text, or a PDF or image (checked by parsing it, stored under a
    generated name). Sending it again replaces it (a new file replaces the old one)."""
    enrolment = trainee_enrolment(by=by, training_class=training_class)
    errors: dict[str, str] = {}
    title = _text(title, "title", errors, limit=MAX_TITLE, required=_("Give the summary a title."))
    text = _text(text, "text", errors, limit=MAX_TEXT)
    data = kind = None
    if file is not None:
        try:
            data = read_upload(file)
            kind = sniff(data)
        except ValidationError as error:
            errors["file"] = " ".join(error.messages)
    row = StudySummary.objects.filter(enrolment=enrolment).first()
    if not text and data is None and not (row and row.file):
        errors.setdefault("text", _("Write the summary or upload it as a PDF or image."))
    if errors:
        raise ValidationError(errors)
    old = snapshot(row) if row else None
    if row is None:
        row = StudySummary(enrolment=enrolment)
    row.title, row.text, row.submitted_by = title, text, by
    if data is not None:
        replace_stored_file(row.file, data=data, kind=kind)
        row.file_type = kind
    row.save()
    if old is None:
        log_change(actor=by, instance=row, action=ChangeLog.Action.CREATE, new=snapshot(row))
    else:
        _audit_update(by, row, old)
    return row


def _active_trainees(training_class: TrainingClass) -> int:
    return Enrolment.objects.filter(training_class=training_class, active=True).count()


@transaction.atomic
def record_forum(*, by, training_class: TrainingClass, held_on: date, attendees: int, summary: str) -> FollowUpForum:
    """A forum of the class's trainees (座谈会), held after the class and not in the future."""
    _require_staff(by)
    _require_closed(training_class)
    errors: dict[str, str] = {}
    if not isinstance(held_on, date):
        errors["held_on"] = _("Give the day it was held.")
    elif held_on <= training_class.ends_on:
        errors["held_on"] = _("A follow-up forum is held after the class (it ended on %(day)s).") % {
            "day": training_class.ends_on.isoformat()
        }
    elif held_on > timezone.localdate():
        errors["held_on"] = _("A forum is recorded once it has been held; this day is in the future.")
    trainees = _active_trainees(training_class)
    _whole(attendees, "attendees", errors, low=1, high=max(trainees, 1),
           message=_("The trainees attending are a whole number from 1 to %(n)s (the class's trainees).")
           % {"n": trainees})  # fmt: skip
    summary = _text(summary, "summary", errors, limit=MAX_TEXT, required=_("Write what was said."))
    if errors:
        raise ValidationError(errors)
    forum = FollowUpForum.objects.create(training_class=training_class, held_on=held_on, attendees=attendees,
                                         summary=summary, recorded_by=by)  # fmt: skip
    log_change(actor=by, instance=forum, action=ChangeLog.Action.CREATE, new=snapshot(forum))
    return forum


@transaction.atomic
def draw_follow_up_sample(
    *, by, training_class: TrainingClass, round: int, size: int | None = None, seed: int | None = None
) -> FollowUpSample:
    """Draw the trainees followed up in year ``round`` (once per round): ``size`` of the active trainees (default
    followup_rules.default_sample_size) with ``seed`` (default random); both recorded, so anyone can draw again with
    followup_rules.draw_sample and get the same trainees. Each drawn trainee gets a review to record."""
    _require_staff(by)
    _require_closed(training_class)
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    years = followup_rules.follow_up_years(key_class=training_class.key_class, years=training_class.follow_up_years)
    errors: dict[str, str] = {}
    if isinstance(round, bool) or not isinstance(round, int) or not 1 <= round <= years:
        raise ValidationError({"round": _("This class is followed up in year 1 to %(n)s only.") % {"n": years}})
    if FollowUpSample.objects.filter(training_class=training_class, round=round).exists():
        raise ValidationError({"round": _("The trainees of year %(round)s are drawn already.") % {"round": round}})
    enrolment_ids = list(
        Enrolment.objects.filter(training_class=training_class, active=True).values_list("pk", flat=True)
    )
    population = len(enrolment_ids)
    if not population:
        raise ValidationError(_("The class has no trainees to draw from."))
    if size is None:
        size = followup_rules.default_sample_size(population)
    message = _("The sample size is a whole number from 1 to %(n)s (the class's trainees).") % {"n": population}
    _whole(size, "size", errors, low=1, high=population, message=message)
    if seed is None:
        seed = secrets.randbelow(2**31)
    _whole(seed, "seed", errors, low=0, high=MAX_SEED, message=_("The seed is a whole number from 0 up."))
    if errors:
        raise ValidationError(errors)
    due_on = dict(
        followup_rules.schedule(ends_on=training_class.ends_on, key_class=training_class.key_class, years=years).reviews
    )[round]
    sample = FollowUpSample.objects.create(training_class=training_class, round=round, population=population,
                                           size=size, seed=seed, due_on=due_on, drawn_by=by)  # fmt: skip
    drawn = followup_rules.draw_sample(enrolment_ids, size=size, seed=seed)
    FollowUpReview.objects.bulk_create(FollowUpReview(sample=sample, enrolment_id=e) for e in drawn)
    log_change(actor=by, instance=sample, action=ChangeLog.Action.CREATE,
               new={**snapshot(sample), "drawn": drawn})  # fmt: skip
    return sample


@transaction.atomic
def record_review(
    *, by, review: FollowUpReview, done_on: date, method: str, outcome: str, finding: str
) -> FollowUpReview:
    """How a sampled trainee applies what they learnt (a talk, a forum or a visit at their unit); recorded again, it
    is corrected."""
    _require_staff(by)
    review = FollowUpReview.objects.select_for_update().select_related("sample__training_class").get(pk=review.pk)
    ends_on = review.sample.training_class.ends_on
    errors: dict[str, str] = {}
    if not isinstance(done_on, date):
        errors["done_on"] = _("Give the day of the follow-up.")
    elif done_on <= ends_on:
        errors["done_on"] = _("The follow-up comes after the class (it ended on %(day)s).") % {"day": ends_on}
    elif done_on > timezone.localdate():
        errors["done_on"] = _("This day is in the future.")
    if method not in FollowUpMethod.values:
        errors["method"] = _("Choose a talk, a forum or a visit.")
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = _("Choose clear, some or no visible improvement.")
    finding = _text(finding, "finding", errors, limit=MAX_TEXT, required=_("Write what was found."))
    if errors:
        raise ValidationError(errors)
    old = snapshot(review)
    review.done_on, review.method, review.outcome, review.finding = done_on, method, outcome, finding
    review.recorded_by, review.recorded_at = by, timezone.now()
    review.save()
    _audit_update(by, review, old)
    return review
