"""Reads of the reserve-cadre pool (RULES §6).

- ``reserves_visible_to(user)``: the training section all reserves, a unit's study administrator their unit's,
  anyone else none (officials read ``published_list()``: the active reserves' name, unit, level and stream).
- ``reserve_file(reserve)``: the reserve's timeline, sorted by date.
- ``flags_of`` / ``flagged``: the disqualification flags of ``rules.flags`` judged on a day, and who turns too old
  within ``rules.AGE_LOOKAHEAD_DAYS``.
- ``due_items``: the half-yearly reflections and yearly assessments due (and overdue) for active reserves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.roles import is_org_staff, scope_of

from .. import rules
from ..models import (
    Defense,
    Reserve,
    ReserveStatus,
)

ASSESSMENT_DUE = (12, 25)  # the unit's yearly assessment is due by 25 December


def _base() -> QuerySet[Reserve]:
    return Reserve.objects.select_related("official__unit")


def reserves_visible_to(user) -> QuerySet[Reserve]:
    """The reserves whose details ``user`` may read: the training section all, a unit administrator their unit's."""
    if is_org_staff(user):
        return _base()
    scope = scope_of(user)
    if scope.unit_id is None:
        return Reserve.objects.none()
    return _base().filter(official__unit_id=scope.unit_id)


def published_list() -> QuerySet[Reserve]:
    """The published pool (every signed-in user reads it): the active reserves, by stream, unit and staff number."""
    return _base().filter(status=ReserveStatus.ACTIVE)


def with_facts(queryset: QuerySet[Reserve]) -> QuerySet[Reserve]:
    """Prefetch what the flags read (exams, defenses, assessments)."""
    return queryset.prefetch_related("exams", "defenses", "assessments")


def facts_of(reserve: Reserve, *, day: date) -> rules.ReserveFacts:
    """What the flags read, as known on ``day`` (results of later years are not counted)."""
    return rules.ReserveFacts(
        level=reserve.level,
        birth_date=reserve.official.birth_date,
        appraisals={a.year: a.result for a in reserve.assessments.all() if a.year <= day.year},
        exams={e.year: e.score for e in reserve.exams.all() if e.year <= day.year},
        defenses={d.year: d.passed for d in reserve.defenses.all() if d.year <= day.year},
    )


def flags_of(reserve: Reserve, *, day: date | None = None) -> list[str]:
    """The flags of ``reserve`` on ``day`` (default today): age, appraisal, exam_failed, defense_failed. A reserve no
    longer in the pool has none."""
    if reserve.status != ReserveStatus.ACTIVE:
        return []
    return rules.flags(facts_of(reserve, day=day or timezone.localdate()), day or timezone.localdate())


@dataclass(frozen=True)
class FlagRow:
    reserve: Reserve
    flags: list[str]
    soon_too_old: date | None  # within the look-ahead, the day they become too old


def flagged(*, day: date | None = None, unit_id: int | None = None, reserves: QuerySet[Reserve] | None = None):
    """The active reserves with a flag on ``day`` or who turn too old within the look-ahead, in the pool's order."""
    day = day or timezone.localdate()
    queryset = with_facts((reserves if reserves is not None else _base()).filter(status=ReserveStatus.ACTIVE))
    if unit_id is not None:
        queryset = queryset.filter(official__unit_id=unit_id)
    rows = []
    for reserve in queryset:
        found = rules.flags(facts_of(reserve, day=day), day)
        soon = rules.soon_too_old(reserve.level, reserve.official.birth_date, day)
        if found or soon:
            rows.append(FlagRow(reserve=reserve, flags=found, soon_too_old=soon))
    return rows


# ---------------------------------------------------------------------------------------------------
# A reserve's file


@dataclass(frozen=True)
class FileEntry:
    """One line of a reserve's timeline: ``what`` is a code (decision, training, exam, defense, practice, talk,
    reflection, assessment, disqualified, appointed), ``title`` the words shown, ``item`` the row (None for the
    decision and the leaving)."""

    on: date
    what: str
    title: str
    item: object = None
    details: dict = field(default_factory=dict)


def _local(moment) -> date:
    return timezone.localdate(moment) if moment else timezone.localdate()


def _in_year(moment, year: int) -> date:
    """A row that belongs to a year but has no date of its own: its entry date, kept inside that year."""
    day = _local(moment)
    return min(max(day, date(year, 1, 1)), date(year, 12, 31))


def file_prefetches() -> tuple:
    """Everything a reserve's file shows, fetched once per kind (not a query per entry)."""
    return (
        "trainings__training_class",
        "exams",
        "practices",
        "talks",
        "reflections",
        "assessments",
        Prefetch("defenses", queryset=Defense.objects.prefetch_related("examiner_scores")),
    )


# The order of a timeline's entries on one day: the decision first, then the training, the exam before the defense it
# allows (an undated exam shares the defense's day at the latest), the other entries as entered, the leaving last.
SAME_DAY_ORDER = {"decision": 0, "training": 1, "exam": 2, "defense": 3, "disqualified": 5, "appointed": 5}
OTHER_ON_THE_DAY = 4


def reserve_file(reserve: Reserve) -> list[FileEntry]:
    """The reserve's timeline, sorted by date (the decision first on its day, the exam before the defense, leaving
    last)."""
    reserve = Reserve.objects.select_related("official__unit").prefetch_related(*file_prefetches()).get(pk=reserve.pk)
    entries = [
        FileEntry(
            reserve.decided_on,
            "decision",
            _("Decided as a %(level)s (%(stream)s)")
            % {"level": reserve.get_level_display(), "stream": reserve.get_stream_display()},
            details={"document": reserve.decision_document},
        )
    ]
    for training in reserve.trainings.all():
        klass = training.training_class
        on = klass.starts_on if klass else max(date(training.year, 1, 1), reserve.decided_on)
        entries.append(
            FileEntry(
                on,
                "training",
                training.title or (klass.title if klass else ""),
                training,
                {"year": training.year, "days": training.days, "class": klass.code if klass else ""},
            )
        )
    # The exam and the defense of a year are dated together: the exam never follows the defense it allows (RULES §6),
    # whichever of them has a date of its own and whenever each was entered.
    exams = {exam.year: exam for exam in reserve.exams.all()}
    defense_days = {}
    for defense in reserve.defenses.all():
        exam = exams.get(defense.year)
        defense_days[defense.year] = rules.defense_day_on_file(
            defense.held_on, _in_year(defense.entered_at, defense.year), exam.held_on if exam else None
        )
    for exam in exams.values():
        on = rules.exam_day_on_file(exam.held_on, _in_year(exam.entered_at, exam.year), defense_days.get(exam.year))
        entries.append(
            FileEntry(
                on,
                "exam",
                _("Written exam %(year)s: %(score)s") % {"year": exam.year, "score": exam.score},
                exam,
                {"year": exam.year, "score": exam.score, "passed": rules.exam_passed(exam.score),
                 "held_on": exam.held_on},
            )
        )  # fmt: skip
    for defense in reserve.defenses.all():
        entries.append(
            FileEntry(
                defense_days[defense.year],
                "defense",
                _("Oral defense %(year)s: %(score)s") % {"year": defense.year, "score": rules.shown(defense.score)},
                defense,
                {
                    "year": defense.year,
                    "panel": [row.score for row in defense.examiner_scores.all()],
                    "panel_score": rules.shown(defense.panel_score),
                    "vote_score": rules.shown(defense.vote_score),
                    "score": rules.shown(defense.score),
                    "passed": defense.passed,
                },
            )
        )
    for practice in reserve.practices.all():
        entries.append(
            FileEntry(
                practice.starts_on,
                "practice",
                f"{practice.get_kind_display()}: {practice.place}",
                practice,
                {"ends_on": practice.ends_on},
            )
        )
    for talk in reserve.talks.all():
        entries.append(
            FileEntry(
                talk.held_on, "talk", _("Talk with %(leader)s") % {"leader": talk.leader}, talk, {"note": talk.note}
            )
        )
    for reflection in reserve.reflections.all():
        entries.append(
            FileEntry(
                _local(reflection.submitted_at),
                "reflection",
                f"{reflection.period}: {reflection.title}",
                reflection,
                {"period": reflection.period, "file_type": reflection.file_type},
            )
        )
    for assessment in reserve.assessments.all():
        entries.append(
            FileEntry(
                _in_year(assessment.entered_at, assessment.year),
                "assessment",
                _("Yearly assessment %(year)s: %(result)s")
                % {"year": assessment.year, "result": assessment.get_result_display()},
                assessment,
                {"year": assessment.year, "result": assessment.result, "comment": assessment.comment},
            )
        )
    if reserve.status != ReserveStatus.ACTIVE and reserve.left_on:
        if reserve.status == ReserveStatus.DISQUALIFIED:
            title = _("Disqualified: %(reason)s") % {"reason": reserve.get_disqualify_reason_display()}
            details = {"reason": reserve.disqualify_reason, "note": reserve.disqualify_note}
        else:
            title, details = _("Appointed"), {}
        entries.append(FileEntry(reserve.left_on, reserve.status, title, None, details))
    return sorted(entries, key=lambda e: (e.on, SAME_DAY_ORDER.get(e.what, OTHER_ON_THE_DAY)))


# ---------------------------------------------------------------------------------------------------
# What is due


@dataclass(frozen=True)
class DueItem:
    reserve: Reserve
    what: str  # "reflection" or "assessment"
    period: str  # "2026H1" for a reflection, "2026" for an assessment
    due_on: date
    overdue: bool


def due_items(*, day: date | None = None, unit_id: int | None = None, reserves: QuerySet[Reserve] | None = None):
    """What active reserves still owe on ``day``: a reflection per half year from the decision (due 30 June / 31
    December) and the yearly assessment of each year in the pool (due 25 December), those not entered; ``overdue``
    when the due date has passed. Sorted by due date, then the pool's order."""
    day = day or timezone.localdate()
    queryset = (reserves if reserves is not None else _base()).filter(status=ReserveStatus.ACTIVE, decided_on__lte=day)
    if unit_id is not None:
        queryset = queryset.filter(official__unit_id=unit_id)
    queryset = queryset.prefetch_related("reflections", "assessments")
    rows = []
    for position, reserve in enumerate(queryset):
        written = {r.period for r in reserve.reflections.all()}
        assessed = {a.year for a in reserve.assessments.all()}
        for period, due_on in rules.periods_due(reserve.decided_on, day):
            if period not in written:
                rows.append((due_on, position, DueItem(reserve, "reflection", period, due_on, due_on < day)))
        for year in range(reserve.decided_on.year, day.year + 1):
            due_on = date(year, *ASSESSMENT_DUE)
            if year not in assessed and due_on >= reserve.decided_on:
                rows.append((due_on, position, DueItem(reserve, "assessment", str(year), due_on, due_on < day)))
    return [row for _due, _position, row in sorted(rows, key=lambda r: (r[0], r[1], r[2].what))]
