"""Plain data passed into and out of a credit policy, and the one interface every policy implements.

No Django, no ORM: a policy is a pure function of :class:`OfficialYear`. Words in here (labels, rule texts,
problems) are English source strings marked with ``gettext_noop``; whoever shows them translates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol, runtime_checkable


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue (``makemessages`` knows this name) without importing Django."""
    return message


class ActivityLine(NamedTuple):
    """Approved records of one kind for one official and year, summed.

    A named tuple rather than a dataclass: a city's year builds close to a million of these.

    Callers may pass one line per record or group several records into one line; a policy that
    judges each record on its own (see ``per_record_kinds``) must get one line per record for those
    kinds, and lines never mix ``category`` or ``class_passed`` values. ``category`` is the kind's category under
    the year's policy (``Policy.category_of``); for ``discretionary`` the category the approver chose; "" for a
    kind the policy does not know (it is kept and explained as not counted).
    """

    kind: str
    category: str
    quantity: Decimal  # summed quantity (days, hours, months, count)
    records: int = 1  # how many records were summed into this line
    points: Decimal | None = None  # summed record points (approver-set, or the course's value); None when none set
    class_passed: bool = True  # the class result was passed (``class_day`` only)


@dataclass(frozen=True)
class PreviousYear:
    """What a year reads from the official's year before (the chain between years).

    Stored with each score (``AnnualScore.chain``) so assessing year N reads one small value of N-1, never the
    whole history: a change to N-1 that changes this value makes N stale.
    """

    policy: str
    exempt: bool
    grade: str | None  # None when exempt
    carry_out: Decimal = Decimal(0)  # credits carried into the next year (policies with carry-over)
    cycle_earned: Decimal = Decimal(0)  # credits earned in the cycle up to and including that year
    year: int | None = None

    def encode(self) -> str:
        """One short canonical text (stored with the score): equal chains have equal texts."""
        grade = self.grade or ""
        return f"{self.policy}|{int(self.exempt)}|{grade}|{self.carry_out}|{self.cycle_earned}|{self.year or ''}"

    @classmethod
    def decode(cls, text: str | None) -> PreviousYear | None:
        if not text:
            return None
        policy, exempt, grade, carry_out, cycle_earned, year = text.split("|")
        return cls(
            policy=policy,
            exempt=exempt == "1",
            grade=grade or None,
            carry_out=Decimal(carry_out),
            cycle_earned=Decimal(cycle_earned),
            year=int(year) if year else None,
        )


@dataclass(frozen=True)
class OfficialYear:
    """Everything a policy needs to assess one official in one year."""

    year: int
    activities: tuple[ActivityLine, ...] = ()
    included_month: int | None = None  # 1-12 when included among city-managed cadres during ``year``
    retires_in_year: bool = False
    exemption: str | None = None  # a recorded exemption reason code, if any
    vetoes: frozenset[str] = frozenset()  # recorded vetoes (absent_from_dispatch, discipline)
    previous_grade: str | None = None  # grade of ``year - 1``; None when exempt or not assessed
    previous: PreviousYear | None = None  # the stored result of ``year - 1``; None when there is none


@dataclass(frozen=True)
class CategoryResult:
    code: str
    score: Decimal  # final category score (converted when prorated, capped)
    passed: bool | None  # None when the category has no pass line


@dataclass(frozen=True)
class Assessment:
    policy: str
    year: int
    exempt: bool
    exempt_reason: str | None
    categories: dict[str, CategoryResult]
    total: Decimal  # what ranks the year (Kunshan: the total; Baoji: the effective credits)
    grade: str | None  # None when exempt
    vetoes: tuple[str, ...]
    flags: tuple[str, ...]
    explanation: dict = field(default_factory=dict)  # JSON-serialisable; see the policy's docstring
    # Policy-specific figures shown beside the categories, JSON-serialisable (Baoji: earned, carry, cycle).
    figures: dict = field(default_factory=dict)
    # What the next year reads of this one (see PreviousYear); None only for results built by hand in tests.
    chain: PreviousYear | None = None


# ---------------------------------------------------------------------------------------------------
# What a policy says about itself


class CategorySpec(NamedTuple):
    code: str
    label: str  # English (gettext_noop); translate when shown
    cap: Decimal | None  # None: uncapped
    pass_line: Decimal | None  # the item pass line, None when the category has none


class KindSpec(NamedTuple):
    code: str
    label: str  # English (gettext_noop)
    category: str | None  # None: chosen by the approver on each record (discretionary)
    unit: str  # what one unit of quantity is, English (gettext_noop): "class day"
    # How it scores: English sentences (each marked with gettext_noop on its own) joined by "\n", with %(name)s
    # placeholders filled from ``rule_params``.
    rule: str
    rule_params: Mapping[str, object] = {}
    points: str = "none"  # whether a record carries points: "none", "optional" or "required"


class Problem(NamedTuple):
    """One thing wrong with a record, for one field; ``message`` is English (gettext_noop) with ``params``."""

    field: str
    message: str
    params: Mapping[str, object] = {}


class Note(NamedTuple):
    """One sentence of an explanation in words; ``message`` is English (gettext_noop). Params named ``kind``
    and ``category`` hold codes the caller shows as labels; the others are shown as they are."""

    message: str
    params: Mapping[str, object] = {}


class GradeBand(NamedTuple):
    at_least: Decimal  # a total >= this reaches the grade (vetoes aside)
    grade: str


class Requirement(NamedTuple):
    """One line a result must reach, read from a stored explanation (what standing and shortfalls count).

    ``what`` is "points" (a category's score, or the total when ``category`` is None) or "count" (a count of
    ``kind`` records, such as Kunshan's city lectures). ``kind`` is the activity a shortfall is counted in, and
    ``per_activity`` what one such activity adds (points, or 1 for a count).
    """

    category: str | None
    what: str
    have: Decimal
    need: Decimal
    kind: str | None
    per_activity: Decimal


@runtime_checkable
class Policy(Protocol):
    """A credit policy: pure, one instance per code, found through ``credits.rules.get_policy``."""

    code: str
    name: str  # English (gettext_noop)
    categories: tuple[CategorySpec, ...]  # display order
    kinds: Mapping[str, KindSpec]  # the kinds this policy counts, display order
    grades: tuple[str, ...]  # best first
    grade_bands: tuple[GradeBand, ...]  # highest first; below the last band is ``failing_grade``
    failing_grade: str
    per_record_kinds: frozenset[str]  # kinds whose lines must be one record each
    judges_categories: bool  # category results carry ``passed`` (pass lines), shown in the API
    declarable_by_official: frozenset[str]  # categories an official may declare
    enterable_by_unit_admin: frozenset[str]  # categories a unit study administrator may enter
    labels: Mapping[str, str]  # English words of its grades, vetoes and flags (gettext_noop)
    group_study_sessions_required: int | None  # central-group sessions a unit must hold a year (None: no rule)
    cycle_credits_required: Decimal | None  # credits over a five-year cycle, judged in its last year (None: no rule)

    def category_of(self, kind: str) -> str | None:
        """The category of a kind it counts; None for a kind the approver files (discretionary); KeyError if
        the policy does not count the kind."""
        ...

    def validate_record(
        self, *, kind: str, category: str | None, quantity: Decimal, points: Decimal | None
    ) -> list[Problem]:
        """What is wrong with a record of a year under this policy (kind known, quantity already a positive
        one-decimal number); an empty list when nothing is."""
        ...

    def assess(self, ctx: OfficialYear, *, explain: bool = True) -> Assessment:
        """The official's year under this policy. ``explain=False``: the same result with an empty
        ``explanation`` (cheaper; the stored inputs are explained again when read, ``credits.policies``)."""
        ...

    def requirements(self, explanation: Mapping) -> tuple[Requirement, ...]:
        """The lines a stored result must reach, with what it has: standing, shortfalls and pace read these."""
        ...

    def explain(self, explanation: Mapping) -> tuple[Note, ...]:
        """Why a stored result is what it is, in sentences: caps that cut, what scored 0, what was not counted."""
        ...

    def unit_flags(self, *, assessed: int, failed: int) -> tuple[str, ...]:
        """A unit's flags for the year from its assessed and failed officials (Baoji §2.4)."""
        ...
