"""The training-organisation rules of RULES §5 as plain data in, plain data out: no ORM, Decimal arithmetic.

Where the source leaves a choice open, the choice is one named constant here (see the README's courses section).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# A class of this many planned trainees or more is filed and approved before anyone is enrolled (RULES §5).
LARGE_CLASS_TRAINEES = 30
# ... filed at least this many days before it starts.
FILING_LEAD_DAYS = 30
# A unit files its plan for year N by this day of year N−1 (31 December).
PLAN_DUE_MONTH_DAY = (12, 31)
# Choice: a class's records are dated on its last day (the year a class spanning New Year counts in).
CLASS_RECORD_DATE = "ends_on"
# Choice: a recognised teacher outside the faculty pool gets one `teaching_topic` per distinct topic taught in the
# class (3 per topic); a pool member one `teaching_faculty_session` per session taught (5 per session).


def needs_filing(capacity: int) -> bool:
    """Whether a class of ``capacity`` planned trainees waits for filing and approval (else approved on creation)."""
    return capacity >= LARGE_CLASS_TRAINEES


def filing_deadline(starts_on: date) -> date:
    """The last day a class starting on ``starts_on`` can be filed."""
    return starts_on - timedelta(days=FILING_LEAD_DAYS)


def plan_due(year: int) -> date:
    """The day the plans for ``year`` are due."""
    month, day = PLAN_DUE_MONTH_DAY
    return date(year - 1, month, day)


@dataclass(frozen=True)
class TraineeResult:
    official_id: int
    days_attended: Decimal | None
    passed: bool | None
    speeches: int = 0
    reflections: int = 0


@dataclass(frozen=True)
class RecordValues:
    """The values of one credit record a training activity gives (None fields: the kind's defaults)."""

    official_id: int
    kind: str
    quantity: Decimal
    class_passed: bool = True
    points: Decimal | None = None
    hours: Decimal | None = None


def class_records(results: Iterable[TraineeResult]) -> list[RecordValues]:
    """What a closed class gives its trainees: one `class_day` record of the days attended, with the result (a
    class not passed is kept on record and scores nothing, RULES §1.3/§2.1); no record for no day attended; one
    `class_speech` and one `class_reflection` record with their counts."""
    out: list[RecordValues] = []
    for result in results:
        days = result.days_attended or Decimal(0)
        if days > 0:
            out.append(RecordValues(result.official_id, "class_day", days, class_passed=bool(result.passed)))
        if result.speeches:
            out.append(RecordValues(result.official_id, "class_speech", Decimal(result.speeches)))
        if result.reflections:
            out.append(RecordValues(result.official_id, "class_reflection", Decimal(result.reflections)))
    return out


@dataclass(frozen=True)
class TaughtSession:
    teacher_id: int
    held_on: date
    topic: str


@dataclass(frozen=True)
class Membership:
    official_id: int
    joined_on: date
    left_on: date | None


def is_member_on(memberships: Iterable[Membership], official_id: int, day: date) -> bool:
    """Whether the official was in the faculty pool on ``day`` (joined on or before it, not yet left)."""
    return any(
        m.official_id == official_id and m.joined_on <= day and (m.left_on is None or day <= m.left_on)
        for m in memberships
    )


def teaching_records(sessions: Iterable[TaughtSession], memberships: Iterable[Membership]) -> list[RecordValues]:
    """What teaching at a class gives: a pool member `teaching_faculty_session` per session taught while a member;
    anyone else (a recognised teacher) `teaching_topic` per distinct topic."""
    memberships = list(memberships)
    member_sessions: dict[int, int] = {}
    topics: dict[int, set[str]] = {}
    for session in sessions:
        if is_member_on(memberships, session.teacher_id, session.held_on):
            member_sessions[session.teacher_id] = member_sessions.get(session.teacher_id, 0) + 1
        else:
            topics.setdefault(session.teacher_id, set()).add(session.topic.strip())
    out = [RecordValues(t, "teaching_faculty_session", Decimal(n)) for t, n in sorted(member_sessions.items())]
    out += [RecordValues(t, "teaching_topic", Decimal(len(names))) for t, names in sorted(topics.items())]
    return out


def lecture_kind(level: str) -> str:
    """A city training-office lecture is `menu_city_lecture`, any other `menu_other_lecture` (RULES §5)."""
    return "menu_city_lecture" if level == "city" else "menu_other_lecture"


def online_record(
    *, official_id: int, hours: Decimal, credits: Decimal | None, year_counts_courses: bool
) -> RecordValues:
    """What a passed online course gives: in a year whose policy counts whole courses (`online_course`, baoji-2009)
    the course's credits; elsewhere `online_hour` × the course's hours. The course's hours are the record's study
    hours either way (RULES §3). A course without credits in a course-counting year gives its hours only."""
    if year_counts_courses and credits is not None:
        return RecordValues(official_id, "online_course", Decimal(1), points=credits, hours=hours)
    return RecordValues(official_id, "online_hour", hours, hours=hours)
