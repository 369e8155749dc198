"""An official's year (:class:`OfficialYear`) as one short text, and back. Pure, like the policies.

A stored score keeps this text (``AnnualScore.inputs``) instead of its explanation: the text is what the score's
digest is taken from anyway, a third of the size of the explanation as JSON, and costs nothing more to write. The
explanation is the policy's account of these inputs, made again when a score is read (``credits.policies
.explanation_of``): a whole year's recompute assesses with ``explain=False`` and neither builds nor encodes
100,000 explanations (bench/recompute.py).

The text: included month, retires in the year, exemption, vetoes (sorted, comma-separated), the previous grade and
the year before's chain value (``PreviousYear.encode``), separated by U+001F, then the activity lines sorted and
separated by U+001E, each line its fields joined by "|". Equal contexts have equal texts whatever the order of
their lines; the assessment does not depend on that order.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from credits.rules.types import ActivityLine, OfficialYear, PreviousYear

FIELD = "\x1f"
LINE = "\x1e"
_NONE = "None"


def line_text(line: ActivityLine) -> str:
    """One activity line as text: kind|category|quantity|records|points|class_passed."""
    return "|".join(map(str, line))


def inputs_text(ctx: OfficialYear, *, before: str | None = None, line_texts: Iterable[str] | None = None) -> str:
    """``ctx`` (all but its year) as text. ``before`` (``ctx.previous`` encoded) and ``line_texts`` (its lines as
    ``line_text`` gives them) may be passed when the caller has them already: a recompute shares both between
    officials."""
    if before is None:
        before = ctx.previous.encode() if ctx.previous is not None else ""
    texts = sorted(line_texts if line_texts is not None else map(line_text, ctx.activities))
    vetoes = ",".join(sorted(ctx.vetoes))
    return (
        f"{ctx.included_month}{FIELD}{ctx.retires_in_year}{FIELD}{ctx.exemption}{FIELD}{vetoes}{FIELD}"
        f"{ctx.previous_grade}{FIELD}{before}{FIELD}{LINE.join(texts)}"
    )


def official_year(text: str, *, year: int) -> OfficialYear:
    """The context ``inputs_text`` wrote, for ``year``; ValueError when ``text`` is not such a text."""
    try:
        included, retires, exemption, vetoes, previous_grade, before, lines = text.split(FIELD)
        return OfficialYear(
            year=year,
            activities=tuple(_line(part) for part in lines.split(LINE)) if lines else (),
            included_month=None if included == _NONE else int(included),
            retires_in_year=retires == "True",
            exemption=None if exemption == _NONE else exemption,
            vetoes=frozenset(vetoes.split(",")) if vetoes else frozenset(),
            previous_grade=None if previous_grade == _NONE else previous_grade,
            previous=PreviousYear.decode(before),
        )
    except (ValueError, ArithmeticError) as error:
        raise ValueError(f"Not the stored inputs of a year: {text[:80]!r} ({error}).") from None


def _line(text: str) -> ActivityLine:
    kind, category, quantity, records, points, passed = text.split("|")
    return ActivityLine(
        kind,
        category,
        Decimal(quantity),
        int(records),
        None if points == _NONE else Decimal(points),
        passed == "True",
    )
