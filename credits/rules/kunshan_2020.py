"""Kunshan annual credit assessment, policy ``kunshan-2020`` (RULES.md section 1).

A pure function of :class:`~credits.rules.types.OfficialYear`: no Django, no ORM, ``Decimal`` only.
Every rule is one module-level constant or table entry below; change the rule there, nowhere else.

Decisions where RULES.md leaves room (each is a constant or documented in ``assess``):

* Kind caps apply to the year's total of that kind (all lines of the kind summed), category caps after that.
* ``menu_city_lecture`` lectures are counted by summed *quantity* (the quantity is the count of lectures).
* ``secondment_month``: each record is judged on its own; a line with ``records > 1`` is read as records of equal
  quantity, so the whole line scores 0 when ``quantity < 3 x records``.
* ``class_day`` lines with ``class_passed=False`` score 0 (they are still listed in the explanation).
* Proration uses the exact factor ``100 / (8.3 x months)`` (the sum is multiplied by 100 and divided by
  ``8.3 x months`` in one step, then rounded half-up to 0.1); the 5-decimal factor in the explanation is display only.
* Exemption precedence: a recorded ``exemption`` first, then the retirement year, then ``new_short`` proration.
  ``sick_leave``, ``secondment_long`` and ``other`` are only ever recorded, never derived from the activities.
* An exempt official still gets category scores (kind and category caps, never prorated) and a total, but no
  grade, no flags, ``passed=None`` for every category (pass lines are not judged) and no computed vetoes; the
  recorded vetoes stay listed (they are facts recorded by the org dept) but have no effect.
* Pass lines and grade bands are compared with exact values. Output scores (``CategoryResult.score`` and
  ``Assessment.total``) are cut to one decimal with ``DISPLAY_ROUNDING`` (round down), so a shown score never
  appears to reach a line it missed (23.95 shows as 23.9, not 24.0). Prorated values already have one decimal.
  With inputs on the 0.1 grid (as the rules expect) shown values are exact and the shown total is the sum of the
  shown category scores.
* A line of a kind this policy does not know (a kind of another policy, kept from a year under it) scores 0 and is
  listed under "nc" in the explanation ("not counted under this policy").
* Input checks (ValueError): a fixed kind's line whose ``category`` differs from the table; a
  discretionary line without a known category or without ``points``; negative, NaN or float quantities/points
  (int is accepted); ``records < 1``; unknown exemption reason, recorded veto or previous grade; included month
  outside 1-12. ``points`` is read only for discretionary lines, ``class_passed`` only for ``class_day`` lines.

Explanation schema (``Assessment.explanation``, JSON-serialisable; decimals are strings such as ``"12.5"``)::

    {
      "p":  policy code,
      "ex": exemption reason or null,
      "pr": null when the official was included before the year, else
            {"im": included month, "m": assessable months, "f": factor (5 decimals) or null when not applied},
      "c":  {category code: {                     # all five categories, in CATEGORIES order
              "k":   {kind code: {                 # only kinds with lines, in KINDS order
                        "n":   records,            # int
                        "q":   summed quantity,
                        "r":   rate per unit, or null for discretionary (approver-set points),
                        "z":   quantity that scored 0 (short secondment, class not passed); only when > 0
                        "p":   raw points (quantity x rate, or the summed discretionary points),
                        "cap": the kind's own cap (only for kinds with one),
                        "cut": what the own cap cut; only when > 0
                     }},                           # "k" omitted when the category has no lines
              "sum": sum of the kinds after kind caps,
              "cv":  converted value sum x f rounded half-up to 0.1; only when prorated
              "cap": category cap, "cut": what the category cap cut (only when > 0),
              "s":   final category score (exact),
              "line": pass score, "ok": line met (null when exempt)      # menu and online only
              "cl":  city lectures counted, "clr": city lectures required (int)   # menu only
            }},
      "t":  total (exact), "g": grade or null, "v": [vetoes], "fl": [flags],
      "nc": {kind code: {"n": records, "q": summed quantity}}   # only when some kinds were not counted
    }
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from decimal import localcontext as _localcontext
from typing import NamedTuple

from credits.rules.common import check_amount, not_counted_notes
from credits.rules.common import decimal_text as _s
from credits.rules.types import (
    ActivityLine,
    Assessment,
    CategoryResult,
    CategorySpec,
    GradeBand,
    KindSpec,
    Note,
    OfficialYear,
    PreviousYear,
    Problem,
    Requirement,
    gettext_noop,
)

CODE = "kunshan-2020"

# --- 1.3 categories and their caps (order is the display and veto order) -----------------------------------
CATEGORIES: dict[str, Decimal] = {
    "offjob": Decimal(15),
    "menu": Decimal(30),
    "online": Decimal(30),
    "group_study": Decimal(15),
    "self_study": Decimal(10),
}


class Kind(NamedTuple):
    category: str | None  # None: chosen by the approver on each line
    rate: Decimal | None  # points per unit of quantity; None: the line's approver-set ``points``
    cap: Decimal | None  # the kind's own cap per year, None when uncapped


# --- 1.3 activity kinds: category, points per unit, own cap -------------------------------------------------
KINDS: dict[str, Kind] = {
    "class_day": Kind("offjob", Decimal(2), None),
    "class_speech": Kind("offjob", Decimal(5), None),
    "class_reflection": Kind("offjob", Decimal(2), None),
    "secondment_month": Kind("offjob", Decimal(3), None),
    "menu_city_lecture": Kind("menu", Decimal(5), None),
    "menu_other_lecture": Kind("menu", Decimal(4), None),
    "online_hour": Kind("online", Decimal("0.5"), None),
    "xuexi_qiangguo": Kind("online", Decimal(5), Decimal(5)),
    "central_group_speaker": Kind("group_study", Decimal(2), None),
    "central_group_listener": Kind("group_study", Decimal(1), None),
    "superior_central_group": Kind("group_study", Decimal(1), None),
    "book_reflection": Kind("group_study", Decimal(2), Decimal(5)),
    "research_report": Kind("self_study", Decimal(3), Decimal(5)),
    "study_paper": Kind("self_study", Decimal(2), Decimal(5)),
    "teaching_topic": Kind("self_study", Decimal(3), None),
    "teaching_faculty_session": Kind("self_study", Decimal(5), None),
    "discretionary": Kind(None, None, None),
}
DISCRETIONARY = "discretionary"

# Kinds whose rule judges each record on its own: callers pass one ActivityLine per record for them.
PER_RECORD_KINDS = frozenset({"secondment_month"})
SECONDMENT_KIND = "secondment_month"
MIN_SECONDMENT_MONTHS = Decimal(3)  # a secondment shorter than this scores 0
CLASS_DAY_KIND = "class_day"  # counts only when the class result was passed


# --- 1.3 / 1.4 item pass lines ------------------------------------------------------------------------------
class PassLine(NamedTuple):
    score: Decimal  # category score must be >= this
    lecture_kind: str | None  # and the summed quantity of this kind ...
    lectures: int  # ... must be >= this (full year; see lectures_required)
    veto: str  # veto raised when the line is missed


PASS_LINES: dict[str, PassLine] = {
    "menu": PassLine(Decimal(24), "menu_city_lecture", 4, "menu_not_passed"),
    "online": PassLine(Decimal(25), None, 0, "online_not_passed"),
}

# --- 1.4 grades and vetoes ---------------------------------------------------------------------------------
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "excellent"),
    (Decimal(75), "good"),
    (Decimal(60), "pass"),
)
FAIL = "fail"
GRADES = frozenset({"excellent", "good", "pass", FAIL})
COMPUTED_VETOES = tuple(line.veto for line in PASS_LINES.values())  # menu_not_passed, online_not_passed
RECORDED_VETOES = frozenset({"absent_from_dispatch", "discipline"})

# --- 1.6 flags ---------------------------------------------------------------------------------------------
FLAG_POLITICAL_SUBHEALTH = "political_subhealth"
FLAG_NO_EXCELLENT_APPRAISAL = "no_excellent_appraisal"


def consecutive_fail(previous_grade: str | None, grade: str | None) -> bool:
    """The political_subhealth rule: two assessed years of ``fail`` in a row (this year and ``year - 1``).

    ``previous_grade`` None (exempt or not assessed) breaks the chain. A previous grade from another policy counts.
    """
    return grade == FAIL and previous_grade == FAIL


# --- 1.1 / 1.5 exemption and proration ---------------------------------------------------------------------
EXEMPTION_REASONS = frozenset({"sick_leave", "retiring", "new_short", "secondment_long", "other"})
EXEMPT_RETIRING = "retiring"
EXEMPT_NEW_SHORT = "new_short"
EXEMPT_IN_RETIREMENT_YEAR = True  # the year an official retires is exempt without a recorded reason
MIN_ASSESSABLE_MONTHS = 6  # fewer assessable months after inclusion -> exempt new_short
POINTS_PER_MONTH = Decimal("8.3")  # proration standard: f = 100 / (8.3 x months)
FULL_YEAR_POINTS = Decimal(100)


def assessable_months(included_month: int) -> int:
    """Included in month m (1-12): assessable months are m+1 .. December."""
    return 12 - included_month


def lectures_required(line: PassLine, months: int | None) -> int:
    """Lectures required by a pass line; prorated to ceil(n x months / 12) for officials included in the year."""
    if months is None:
        return line.lectures
    return -(-line.lectures * months // 12)


def category_of(kind: str) -> str | None:
    """The category of a kind; None for ``discretionary`` (chosen by the approver). ValueError if unknown."""
    try:
        return KINDS[kind].category
    except KeyError:
        raise ValueError(f"Unknown activity kind {kind!r}.") from None


# --- precomputed values (never build Decimal constants per call) -------------------------------------------
_CTX = Context(prec=28, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])
_ZERO = Decimal(0)
_TENTH = Decimal("0.1")
DISPLAY_ROUNDING = ROUND_DOWN  # output scores are cut to one decimal, see the module docstring
CONVERSION_ROUNDING = ROUND_HALF_UP  # 1.5: converted category values are rounded half up to one decimal
_PRORATION_DENOMINATOR = {m: POINTS_PER_MONTH * m for m in range(MIN_ASSESSABLE_MONTHS, 12)}
_FACTOR_TEXT = {
    m: str((FULL_YEAR_POINTS / d).quantize(Decimal("0.00001"), ROUND_HALF_UP))
    for m, d in _PRORATION_DENOMINATOR.items()
}
_CATEGORY_CAPS = tuple(CATEGORIES.items())
_CAP_TEXT = {c: str(v) for c, v in CATEGORIES.items()}
_RATE_TEXT = {k: (None if s.rate is None else str(s.rate)) for k, s in KINDS.items()}
_KIND_CAP_TEXT = {k: str(s.cap) for k, s in KINDS.items() if s.cap is not None}
_PASS_TEXT = {c: str(p.score) for c, p in PASS_LINES.items()}
# Aggregation keys per category in display order: fixed kinds by code, discretionary by (kind, category).
_CATEGORY_KEYS = {c: tuple([k for k, s in KINDS.items() if s.category == c] + [(DISCRETIONARY, c)]) for c in CATEGORIES}
_KEY_KIND = {key: (key if isinstance(key, str) else DISCRETIONARY) for keys in _CATEGORY_KEYS.values() for key in keys}


def _aggregate(activities: tuple[ActivityLine, ...], not_counted: dict) -> dict:
    """Sum the lines per kind (per chosen category for discretionary): key -> [records, quantity, zeroed, points].

    Lines of kinds this policy does not count go to ``not_counted``: kind -> [records, quantity]."""
    acc: dict = {}
    for line in activities:
        kind = line.kind
        spec = KINDS.get(kind)
        q = line.quantity
        if spec is None:
            # A kind of another policy (a record kept from a year under it): listed as not counted, scores 0.
            q = check_amount(q, f"quantity of a {kind!r} line")
            a = not_counted.get(kind)
            if a is None:
                not_counted[kind] = [line.records, q]
            else:
                a[0] += line.records
                a[1] += q
            continue
        if type(q) is not Decimal or not q.is_finite() or q < _ZERO:
            q = check_amount(q, f"quantity of a {kind!r} line")
        n = line.records
        if type(n) is not int or n < 1:
            raise ValueError(f"A {kind!r} line must stand for at least one record (records={n!r}).")
        zeroed = _ZERO
        category = spec.category
        if category is None:
            category = line.category
            if category not in CATEGORIES:
                raise ValueError(
                    f"A discretionary line needs one of the categories {', '.join(CATEGORIES)}; got {category!r}."
                )
            if line.points is None:
                raise ValueError("A discretionary line needs the points set by the approver.")
            points = check_amount(line.points, f"points of a {kind!r} line")
            key = (kind, category)
        else:
            if line.category != category:
                raise ValueError(
                    f"Kind {kind!r} belongs to category {category!r}, but the line says {line.category!r}."
                )
            key = kind
            if kind == SECONDMENT_KIND and q < MIN_SECONDMENT_MONTHS * n:
                zeroed, points = q, _ZERO  # each record (quantity / records) is shorter than the minimum
            elif kind == CLASS_DAY_KIND and not line.class_passed:
                zeroed, points = q, _ZERO
            else:
                points = q * spec.rate
        a = acc.get(key)
        if a is None:
            acc[key] = [n, q, zeroed, points]
        else:
            a[0] += n
            a[1] += q
            a[2] += zeroed
            a[3] += points
    return acc


def assess(ctx: OfficialYear, *, explain: bool = True) -> Assessment:
    """Assess one official for one year under ``kunshan-2020``. Raises ValueError on bad input. Without
    ``explain`` the result is the same but its ``explanation`` is empty (a whole year's recompute stores the inputs
    and explains on read)."""
    with _localcontext(_CTX):
        return _assess(ctx, explain)


def _assess(ctx: OfficialYear, explain: bool = True) -> Assessment:
    # --- validate the year-level facts
    exemption = ctx.exemption
    if exemption is not None and exemption not in EXEMPTION_REASONS:
        raise ValueError(
            f"Unknown exemption reason {exemption!r}; expected one of {', '.join(sorted(EXEMPTION_REASONS))}."
        )
    recorded = ctx.vetoes
    if recorded:
        unknown = set(recorded) - RECORDED_VETOES
        if unknown:
            raise ValueError(
                f"Unknown recorded veto {', '.join(sorted(unknown))}; expected {', '.join(sorted(RECORDED_VETOES))}."
            )
        recorded = sorted(recorded)
    else:
        recorded = []
    previous = ctx.previous_grade
    if previous is not None and previous not in GRADES:
        raise ValueError(f"Unknown previous grade {previous!r}; expected one of {', '.join(sorted(GRADES))} or None.")
    im = ctx.included_month
    months = None
    if im is not None:
        if type(im) is not int or not 1 <= im <= 12:
            raise ValueError(f"The month of inclusion must be a whole number from 1 to 12, got {im!r}.")
        months = assessable_months(im)

    # --- who is assessed (1.1, 1.5)
    if exemption is None:
        if EXEMPT_IN_RETIREMENT_YEAR and ctx.retires_in_year:
            exemption = EXEMPT_RETIRING
        elif months is not None and months < MIN_ASSESSABLE_MONTHS:
            exemption = EXEMPT_NEW_SHORT
    exempt = exemption is not None
    denominator = None if exempt or months is None else _PRORATION_DENOMINATOR[months]
    if months is None or not explain:
        proration = None
    else:
        proration = {"im": im, "m": months, "f": None if denominator is None else _FACTOR_TEXT[months]}

    # --- points per kind, per category (1.3, 1.5)
    not_counted: dict = {}
    acc = _aggregate(ctx.activities, not_counted)
    total = _ZERO
    categories = {}
    explained = {}
    vetoes = []
    for code, cap in _CATEGORY_CAPS:
        kinds = {}
        value = _ZERO
        for key in _CATEGORY_KEYS[code]:
            a = acc.get(key)
            if a is None:
                continue
            kind = _KEY_KIND[key]
            n, q, zeroed, points = a
            kind_cap = KINDS[kind].cap
            if explain:
                e = {"n": n, "q": _s(q), "r": _RATE_TEXT[kind], "p": _s(points)}
                if zeroed:
                    e["z"] = _s(zeroed)
                if kind_cap is not None:
                    e["cap"] = _KIND_CAP_TEXT[kind]
                    if points > kind_cap:
                        e["cut"] = _s(points - kind_cap)
                kinds[kind] = e
            if kind_cap is not None and points > kind_cap:
                points = kind_cap
            value += points
        if explain:
            e = {"k": kinds} if kinds else {}
            e["sum"] = _s(value)
        if denominator is not None:
            value = (value * FULL_YEAR_POINTS / denominator).quantize(_TENTH, CONVERSION_ROUNDING)
            if explain:
                e["cv"] = _s(value)
        if explain:
            e["cap"] = _CAP_TEXT[code]
            if value > cap:
                e["cut"] = _s(value - cap)
        if value > cap:
            value = cap
        passed = None
        line = PASS_LINES.get(code)
        if line is not None:
            if line.lecture_kind is not None:
                a = acc.get(line.lecture_kind)
                lectures = _ZERO if a is None else a[1]
                required = lectures_required(line, None if denominator is None else months)
            if not exempt:
                passed = value >= line.score and (line.lecture_kind is None or lectures >= required)
                if not passed:
                    vetoes.append(line.veto)
        if explain:
            e["s"] = _s(value)
            if line is not None:
                e["line"] = _PASS_TEXT[code]
                if line.lecture_kind is not None:
                    e["cl"] = _s(lectures)
                    e["clr"] = required
                e["ok"] = passed
            explained[code] = e
        categories[code] = CategoryResult(code, value.quantize(_TENTH, DISPLAY_ROUNDING), passed)
        total += value

    # --- grade, vetoes, flags (1.4, 1.6)
    vetoes += recorded
    flags = []
    if exempt:
        grade = None
        vetoes = recorded
    elif vetoes:
        grade = FAIL
    else:
        grade = FAIL
        for threshold, band in GRADE_BANDS:
            if total >= threshold:
                grade = band
                break
    if grade == FAIL:
        if consecutive_fail(previous, grade):
            flags.append(FLAG_POLITICAL_SUBHEALTH)
        flags.append(FLAG_NO_EXCELLENT_APPRAISAL)

    explanation = {}
    if explain:
        explanation = {
            "p": CODE,
            "ex": exemption,
            "pr": proration,
            "c": explained,
            "t": _s(total),
            "g": grade,
            "v": vetoes,
            "fl": flags,
        }
        if not_counted:
            explanation["nc"] = {kind: {"n": n, "q": _s(q)} for kind, (n, q) in not_counted.items()}
    return Assessment(
        policy=CODE,
        year=ctx.year,
        exempt=exempt,
        exempt_reason=exemption,
        categories=categories,
        total=total.quantize(_TENTH, DISPLAY_ROUNDING),
        grade=grade,
        vetoes=tuple(vetoes),
        flags=tuple(flags),
        explanation=explanation,
        chain=PreviousYear(policy=CODE, exempt=exempt, grade=grade, year=ctx.year),
    )


# --- 1.8 unit level: central-group study ----------------------------------------------------------------------
# A unit's party committee holds at least this many central-group study sessions a year (RULES §1.8). A session
# counts for the unit when it is entered (a fact of the unit committee), not when its attendees' records are approved.
GROUP_STUDY_SESSIONS_REQUIRED = 12


# --- the policy as the rest of the portal sees it (credits.rules.types.Policy) -------------------------------
NAME = gettext_noop("Kunshan annual training credit assessment (2020)")
CATEGORY_LABELS = {
    "offjob": gettext_noop("Off-job training"),
    "menu": gettext_noop("Menu-style lectures"),
    "online": gettext_noop("Online study"),
    "group_study": gettext_noop("Central-group study"),
    "self_study": gettext_noop("Self-study"),
}
# kind -> (label, what one unit of quantity is)
KIND_WORDS = {
    "class_day": (gettext_noop("Training class day"), gettext_noop("class day")),
    "class_speech": (gettext_noop("Exchange speech at a class"), gettext_noop("class speech")),
    "class_reflection": (gettext_noop("Class study reflection"), gettext_noop("written reflection")),
    "secondment_month": (gettext_noop("Secondment month"), gettext_noop("month of secondment")),
    "menu_city_lecture": (gettext_noop("City training office menu lecture"), gettext_noop("lecture")),
    "menu_other_lecture": (gettext_noop("Other unit lecture or forum"), gettext_noop("lecture")),
    "online_hour": (gettext_noop("Online academy class hour"), gettext_noop("class hour")),
    "xuexi_qiangguo": (gettext_noop("Xuexi Qiangguo app (yearly)"), gettext_noop("confirmed year")),
    "central_group_speaker": (gettext_noop("Central-group study, speaker"), gettext_noop("attended session")),
    "central_group_listener": (gettext_noop("Central-group study, listener"), gettext_noop("attended session")),
    "superior_central_group": (gettext_noop("Superior central-group study"), gettext_noop("attended session")),
    "book_reflection": (gettext_noop("Designated book reflection"), gettext_noop("written reflection")),
    "research_report": (gettext_noop("Endorsed research report"), gettext_noop("endorsed report")),
    "study_paper": (gettext_noop("Self-study paper"), gettext_noop("written paper")),
    "teaching_topic": (gettext_noop("Teaching a topic"), gettext_noop("taught topic")),
    "teaching_faculty_session": (gettext_noop("Faculty pool teaching session"), gettext_noop("teaching session")),
    "discretionary": (gettext_noop("Discretionary points"), gettext_noop("discretionary item")),
}
LABELS = {
    "excellent": gettext_noop("Excellent"),
    "good": gettext_noop("Good"),
    "pass": gettext_noop("Pass"),
    FAIL: gettext_noop("Fail"),
    "menu_not_passed": gettext_noop("Menu-style lectures below the pass line"),
    "online_not_passed": gettext_noop("Online study below the pass line"),
    FLAG_POLITICAL_SUBHEALTH: gettext_noop("Failed two years running: political health check rated “sub-healthy”"),
    FLAG_NO_EXCELLENT_APPRAISAL: gettext_noop("Not eligible for “excellent” in this year's appraisal"),
}
# RULES §1.8: officials declare off-job training and self-study; unit administrators also central-group study.
DECLARABLE_BY_OFFICIAL = frozenset({"offjob", "self_study"})
ENTERABLE_BY_UNIT_ADMIN = frozenset({"offjob", "self_study", "group_study"})
MAX_DISCRETIONARY_POINTS = max(CATEGORIES.values())
# A shortfall is counted in whole activities of the cheapest usual kind ("还需参加 2 次市级讲座").
SHORTFALL_KIND = {"menu": "menu_city_lecture", "online": "online_hour"}


def _rule_text(kind: str) -> tuple[str, dict]:
    spec = KINDS[kind]
    if spec.rate is None:
        return gettext_noop("Points set case by case by the training section, under the category it chooses."), {}
    text = gettext_noop("Counted per %(unit)s: %(rate)s points each.")
    params: dict = {"unit": KIND_WORDS[kind][1], "rate": spec.rate}
    if spec.cap is not None:
        text += "\n" + gettext_noop("At most %(cap)s points a year.")
        params["cap"] = spec.cap
    if kind == CLASS_DAY_KIND:
        text += "\n" + gettext_noop("Counts only when the class result is passed.")
    if kind == SECONDMENT_KIND:
        text += "\n" + gettext_noop("A secondment shorter than %(months)s months scores 0.")
        params["months"] = MIN_SECONDMENT_MONTHS
    return text, params


def _kind_spec(kind: str) -> KindSpec:
    label, unit = KIND_WORDS[kind]
    rule, params = _rule_text(kind)
    return KindSpec(
        code=kind,
        label=label,
        category=KINDS[kind].category,
        unit=unit,
        rule=rule,
        rule_params=params,
        points="required" if kind == DISCRETIONARY else "none",
    )


class KunshanPolicy:
    """``kunshan-2020`` behind the common interface (credits.rules.types.Policy)."""

    code = CODE
    name = NAME
    categories = tuple(
        CategorySpec(c, CATEGORY_LABELS[c], cap, PASS_LINES[c].score if c in PASS_LINES else None)
        for c, cap in CATEGORIES.items()
    )
    kinds = {kind: _kind_spec(kind) for kind in KINDS}
    grades = ("excellent", "good", "pass", FAIL)
    grade_bands = tuple(GradeBand(at, grade) for at, grade in GRADE_BANDS)
    failing_grade = FAIL
    per_record_kinds = PER_RECORD_KINDS
    judges_categories = True
    declarable_by_official = DECLARABLE_BY_OFFICIAL
    enterable_by_unit_admin = ENTERABLE_BY_UNIT_ADMIN
    labels = LABELS
    group_study_sessions_required = GROUP_STUDY_SESSIONS_REQUIRED
    cycle_credits_required = None  # no five-year rule in RULES §1

    def category_of(self, kind: str) -> str | None:
        return KINDS[kind].category

    def validate_record(
        self, *, kind: str, category: str | None, quantity: Decimal, points: Decimal | None
    ) -> list[Problem]:
        problems = []
        own = KINDS[kind].category
        if own is None:
            if category not in CATEGORIES:
                problems.append(
                    Problem("category", gettext_noop("Choose the category the discretionary points count under."))
                )
            if points is None:
                problems.append(Problem("points", gettext_noop("Discretionary points need the number of points.")))
            elif not _ZERO < points <= MAX_DISCRETIONARY_POINTS:
                problems.append(
                    Problem(
                        "points",
                        gettext_noop("The points must be more than 0 and at most %(max)s."),
                        {"max": MAX_DISCRETIONARY_POINTS},
                    )
                )
        else:
            if category not in (None, "", own):
                problems.append(
                    Problem(
                        "category", gettext_noop("This kind always counts under “%(category)s”."), {"category": own}
                    )
                )
            if points is not None:
                problems.append(Problem("points", gettext_noop("Points are set only for discretionary records.")))
        return problems

    def assess(self, ctx: OfficialYear, *, explain: bool = True) -> Assessment:
        return assess(ctx, explain=explain)

    def requirements(self, explanation) -> tuple[Requirement, ...]:
        """Menu: its score and its city lectures; online: its score (RULES §1.3), with what the result has."""
        found = []
        categories = (explanation or {}).get("c") or {}
        for code, line in PASS_LINES.items():
            c = categories.get(code) or {}
            kind = SHORTFALL_KIND[code]
            found.append(Requirement(code, "points", Decimal(str(c.get("s", 0))), line.score, kind, KINDS[kind].rate))
            if line.lecture_kind is not None:
                have = Decimal(str(c.get("cl", 0)))
                need = Decimal(int(c.get("clr", line.lectures)))
                found.append(Requirement(code, "count", have, need, line.lecture_kind, Decimal(1)))
        return tuple(found)

    def explain(self, explanation) -> tuple[Note, ...]:
        """Proration, every quantity that scored 0, every cap that cut points, kinds not counted."""
        if not explanation:
            return ()
        notes = []
        prorated = explanation.get("pr") or {}
        if prorated.get("f"):
            notes.append(
                Note(
                    gettext_noop(
                        "Included among city-managed cadres in month %(month)s: %(months)s assessable months, so each "
                        "category was converted to a full year (factor %(factor)s)."
                    ),
                    {"month": prorated.get("im"), "months": prorated.get("m"), "factor": prorated["f"]},
                )
            )
        for code, category in (explanation.get("c") or {}).items():
            for kind, line in (category.get("k") or {}).items():
                if line.get("z"):
                    if kind == CLASS_DAY_KIND:
                        text = gettext_noop("%(quantity)s class days scored 0: the class result was not passed.")
                    else:
                        text = gettext_noop(
                            "%(quantity)s of %(kind)s scored 0 (a secondment shorter than %(months)s months)."
                        )
                    notes.append(
                        Note(text, {"quantity": Decimal(line["z"]), "kind": kind, "months": MIN_SECONDMENT_MONTHS})
                    )
                if line.get("cut"):
                    notes.append(
                        Note(
                            gettext_noop(
                                "%(kind)s: at most %(cap)s points a year; %(cut)s points above that do not count."
                            ),
                            {"kind": kind, "cap": Decimal(line.get("cap")), "cut": Decimal(line["cut"])},
                        )
                    )
            if category.get("cv") is not None:
                notes.append(
                    Note(
                        gettext_noop("%(category)s: %(sum)s points converted to %(converted)s."),
                        {"category": code, "sum": Decimal(category.get("sum")), "converted": Decimal(category["cv"])},
                    )
                )
            if category.get("cut"):
                notes.append(
                    Note(
                        gettext_noop(
                            "%(category)s: the category counts at most %(cap)s points; %(cut)s points above that do "
                            "not count."
                        ),
                        {"category": code, "cap": Decimal(category.get("cap")), "cut": Decimal(category["cut"])},
                    )
                )
        notes += not_counted_notes(explanation)
        return tuple(notes)

    def unit_flags(self, *, assessed: int, failed: int) -> tuple[str, ...]:
        return ()


POLICY = KunshanPolicy()
