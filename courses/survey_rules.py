"""Questionnaires and their results (RULES §5 需求调查, seed 002 annex 1): plain data in, plain data out, no ORM.

Where the source leaves a choice open, the choice is one named constant here (the README's survey section lists
them). Anonymity is a storage property (an answer has no link to a person, see courses.models.SurveyResponse); the
rules here decide what may be shown: a group with fewer than MIN_GROUP_SIZE answers is never broken down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# Results of a group (a rank, a kind of unit, a teacher's sessions, a whole survey) are shown only from this many
# answers: below it an answer could be told from the others (the rule; k-anonymity with k = 5).
MIN_GROUP_SIZE = 5
# Choice: a respondent is grouped by rank and by the kind of their unit (district, town, city department), never by
# the unit itself: those groups are large, so the stored group narrows an answer to many people, never to one.
BREAKDOWNS = ("rank", "unit_kind")
SCALE_MIN, SCALE_MAX = 1, 5
MAX_CHOICES = 20
MAX_CHOICE_LENGTH = 100
MAX_QUESTION_LENGTH = 300
MAX_TEXT_ANSWER = 2000
MAX_QUESTIONS = 60
# Choice: a class evaluation is open for this many days from the day the class is closed.
EVALUATION_OPEN_DAYS = 30

SINGLE, MULTIPLE, SCALE, TEXT = "single", "multiple", "scale", "text"
KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the rules see it. ``sessions``: for a question asked once per class session (a class
    evaluation's teaching questions), the ids of those sessions; empty for an ordinary question."""

    id: int
    kind: str
    choices: tuple[str, ...] = ()
    required: bool = True
    sessions: tuple[int, ...] = ()


@dataclass(frozen=True)
class AnswerValue:
    """One stored answer: a chosen option (index into the choices), a scale value or a text; ``session`` for a
    per-session question."""

    question_id: int
    choice: int | None = None
    value: int | None = None
    text: str = ""
    session_id: int | None = None


def check_question(*, kind: str, text: str, choices: Sequence[str]) -> dict[str, str]:
    """What is wrong with a question as written (field → message in plain words); empty when it is fine."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose single choice, multiple choice, a scale of 1 to 5 or free text.")
    if not text.strip():
        errors["text"] = _("Write the question.")
    elif len(text) > MAX_QUESTION_LENGTH:
        errors["text"] = _("A question has at most %(n)s characters.") % {"n": MAX_QUESTION_LENGTH}
    cleaned = [c.strip() for c in choices]
    if kind in (SINGLE, MULTIPLE):
        if len(cleaned) < 2 or len(cleaned) > MAX_CHOICES:
            errors["choices"] = _("A choice question has 2 to %(n)s options.") % {"n": MAX_CHOICES}
        elif any(not c for c in cleaned):
            errors["choices"] = _("An option cannot be empty.")
        elif any(len(c) > MAX_CHOICE_LENGTH for c in cleaned):
            errors["choices"] = _("An option has at most %(n)s characters.") % {"n": MAX_CHOICE_LENGTH}
        elif len(set(cleaned)) != len(cleaned):
            errors["choices"] = _("Two options have the same words.")
    elif cleaned:
        errors["choices"] = _("Only a choice question has options.")
    return errors


def _as_int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def _one(question: QuestionSpec, raw: object, session_id: int | None) -> tuple[list[AnswerValue], str | None]:
    """The stored answers for one question (or one session of it) from what was sent, or a message."""
    empty = raw is None or raw == "" or raw == []
    if empty:
        return [], (_("Answer this question.") if question.required else None)
    if question.kind == SINGLE:
        index = _as_int(raw)
        if index is None or not 0 <= index < len(question.choices):
            return [], _("Choose one of the options.")
        return [AnswerValue(question.id, choice=index, session_id=session_id)], None
    if question.kind == MULTIPLE:
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        indexes = [_as_int(item) for item in items]
        if any(i is None or not 0 <= i < len(question.choices) for i in indexes):
            return [], _("Choose among the options.")
        return [AnswerValue(question.id, choice=i, session_id=session_id) for i in sorted(set(indexes))], None
    if question.kind == SCALE:
        value = _as_int(raw)
        if value is None or not SCALE_MIN <= value <= SCALE_MAX:
            return [], _("Choose a value from %(low)s to %(high)s.") % {"low": SCALE_MIN, "high": SCALE_MAX}
        return [AnswerValue(question.id, value=value, session_id=session_id)], None
    if not isinstance(raw, str):
        return [], _("Write the answer as text.")
    text = raw.strip()
    if len(text) > MAX_TEXT_ANSWER:
        return [], _("An answer has at most %(n)s characters.") % {"n": MAX_TEXT_ANSWER}
    if not text:
        return [], (_("Answer this question.") if question.required else None)
    return [AnswerValue(question.id, text=text, session_id=session_id)], None


def answer_key(question_id: int, session_id: int | None = None) -> str:
    """The key of an answer in a filled questionnaire (form field name and API body key): q12, or q12s40 for
    session 40 of a per-session question."""
    return f"q{question_id}" if session_id is None else f"q{question_id}s{session_id}"


def check_answers(
    questions: Sequence[QuestionSpec], sent: Mapping[str, object]
) -> tuple[list[AnswerValue], dict[str, str]]:
    """Read a filled questionnaire: ``sent`` maps "q<id>" (or "q<id>s<session id>" for a per-session question) to
    the option index, the list of indexes, the scale value or the text. Returns the answers to store and the errors
    by the same keys; with any error nothing is to be stored. Unknown keys are errors too (never silently dropped).
    """
    answers: list[AnswerValue] = []
    errors: dict[str, str] = {}
    known: set[str] = set()
    for question in questions:
        keys = (
            [(f"q{question.id}s{s}", s) for s in question.sessions]
            if question.sessions
            else [(f"q{question.id}", None)]
        )
        for key, session_id in keys:
            known.add(key)
            values, error = _one(question, sent.get(key), session_id)
            if error:
                errors[key] = error
            answers += values
    for key in sent:
        if key not in known:
            errors[key] = _("This is not a question of this questionnaire.")
    return ([] if errors else answers), errors


def shown(count: int) -> bool:
    """Whether a group of ``count`` answers may be shown (broken down) at all."""
    return count >= MIN_GROUP_SIZE


def eligible(*, unit_id: int, rank: str, units: Iterable[int], ranks: Iterable[str]) -> bool:
    """Whether an official of this unit and rank is asked by a survey targeting ``units`` and ``ranks`` (an empty
    target: everyone)."""
    units, ranks = set(units), set(ranks)
    return (not units or unit_id in units) and (not ranks or rank in ranks)


@dataclass
class ChoiceTally:
    label: str
    count: int
    share: Decimal  # of the respondents who answered the question, in per cent (one decimal)


@dataclass
class QuestionResult:
    """A question's result over a group of respondents; ``shown`` False: fewer than MIN_GROUP_SIZE respondents."""

    question_id: int
    kind: str
    respondents: int
    shown: bool
    choices: list[ChoiceTally] = field(default_factory=list)
    mean: Decimal | None = None  # a scale question's average (two decimals)
    texts: list[str] = field(default_factory=list)


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def question_result(
    question: QuestionSpec,
    *,
    respondents: int,
    choice_counts: Mapping[int, int] | None = None,
    scale_counts: Mapping[int, int] | None = None,
    texts: Sequence[str] = (),
) -> QuestionResult:
    """One question's result from its counts: ``respondents`` answered it; ``choice_counts`` option index → how
    many chose it; ``scale_counts`` value → how many; ``texts`` the free-text answers. Nothing is shown for a group
    of fewer than MIN_GROUP_SIZE respondents (not even the texts)."""
    if not shown(respondents):
        return QuestionResult(question.id, question.kind, respondents, False)
    result = QuestionResult(question.id, question.kind, respondents, True)
    if question.kind in (SINGLE, MULTIPLE):
        counts = choice_counts or {}
        result.choices = [
            ChoiceTally(label, counts.get(i, 0), percent(counts.get(i, 0), respondents))
            for i, label in enumerate(question.choices)
        ]
    elif question.kind == SCALE:
        counts = scale_counts or {}
        result.choices = [
            ChoiceTally(str(v), counts.get(v, 0), percent(counts.get(v, 0), respondents))
            for v in range(SCALE_MIN, SCALE_MAX + 1)
        ]
        result.mean = mean(sum(v * n for v, n in counts.items()), sum(counts.values()))
    else:
        result.texts = sorted(texts)  # sorted, never in the order they came: the order could tell who wrote what
    return result


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change of a share or a mean against the previous half year (None when either is not shown)."""
    if now is None or before is None:
        return None
    return now - before
