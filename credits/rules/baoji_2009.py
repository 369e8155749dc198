"""Baoji credit scheme, policy ``baoji-2009`` (RULES.md section 2; seed ``002_…``, annex 3: 宝鸡市学分制管理办法).

A pure function of :class:`~credits.rules.types.OfficialYear`: no Django, no ORM, ``Decimal`` only.
Every rule is one module-level constant or table entry below; change the rule there, nowhere else.

The year: ``earned = basic + additional + reward`` (no caps, no pass lines per category); ``carry_in`` is the
``carry_out`` of the official's year N-1 when that year was under this policy; ``effective = earned + carry_in``;
grade ``pass`` when ``effective >= 60`` else ``fail``; ``carry_out = effective - 60`` when ``effective >= 60`` else 0.
The five-year cycle (aligned on ``common.CYCLE_FIRST_YEAR``) is judged in its last year: ``cycle.earned >= 300``.

Decisions where RULES.md leaves room (each is a constant below or stated here):

* ``class_day`` is judged record by record (``PER_RECORD_KINDS``). A ``class_day`` line with ``records > 1`` is
  read as records of equal length (like kunshan-2020's secondments): the whole line scores 0 when
  ``quantity < 3 x records``. A record that is both short and not passed is listed as short. ``online_course``
  lines may sum several records: each scores its points, so their sum scores the sum (a city's year has ~300,000
  of them; one line each was a fifth of the recompute's reading, bench/recompute.py).
* ``class_day`` ``points`` (set by the approver) score ``min(points, days x 5)``; the difference to the standard is
  listed in the explanation. ``online_course`` scores its ``points`` (the course's value) whatever its quantity;
  the 5-20 range is checked by ``validate_record``, not by ``assess`` (which takes approved records as they are).
  ``points`` on any other kind are ignored, and ``class_passed`` is read only for ``class_day``.
* Carry-in: only from a ``PreviousYear`` of this policy whose ``year`` is exactly N-1; a year under another
  policy, no score for N-1 or a chain value without a year carries nothing in.
  Carry is never reset at a cycle boundary (RULES §2.2).
* Cycle figure: this year's earned plus ``previous.cycle_earned`` when the previous year is N-1 under this policy
  in the same cycle; otherwise the running sum starts again at this year (a year under another policy, or no
  score for N-1, ends it). The cycle is judged on what the sum holds: there is no proration for officials who
  joined during a cycle. When the sum starts again after the cycle's first year the explanation says so ("r").
* Exemption (``EXEMPTION_REASONS``, the reasons of kunshan-2020 §1.1): a recorded ``exemption`` first, then the
  retirement year (``EXEMPT_IN_RETIREMENT_YEAR``), then an official included in the year with fewer than
  ``MIN_ASSESSABLE_MONTHS`` assessable months (``12 - included_month``, reason ``new_short``). There is no
  proration otherwise (the Baoji source has none): an official included with 6 or more months needs the full 60.
* An exempt year: no grade, no flags (not even ``promotion_ineligible``: nothing is judged), ``carry_out =
  carry_in``, its earned credits still count in the cycle, and the cycle is not judged in it even when it is the
  cycle's last year (``JUDGE_CYCLE_IN_EXEMPT_YEAR``). Recorded vetoes stay listed (facts recorded by the org dept)
  without effect.
* Recorded vetoes (``absent_from_dispatch``, ``discipline``) make an assessed year ``fail`` whatever its credits
  (``VETO_FAILS_THE_YEAR``), are listed in ``vetoes``, and carry still follows the formula (a vetoed year with
  ``effective`` 75 carries 15 into the next year): the veto judges the year, not the credits earned.
* ``promotion_ineligible`` is raised unless this year passed and the year before (``ctx.previous`` with ``year``
  N-1) was assessed and passed. A year before under another policy counts as passed when its grade is not
  ``fail`` (kunshan-2020's excellent, good or pass); an exempt, missing or not-N-1 year before makes the official
  ineligible. When ``ctx.previous`` is None, ``ctx.previous_grade`` (the grade of N-1, None when exempt or not
  assessed) stands in for this rule only; carry and cycle need the chain value.
* ``no_advanced_rating`` (a unit flag): ``assessed > 0`` and ``failed / assessed >= 1/3``, compared as whole
  numbers (``3 x failed >= assessed``), so 1 of 3 is flagged and 1 of 4 is not (三分之一以上 includes a third).
* The cycle's own pass line is 300 (第十七条: 五年 300 学分以上为合格); the source's "59 and below" is read as
  "below 60" (exact comparison), as for the year.
* Who enters what (``DECLARABLE_BY_OFFICIAL``, ``ENTERABLE_BY_UNIT_ADMIN``): every category, as the Baoji scheme is
  self-declared with proof (第十二条); the training section approves.
* Words: the codes shared with kunshan-2020 (``class_day``, ``pass``, ``fail``, ``no_excellent_appraisal``) keep its
  words, as ``credits.rules.ALL_KINDS``/``ALL_LABELS`` hold one word per code.
* A requirement shortfall (``requirements``) is counted in class days of 5 credits (``SHORTFALL_KIND``).
* Output: ``CategoryResult.score`` and ``Assessment.total`` (= effective) are cut to one decimal with
  ``DISPLAY_ROUNDING`` (round down), so a shown value never appears to reach a line it missed; lines are compared
  with exact values, and ``figures``, the explanation and the chain keep exact values.
* Input checks (ValueError): a known kind's line whose ``category`` differs from the table; an ``online_course``
  line without ``points``; negative, NaN or float quantities/points (int is accepted); ``records < 1``; unknown
  exemption reason, recorded veto or previous grade; included month outside 1-12; a year that is not an int;
  ``previous`` that is not a ``PreviousYear``; a negative or non-Decimal carry or cycle figure in the chain used.

Explanation schema (``Assessment.explanation``, JSON-serialisable; decimals are strings such as ``"12.5"``)::

    {
      "p":  policy code, "y": year (int),
      "ex": exemption reason or null,
      "c":  {category code: {                     # all three categories, in CATEGORIES order
              "k":  {kind code: {                  # only kinds with lines, in KINDS order
                       "n":  records (int), "q": summed quantity,
                       "r":  credits per unit, or null for online_course (the course's value),
                       "p":  credits scored,
                       # class_day only, each only when it has records:
                       "zs": {"n": records, "q": days},    # shorter than 3 days, scored 0
                       "zf": {"n": records, "q": days},    # the class was not passed, scored 0
                       "lo": {"n": records, "d": credits}, # points set below days x 5, and by how much
                    }},                            # "k" omitted when the category has no lines
              "s":  category credits (exact)
            }},
      "e":  earned, "ci": carry_in, "ef": effective, "co": carry_out (exact),
      "cy": {"f": cycle's first year, "l": last year, "e": cycle earned, "ok": cycle passed or null,
             "r": true only when the running sum started again this year after the cycle's first year},
      "g":  grade or null, "v": [vetoes], "fl": [flags],
      "nc": {kind code: {"n": records, "q": summed quantity}}   # only when some kinds were not counted; sorted
    }

``Assessment.figures``: ``{"earned", "carry_in", "effective", "carry_out": exact decimal strings, "cycle":
{"first_year": int, "last_year": int, "earned": decimal string, "passed": bool or null}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from decimal import localcontext as _localcontext
from typing import NamedTuple

from credits.rules import kunshan_2020 as _kunshan
from credits.rules.common import check_amount, cycle_of, not_counted_notes
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

CODE = "baoji-2009"

# --- 2.1 categories: no caps, no pass lines (display order) --------------------------------------------------
CATEGORIES: tuple[str, ...] = ("basic", "additional", "reward")


class Kind(NamedTuple):
    category: str
    rate: Decimal | None  # credits per unit of quantity; None: the line's ``points`` (the course's value)


# --- 2.1 activity kinds: category, credits per unit ----------------------------------------------------------
KINDS: dict[str, Kind] = {
    "class_day": Kind("basic", Decimal(5)),
    "online_course": Kind("basic", None),
    "degree_study_year": Kind("additional", Decimal(5)),
    "degree_doctorate": Kind("additional", Decimal(7)),
    "degree_master": Kind("additional", Decimal(6)),
    "degree_bachelor": Kind("additional", Decimal(5)),
    "book_sole": Kind("reward", Decimal(10)),
    "book_coauthor": Kind("reward", Decimal(5)),
    "book_contributor": Kind("reward", Decimal(3)),
    "article_sole": Kind("reward", Decimal(5)),
    "article_coauthor": Kind("reward", Decimal(3)),
    "award_first": Kind("reward", Decimal(5)),
    "award_second": Kind("reward", Decimal(4)),
    "award_third": Kind("reward", Decimal(3)),
    "award_honourable": Kind("reward", Decimal(2)),
}
CLASS_DAY_KIND = "class_day"
MIN_CLASS_DAYS = Decimal(3)  # a training of fewer days scores 0 (3天以上(含3天))
ONLINE_COURSE_KIND = "online_course"
ONLINE_COURSE_MIN_POINTS = Decimal(5)  # a course is worth 5 to 20 credits (每选学1个科目考试合格记5-20学分)
ONLINE_COURSE_MAX_POINTS = Decimal(20)
ONLINE_COURSES_PER_RECORD = Decimal(1)  # one course a record
# Kinds whose rule judges each record on its own: callers pass one ActivityLine per record for them.
PER_RECORD_KINDS = frozenset({CLASS_DAY_KIND})

# --- 2.2 the year: pass line, carry-over, grade --------------------------------------------------------------
PASS_LINE = Decimal(60)  # effective credits a year (年度达到60学分以上者为合格)
PASS = "pass"
FAIL = "fail"
GRADES = (PASS, FAIL)
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = ((PASS_LINE, PASS),)
RECORDED_VETOES = _kunshan.RECORDED_VETOES  # absent_from_dispatch, discipline (recorded by the org dept)
VETO_FAILS_THE_YEAR = True  # a recorded veto makes an assessed year fail; carry still follows the formula
# Grades a year before may carry (any policy's); used to check ``ctx.previous_grade``.
KNOWN_GRADES = frozenset(GRADES) | _kunshan.GRADES

# --- 2.3 the five-year cycle (years: credits.rules.common.cycle_of) ------------------------------------------
CYCLE_PASS_LINE = Decimal(300)  # earned over the cycle (五年达到300学分以上者为合格), judged in its last year
JUDGE_CYCLE_IN_EXEMPT_YEAR = False  # an exempt last year of a cycle does not judge the cycle

# --- 2.4 consequences ------------------------------------------------------------------------------------------
FLAG_NO_EXCELLENT_APPRAISAL = _kunshan.FLAG_NO_EXCELLENT_APPRAISAL  # fail: no 优秀, no commendation that year
FLAG_PROMOTION_INELIGIBLE = "promotion_ineligible"  # unless this year and the year before were assessed and passed
UNIT_FLAG_NO_ADVANCED_RATING = "no_advanced_rating"  # a third or more of the unit's assessed officials failed
UNIT_FAIL_SHARE_DENOMINATOR = 3  # "a third or more": 3 x failed >= assessed

# --- who is assessed (the reasons of kunshan-2020 §1.1; no proration) ---------------------------------------
EXEMPTION_REASONS = _kunshan.EXEMPTION_REASONS
EXEMPT_RETIRING = _kunshan.EXEMPT_RETIRING
EXEMPT_NEW_SHORT = _kunshan.EXEMPT_NEW_SHORT
EXEMPT_IN_RETIREMENT_YEAR = True  # the year an official retires is exempt without a recorded reason
MIN_ASSESSABLE_MONTHS = 6  # included in the year with fewer assessable months (12 - month) -> exempt new_short


def category_of(kind: str) -> str:
    """The category of a kind this policy counts; ValueError if it does not count it."""
    try:
        return KINDS[kind].category
    except KeyError:
        raise ValueError(f"Unknown activity kind {kind!r} for {CODE}.") from None


def carry_out_of(effective: Decimal) -> Decimal:
    """The credits an assessed year passes to the next: what is above the pass line (超额部分计入下一年度)."""
    return effective - PASS_LINE if effective >= PASS_LINE else Decimal(0)


def unit_flags(*, assessed: int, failed: int) -> tuple[str, ...]:
    """A unit's flags for the year (RULES §2.4): ``no_advanced_rating`` when a third or more of its assessed
    officials failed. ValueError unless ``0 <= failed <= assessed`` are whole numbers."""
    for name, value in (("assessed", assessed), ("failed", failed)):
        if type(value) is not int or value < 0:
            raise ValueError(f"{name} must be a whole number of officials, got {value!r}.")
    if failed > assessed:
        raise ValueError(f"More failed officials ({failed}) than assessed ones ({assessed}).")
    if assessed > 0 and UNIT_FAIL_SHARE_DENOMINATOR * failed >= assessed:
        return (UNIT_FLAG_NO_ADVANCED_RATING,)
    return ()


# --- precomputed values --------------------------------------------------------------------------------------
_CTX = Context(prec=28, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])
_ZERO = Decimal(0)
_TENTH = Decimal("0.1")
DISPLAY_ROUNDING = ROUND_DOWN  # output scores are cut to one decimal, see the module docstring
_RATE_TEXT = {k: (None if s.rate is None else str(s.rate)) for k, s in KINDS.items()}
_CATEGORY_KINDS = {c: tuple(k for k, s in KINDS.items() if s.category == c) for c in CATEGORIES}


class _Acc:
    """What the lines of one kind add up to."""

    __slots__ = ("n", "q", "p", "zs_n", "zs_q", "zf_n", "zf_q", "lo_n", "lo_d")

    def __init__(self) -> None:
        self.n = 0
        self.q = self.p = self.zs_q = self.zf_q = self.lo_d = _ZERO
        self.zs_n = self.zf_n = self.lo_n = 0


def _aggregate(activities: tuple[ActivityLine, ...], not_counted: dict) -> dict[str, _Acc]:
    """Score the lines and sum them per kind. Lines of kinds this policy does not count go to ``not_counted``:
    kind -> [records, quantity]."""
    acc: dict[str, _Acc] = {}
    for line in activities:
        kind = line.kind
        spec = KINDS.get(kind)
        q = check_amount(line.quantity, f"quantity of a {kind!r} line")
        if spec is None:
            # A kind of another policy (a record kept from a year under it): listed as not counted, scores 0.
            a = not_counted.get(kind)
            if a is None:
                not_counted[kind] = [line.records, q]
            else:
                a[0] += line.records
                a[1] += q
            continue
        n = line.records
        if type(n) is not int or n < 1:
            raise ValueError(f"A {kind!r} line must stand for at least one record (records={n!r}).")
        if line.category != spec.category:
            raise ValueError(
                f"Kind {kind!r} belongs to category {spec.category!r}, but the line says {line.category!r}."
            )
        a = acc.get(kind)
        if a is None:
            a = acc[kind] = _Acc()
        a.n += n
        a.q += q
        if kind == CLASS_DAY_KIND:
            if q < MIN_CLASS_DAYS * n:  # each record (quantity / records) is shorter than the minimum
                a.zs_n += n
                a.zs_q += q
            elif not line.class_passed:
                a.zf_n += n
                a.zf_q += q
            else:
                standard = q * spec.rate
                if line.points is None:
                    a.p += standard
                else:
                    points = check_amount(line.points, f"points of a {kind!r} line")
                    if points < standard:
                        a.lo_n += n
                        a.lo_d += standard - points
                        a.p += points
                    else:
                        a.p += standard
        elif spec.rate is None:
            if line.points is None:
                raise ValueError(f"A {kind!r} line needs its points (the course's credits).")
            a.p += check_amount(line.points, f"points of a {kind!r} line")
        else:
            a.p += q * spec.rate
    return acc


def _kind_entry(kind: str, a: _Acc) -> dict:
    e = {"n": a.n, "q": _s(a.q), "r": _RATE_TEXT[kind], "p": _s(a.p)}
    if a.zs_n:
        e["zs"] = {"n": a.zs_n, "q": _s(a.zs_q)}
    if a.zf_n:
        e["zf"] = {"n": a.zf_n, "q": _s(a.zf_q)}
    if a.lo_n:
        e["lo"] = {"n": a.lo_n, "d": _s(a.lo_d)}
    return e


def _chain_amount(previous: PreviousYear, what: str) -> Decimal:
    return check_amount(getattr(previous, what), f"{what} of the year {previous.year} before")


def year_before_passed(ctx: OfficialYear) -> bool:
    """Whether the official's year N-1 was assessed and passed (any policy's grade but ``fail``), for the
    ``promotion_ineligible`` rule. Reads ``ctx.previous``; ``ctx.previous_grade`` only when there is none."""
    previous = ctx.previous
    if previous is not None:
        return (
            previous.year == ctx.year - 1
            and not previous.exempt
            and previous.grade is not None
            and previous.grade != FAIL
        )
    return ctx.previous_grade is not None and ctx.previous_grade != FAIL


def assess(ctx: OfficialYear, *, explain: bool = True) -> Assessment:
    """Assess one official for one year under ``baoji-2009``. Raises ValueError on bad input. Without ``explain``
    the result is the same but its ``explanation`` is empty (a whole year's recompute stores the inputs and explains
    on read)."""
    with _localcontext(_CTX):
        return _assess(ctx, explain)


def _assess(ctx: OfficialYear, explain: bool = True) -> Assessment:
    # --- validate the year-level facts
    year = ctx.year
    first_year, last_year = cycle_of(year)
    exemption = ctx.exemption
    if exemption is not None and exemption not in EXEMPTION_REASONS:
        raise ValueError(
            f"Unknown exemption reason {exemption!r}; expected one of {', '.join(sorted(EXEMPTION_REASONS))}."
        )
    recorded = sorted(ctx.vetoes) if ctx.vetoes else []
    unknown = set(recorded) - RECORDED_VETOES
    if unknown:
        raise ValueError(
            f"Unknown recorded veto {', '.join(sorted(unknown))}; expected {', '.join(sorted(RECORDED_VETOES))}."
        )
    if ctx.previous_grade is not None and ctx.previous_grade not in KNOWN_GRADES:
        raise ValueError(
            f"Unknown previous grade {ctx.previous_grade!r}; expected one of {', '.join(sorted(KNOWN_GRADES))} or None."
        )
    previous = ctx.previous
    if previous is not None and not isinstance(previous, PreviousYear):
        raise ValueError(f"The year before must be a PreviousYear or None, got {type(previous).__name__}.")
    im = ctx.included_month
    if im is not None and (type(im) is not int or not 1 <= im <= 12):
        raise ValueError(f"The month of inclusion must be a whole number from 1 to 12, got {im!r}.")

    # --- who is assessed (no proration: the Baoji source has none)
    if exemption is None:
        if EXEMPT_IN_RETIREMENT_YEAR and ctx.retires_in_year:
            exemption = EXEMPT_RETIRING
        elif im is not None and _kunshan.assessable_months(im) < MIN_ASSESSABLE_MONTHS:
            exemption = EXEMPT_NEW_SHORT
    exempt = exemption is not None

    # --- credits per kind, per category (2.1)
    not_counted: dict = {}
    acc = _aggregate(ctx.activities, not_counted)
    earned = _ZERO
    categories = {}
    explained = {}
    for code in CATEGORIES:
        kinds = {}
        value = _ZERO
        for kind in _CATEGORY_KINDS[code]:
            a = acc.get(kind)
            if a is not None:
                if explain:
                    kinds[kind] = _kind_entry(kind, a)
                value += a.p
        if explain:
            e = {"k": kinds} if kinds else {}
            e["s"] = _s(value)
            explained[code] = e
        categories[code] = CategoryResult(code, value.quantize(_TENTH, DISPLAY_ROUNDING), None)
        earned += value

    # --- carry-over (2.2) and the cycle (2.3)
    follows = previous is not None and previous.policy == CODE and previous.year == year - 1
    carry_in = _chain_amount(previous, "carry_out") if follows else _ZERO
    effective = earned + carry_in
    cycle_earned = earned
    if follows and previous.year >= first_year:
        cycle_earned += _chain_amount(previous, "cycle_earned")
        restarted = False
    else:
        restarted = year > first_year

    # --- grade, vetoes, flags (2.2, 2.4)
    flags = []
    if exempt:
        grade = None
        carry_out = carry_in
    else:
        grade = PASS if effective >= PASS_LINE and not (VETO_FAILS_THE_YEAR and recorded) else FAIL
        carry_out = carry_out_of(effective)
        if grade == FAIL:
            flags.append(FLAG_NO_EXCELLENT_APPRAISAL)
        if not (grade == PASS and year_before_passed(ctx)):
            flags.append(FLAG_PROMOTION_INELIGIBLE)
    judged = year == last_year and (JUDGE_CYCLE_IN_EXEMPT_YEAR or not exempt)
    cycle_passed = (cycle_earned >= CYCLE_PASS_LINE) if judged else None

    cycle = {"f": first_year, "l": last_year, "e": _s(cycle_earned), "ok": cycle_passed}
    if restarted:
        cycle["r"] = True
    explanation = {}
    if explain:
        explanation = {
            "p": CODE,
            "y": year,
            "ex": exemption,
            "c": explained,
            "e": _s(earned),
            "ci": _s(carry_in),
            "ef": _s(effective),
            "co": _s(carry_out),
            "cy": cycle,
            "g": grade,
            "v": recorded,
            "fl": flags,
        }
        if not_counted:
            explanation["nc"] = {kind: {"n": n, "q": _s(q)} for kind, (n, q) in sorted(not_counted.items())}
    figures = {
        "earned": _s(earned),
        "carry_in": _s(carry_in),
        "effective": _s(effective),
        "carry_out": _s(carry_out),
        "cycle": {"first_year": first_year, "last_year": last_year, "earned": _s(cycle_earned), "passed": cycle_passed},
    }
    return Assessment(
        policy=CODE,
        year=year,
        exempt=exempt,
        exempt_reason=exemption,
        categories=categories,
        total=effective.quantize(_TENTH, DISPLAY_ROUNDING),
        grade=grade,
        vetoes=tuple(recorded),
        flags=tuple(flags),
        explanation=explanation,
        figures=figures,
        chain=PreviousYear(
            policy=CODE, exempt=exempt, grade=grade, carry_out=carry_out, cycle_earned=cycle_earned, year=year
        ),
    )


# --- the policy as the rest of the portal sees it (credits.rules.types.Policy) -------------------------------
NAME = gettext_noop("Baoji training credit scheme (2009)")
CATEGORY_LABELS = {
    "basic": gettext_noop("Basic credits"),
    "additional": gettext_noop("Additional credits"),
    "reward": gettext_noop("Reward credits"),
}
# kind -> (label, what one unit of quantity is); class_day keeps kunshan-2020's words (one code, one word).
KIND_WORDS = {
    CLASS_DAY_KIND: _kunshan.KIND_WORDS[CLASS_DAY_KIND],
    "online_course": (gettext_noop("Online course passed by its exam"), gettext_noop("passed course")),
    "degree_study_year": (gettext_noop("Year of degree study"), gettext_noop("year of degree study")),
    "degree_doctorate": (gettext_noop("Doctorate obtained"), gettext_noop("degree obtained")),
    "degree_master": (gettext_noop("Master's degree obtained"), gettext_noop("degree obtained")),
    "degree_bachelor": (gettext_noop("Bachelor's degree obtained"), gettext_noop("degree obtained")),
    "book_sole": (gettext_noop("Published book, sole author"), gettext_noop("published book")),
    "book_coauthor": (gettext_noop("Published book, co-author"), gettext_noop("published book")),
    "book_contributor": (gettext_noop("Published book, contributor"), gettext_noop("published book")),
    "article_sole": (gettext_noop("Published article, sole author"), gettext_noop("published article")),
    "article_coauthor": (gettext_noop("Published article, co-author"), gettext_noop("published article")),
    "award_first": (gettext_noop("Award at city level or above, first prize"), gettext_noop("award received")),
    "award_second": (gettext_noop("Award at city level or above, second prize"), gettext_noop("award received")),
    "award_third": (gettext_noop("Award at city level or above, third prize"), gettext_noop("award received")),
    "award_honourable": (
        gettext_noop("Award at city level or above, honourable mention"),
        gettext_noop("award received"),
    ),
}
# Grade and flag words; the codes shared with kunshan-2020 keep its words (ALL_LABELS holds one word per code).
LABELS = {
    PASS: _kunshan.LABELS["pass"],
    FAIL: _kunshan.LABELS[_kunshan.FAIL],
    FLAG_NO_EXCELLENT_APPRAISAL: _kunshan.LABELS[_kunshan.FLAG_NO_EXCELLENT_APPRAISAL],
    FLAG_PROMOTION_INELIGIBLE: gettext_noop("Not eligible for promotion: needs two assessed years in a row passed"),
    UNIT_FLAG_NO_ADVANCED_RATING: gettext_noop(
        "A third or more of the unit's officials failed: its leadership team cannot be rated “advanced”"
    ),
}
# The Baoji scheme is self-declared with proof (第十二条: 先由干部个人依照自己实际学习情况向组织申请): an official and a
# unit study administrator may declare or enter every category; the training section approves.
DECLARABLE_BY_OFFICIAL = frozenset(CATEGORIES)
ENTERABLE_BY_UNIT_ADMIN = frozenset(CATEGORIES)
# A shortfall is counted in class days, the usual way to earn credits ("还需参加 2 天培训").
SHORTFALL_KIND = CLASS_DAY_KIND


def _rule_text(kind: str) -> tuple[str, dict]:
    spec = KINDS[kind]
    if kind == ONLINE_COURSE_KIND:
        return (
            gettext_noop("The course's credits, %(min)s to %(max)s, once its exam is passed."),
            {"min": ONLINE_COURSE_MIN_POINTS, "max": ONLINE_COURSE_MAX_POINTS},
        )
    params: dict = {"unit": KIND_WORDS[kind][1], "rate": spec.rate}
    if kind == "degree_study_year":
        return gettext_noop("%(rate)s credits for each year of degree study in progress, from admission."), params
    if kind.startswith("degree_"):
        return gettext_noop("%(rate)s credits in the year the degree is obtained."), params
    if kind == CLASS_DAY_KIND:
        # One sentence (one msgid), so it translates as a whole.
        params["days"] = MIN_CLASS_DAYS
        return (
            gettext_noop(
                "%(rate)s credits per %(unit)s for a training of at least %(days)s days whose class result is "
                "passed; the approver may set fewer for attendance or performance."
            ),
            params,
        )
    return gettext_noop("Counted per %(unit)s: %(rate)s credits each."), params


_POINTS_FIELD = {CLASS_DAY_KIND: "optional", ONLINE_COURSE_KIND: "required"}


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
        points=_POINTS_FIELD.get(kind, "none"),
    )


def _d(value, default: Decimal = _ZERO) -> Decimal:
    return default if value is None else Decimal(str(value))


class BaojiPolicy:
    """``baoji-2009`` behind the common interface (credits.rules.types.Policy)."""

    code = CODE
    name = NAME
    categories = tuple(CategorySpec(c, CATEGORY_LABELS[c], None, None) for c in CATEGORIES)
    kinds = {kind: _kind_spec(kind) for kind in KINDS}
    grades = GRADES
    grade_bands = tuple(GradeBand(at, grade) for at, grade in GRADE_BANDS)
    failing_grade = FAIL
    per_record_kinds = PER_RECORD_KINDS
    judges_categories = False
    declarable_by_official = DECLARABLE_BY_OFFICIAL
    enterable_by_unit_admin = ENTERABLE_BY_UNIT_ADMIN
    labels = LABELS
    group_study_sessions_required = None  # the Baoji scheme sets no central-group session count
    cycle_credits_required = CYCLE_PASS_LINE

    def category_of(self, kind: str) -> str | None:
        return KINDS[kind].category

    def validate_record(
        self, *, kind: str, category: str | None, quantity: Decimal, points: Decimal | None
    ) -> list[Problem]:
        problems = []
        own = KINDS[kind].category
        if category not in (None, "", own):
            problems.append(
                Problem("category", gettext_noop("This kind always counts under “%(category)s”."), {"category": own})
            )
        if kind == CLASS_DAY_KIND:
            rate = KINDS[kind].rate
            if points is not None and not _ZERO < points <= quantity * rate:
                problems.append(
                    Problem(
                        "points",
                        gettext_noop("The credits set must be more than 0 and at most %(max)s (%(rate)s a day)."),
                        {"max": quantity * rate, "rate": rate},
                    )
                )
        elif kind == ONLINE_COURSE_KIND:
            if quantity != ONLINE_COURSES_PER_RECORD:
                problems.append(
                    Problem("quantity", gettext_noop("One online course a record: the quantity must be 1."))
                )
            bounds = {"min": ONLINE_COURSE_MIN_POINTS, "max": ONLINE_COURSE_MAX_POINTS}
            if points is None:
                problems.append(
                    Problem("points", gettext_noop("An online course needs its credits, %(min)s to %(max)s."), bounds)
                )
            elif not ONLINE_COURSE_MIN_POINTS <= points <= ONLINE_COURSE_MAX_POINTS:
                problems.append(
                    Problem("points", gettext_noop("The course's credits must be from %(min)s to %(max)s."), bounds)
                )
        elif points is not None:
            problems.append(
                Problem("points", gettext_noop("Credits are set only for training class days and online courses."))
            )
        return problems

    def assess(self, ctx: OfficialYear, *, explain: bool = True) -> Assessment:
        return assess(ctx, explain=explain)

    def requirements(self, explanation: Mapping) -> tuple[Requirement, ...]:
        """The year's line: effective credits against 60, a shortfall counted in class days (RULES §2.2)."""
        have = _d((explanation or {}).get("ef"))
        return (Requirement(None, "points", have, PASS_LINE, SHORTFALL_KIND, KINDS[SHORTFALL_KIND].rate),)

    def explain(self, explanation: Mapping) -> tuple[Note, ...]:
        """What scored 0 and why, credits set below the standard, carry in and out, the cycle, kinds not counted."""
        if not explanation:
            return ()
        notes = []
        year = explanation.get("y")
        for category in (explanation.get("c") or {}).values():
            line = (category.get("k") or {}).get(CLASS_DAY_KIND) or {}
            if line.get("zs"):
                notes.append(
                    Note(
                        gettext_noop(
                            "Trainings of fewer than %(days)s days score 0: %(count)s records, %(quantity)s days."
                        ),
                        {"count": line["zs"]["n"], "quantity": _d(line["zs"]["q"]), "days": MIN_CLASS_DAYS},
                    )
                )
            if line.get("zf"):
                notes.append(
                    Note(
                        gettext_noop("%(quantity)s class days scored 0: the class result was not passed."),
                        {"quantity": _d(line["zf"]["q"])},
                    )
                )
            if line.get("lo"):
                notes.append(
                    Note(
                        gettext_noop(
                            "Class days credited below the standard of %(rate)s a day, as the approver set: "
                            "%(count)s records, %(below)s credits less."
                        ),
                        {"count": line["lo"]["n"], "below": _d(line["lo"]["d"]), "rate": KINDS[CLASS_DAY_KIND].rate},
                    )
                )
        carry_in, carry_out = _d(explanation.get("ci")), _d(explanation.get("co"))
        if carry_in:
            notes.append(
                Note(
                    gettext_noop("%(carry)s credits carried over from %(year)s count toward this year."),
                    {"carry": carry_in, "year": None if year is None else year - 1},
                )
            )
        next_year = None if year is None else year + 1
        if explanation.get("ex"):
            if carry_out:
                notes.append(
                    Note(
                        gettext_noop("Not assessed this year: the %(carry)s credits carried in pass on to %(year)s."),
                        {"carry": carry_out, "year": next_year},
                    )
                )
        elif carry_out:
            notes.append(
                Note(
                    gettext_noop("%(carry)s credits above the line of %(line)s carry over to %(year)s."),
                    {"carry": carry_out, "line": PASS_LINE, "year": next_year},
                )
            )
        cycle = explanation.get("cy") or {}
        if cycle:
            params = {
                "first": cycle.get("f"),
                "last": cycle.get("l"),
                "earned": _d(cycle.get("e")),
                "need": CYCLE_PASS_LINE,
            }
            if cycle.get("r"):
                notes.append(
                    Note(
                        gettext_noop(
                            "The five-year figure starts again in %(year)s: %(before)s was not assessed under this "
                            "policy."
                        ),
                        {"year": year, "before": None if year is None else year - 1},
                    )
                )
            passed = cycle.get("ok")
            if passed is None:
                text = gettext_noop(
                    "Five-year cycle %(first)s–%(last)s: %(earned)s credits so far; %(need)s are needed by the end of "
                    "%(last)s."
                )
            elif passed:
                text = gettext_noop(
                    "Five-year cycle %(first)s–%(last)s: %(earned)s credits, reaching the %(need)s needed."
                )
            else:
                text = gettext_noop(
                    "Five-year cycle %(first)s–%(last)s: %(earned)s credits, short of the %(need)s needed."
                )
            notes.append(Note(text, params))
        notes += not_counted_notes(explanation)
        return tuple(notes)

    def unit_flags(self, *, assessed: int, failed: int) -> tuple[str, ...]:
        return unit_flags(assessed=assessed, failed=failed)


POLICY = BaojiPolicy()
