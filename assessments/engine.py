"""The scorecard engine (RULES §4): templates as plain data in, item scores, total, tier and an explanation out.

Pure: no ORM, no Django; Decimal arithmetic, one decimal place. A template is stored as JSON
(``ScorecardTemplate.definition``) and read with :func:`template_from_data`; the three templates of RULES §4.1–4.3
are in ``assessments/template_data.py``.

Methods (RULES §4):
- ``deduction``: ``max(0, max − per × shortfalls − computed_per × computed shortfalls)``;
- ``criteria``: the sum of the points of the criteria met, at most ``max``;
- ``ladder``: the points of the highest step whose minimum percentage is reached (else 0);
- ``choice``: the chosen option's points;
- ``manual``: 0 to ``max``, half points allowed;
- ``bonus``: ``max`` on top of the total when awarded (only when the item it ``requires`` is awarded too).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

METHODS = ("deduction", "criteria", "ladder", "choice", "manual", "bonus")
TENTH = Decimal("0.1")


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue (``makemessages`` knows the name) without importing Django."""
    return message


# The named data sources a computed item takes its shortfalls from (counted by assessments/selectors, RULES §3).
COMPUTED_SOURCES = {
    "officials_below_16_hours": gettext_noop("officials of the unit with fewer than 16 study hours in the year"),
    "division_below_110_hours": gettext_noop("division-level officials of the unit below 110 study hours in the year"),
    "section_below_100_hours": gettext_noop("section-level officials of the unit below 100 study hours in the year"),
}
TEAM_APPRAISALS = ("excellent", "good", "average", "poor")


@dataclass(frozen=True)
class Criterion:
    code: str
    points: Decimal
    title: str = ""


@dataclass(frozen=True)
class Step:
    """A ladder step: ``points`` when the percentage reaches ``minimum``."""

    minimum: Decimal
    points: Decimal


@dataclass(frozen=True)
class Option:
    code: str
    points: Decimal
    title: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    max: Decimal
    method: str
    per: Decimal | None = None  # deduction: points per entered shortfall
    computed: str | None = None  # deduction: a COMPUTED_SOURCES key giving further shortfalls from the data
    computed_per: Decimal | None = None  # deduction: points per computed shortfall
    entered: bool = True  # deduction: False when every shortfall comes from the data (O9)
    criteria: tuple[Criterion, ...] = ()
    steps: tuple[Step, ...] = ()
    options: tuple[Option, ...] = ()
    requires: str | None = None  # bonus: only with this other bonus item awarded (Benxi E2 needs E1)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Tier:
    """A tier (or rating) reached at ``minimum`` total, when its conditions hold; tiers are tried in order and the
    last one (minimum 0, no conditions) is the fallback."""

    code: str
    minimum: Decimal
    title: str = ""
    requires_card: tuple[str, str] | None = None  # (template code, tier code) of the unit's card of the same year
    requires_title: str = ""  # how that tier is named (学习型党组织), for the explanation
    excluded_appraisals: tuple[str, ...] = ()  # the team's appraisal must be entered and not one of these


@dataclass(frozen=True)
class DueDate:
    code: str  # "half_year", "full_year"
    month: int
    day: int
    title: str = ""


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    version: int
    sections: tuple[Section, ...]
    tiers: tuple[Tier, ...]
    due_dates: tuple[DueDate, ...] = ()
    appraisal: bool = False  # the card carries the team's annual appraisal (Daxinganling team card)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, code: str) -> Item:
        """The item with this code (``KeyError`` when the template has none)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def base_max(self) -> Decimal:
        """The most the items other than bonus can give (Benxi 100, Daxinganling 100)."""
        return sum((item.max for item in self.items if item.method != "bonus"), Decimal(0))

    @property
    def bonus_max(self) -> Decimal:
        """The most the bonus items can add on top (Benxi 20)."""
        return sum((item.max for item in self.items if item.method == "bonus"), Decimal(0))


@dataclass(frozen=True)
class ItemValue:
    """What a person entered for an item (one of these, by method); None/empty = nothing entered yet."""

    shortfalls: int | None = None
    met: tuple[str, ...] | None = None
    percent: Decimal | None = None
    choice: str | None = None
    points: Decimal | None = None
    awarded: bool | None = None


@dataclass(frozen=True)
class ItemResult:
    code: str
    score: Decimal
    explanation: str  # plain words: ``message % params``, translated when Django is set up (else English)
    computed: int | None = None  # the computed shortfalls used, for computed items
    message: str = ""  # the explanation's English msgid (gettext_noop), to translate again at display time
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RatingContext:
    other_cards: Mapping[str, str] = field(default_factory=dict)  # template code → tier code of the same unit/year
    team_appraisal: str | None = None


@dataclass(frozen=True)
class CardResult:
    items: tuple[ItemResult, ...]
    base: Decimal  # the items other than bonus
    bonus: Decimal
    total: Decimal
    tier: str
    explanation: tuple[str, ...]  # why the card has its tier, one sentence each (translated like ItemResult's)
    notes: tuple[tuple[str, Mapping[str, object]], ...] = ()  # the same sentences as (msgid, params)


# ---------------------------------------------------------------------------------------------------------------
# Words. The engine's sentences are English msgids marked with gettext_noop (``makemessages`` knows the name);
# ``explanation_text`` translates them when Django is already set up, and never imports Django itself.


# Params with these names hold an English msgid of their own (a computed source, an appraisal) and are translated
# too; every other param is shown as it is (numbers as text, codes, Chinese titles from the template).
TRANSLATED_PARAMS = ("source", "appraisal")
APPRAISAL_LABELS = {
    "excellent": gettext_noop("Excellent"),
    "good": gettext_noop("Good"),
    "average": gettext_noop("Average"),
    "poor": gettext_noop("Poor"),
}
METHOD_KEYS = {
    "deduction": "shortfalls",
    "criteria": "met",
    "ladder": "percent",
    "choice": "choice",
    "manual": "points",
    "bonus": "awarded",
}
HUNDREDTH = Decimal("0.01")


def _gettext(message: str) -> str:
    # Only when the process already runs Django with its apps loaded (a page, the API, a task, the tests);
    # a plain script or the property tests get the English.
    if "django.apps" not in sys.modules:
        return message
    from django.apps import apps

    if not apps.ready:
        return message
    from django.utils.translation import gettext

    return gettext(message)


def explanation_text(message: str, params: Mapping[str, object] | None = None) -> str:
    """``message % params`` in the active language (English when Django is not set up)."""
    text = _gettext(message)
    if not params:
        return text
    shown = {key: _gettext(str(value)) if key in TRANSLATED_PARAMS else value for key, value in params.items()}
    return text % shown


def number_text(value: Decimal | int) -> str:
    """A score or a count as people write it: 5, 2.5, 0 (never 5.0 or 1E+1)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _number(raw: object) -> Decimal | None:
    """A finite Decimal from a JSON number (or a numeric string), else None; booleans are not numbers."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int | float | str):
        try:
            number = Decimal(str(raw).strip()) if isinstance(raw, str) else Decimal(str(raw))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------------------------
# Templates as data.
#
# A definition (``ScorecardTemplate.definition``) is JSON:
#   {"code", "name", "version", "appraisal": bool?,
#    "sections": [{"code", "title", "items": [{"code", "title", "max", "method", ...method's keys}]}],
#    "tiers": [{"code", "minimum", "title", "requires_card": {"template", "tier", "title"}?,
#               "excluded_appraisals": [...]?}],          # tried in order; the last is the fallback (minimum 0)
#    "due_dates": [{"code", "month", "day", "title"}]}
# Method keys: deduction "per", "computed" (a COMPUTED_SOURCES key), "computed_per", "entered"; criteria
# "criteria": [{"code", "points", "title"}]; ladder "steps": [{"minimum", "points"}]; choice "options":
# [{"code", "points", "title"}]; bonus "requires" (another bonus item's code). Numbers are JSON numbers or
# numeric strings, at most one decimal place.

_TEMPLATE_KEYS = {"code", "name", "version", "appraisal", "sections", "tiers", "due_dates"}
_SECTION_KEYS = {"code", "title", "items"}
_ITEM_KEYS = {"code", "title", "max", "method"}
_METHOD_ITEM_KEYS = {
    "deduction": {"per", "computed", "computed_per", "entered"},
    "criteria": {"criteria"},
    "ladder": {"steps"},
    "choice": {"options"},
    "manual": set(),
    "bonus": {"requires"},
}
_TIER_KEYS = {"code", "minimum", "title", "requires_card", "excluded_appraisals"}
_DUE_KEYS = {"code", "month", "day", "title"}


def _problem(message: str, **params: object) -> str:
    return explanation_text(message, params)


def _points_problem(raw: object, where: str, *, positive: bool) -> str | None:
    number = _number(raw)
    if number is None or not 0 <= number <= 1000 or (positive and number == 0) or number != _tenth(number):
        if positive:
            return _problem(
                gettext_noop("%(where)s must be a number above 0 (up to 1000) with at most one decimal."), where=where
            )
        return _problem(
            gettext_noop("%(where)s must be a number from 0 to 1000 with at most one decimal."), where=where
        )
    return None


def _unknown_keys(data: Mapping, allowed: set[str], where: str) -> list[str]:
    extra = sorted(str(key) for key in data if key not in allowed)
    if not extra:
        return []
    return [_problem(gettext_noop("%(where)s has unknown keys: %(keys)s."), where=where, keys=", ".join(extra))]


def _code_problem(raw: object, where: str) -> str | None:
    if not isinstance(raw, str) or not raw.strip() or raw != raw.strip() or len(raw) > 40:
        return _problem(gettext_noop("%(where)s needs a code (a short text without spaces at its ends)."), where=where)
    return None


def _coded_list_problems(entries: object, item_max: Decimal | None, where: str, what: str) -> list[str]:
    """Criteria or options: a non-empty list of {code, points, title?} with distinct codes."""
    if not isinstance(entries, list) or not entries:
        return [_problem(gettext_noop("%(where)s needs a list of %(what)s."), where=where, what=what)]
    problems: list[str] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, 1):
        here = f"{where} {what} {position}"
        if not isinstance(entry, Mapping):
            problems.append(_problem(gettext_noop("%(where)s must be an object."), where=here))
            continue
        problems += _unknown_keys(entry, {"code", "points", "title"}, here)
        if problem := _code_problem(entry.get("code"), here):
            problems.append(problem)
        elif entry["code"] in seen:
            problems.append(
                _problem(gettext_noop("%(where)s repeats the code “%(code)s”."), where=where, code=entry["code"])
            )
        else:
            seen.add(entry["code"])
        if problem := _points_problem(entry.get("points"), f"{here} points", positive=False):
            problems.append(problem)
        elif item_max is not None and _number(entry["points"]) > item_max:
            problems.append(_problem(gettext_noop("%(where)s gives more than the item's maximum."), where=here))
    return problems


def _item_problems(data: object, where: str) -> tuple[str | None, str | None, list[str]]:
    """(code, method, problems) of one item's definition."""
    if not isinstance(data, Mapping):
        return None, None, [_problem(gettext_noop("%(where)s must be an object."), where=where)]
    code = data.get("code")
    problems: list[str] = []
    if problem := _code_problem(code, where):
        problems.append(problem)
        code = None
    else:
        where = _problem(gettext_noop("Item %(code)s"), code=code)
    method = data.get("method")
    if method not in METHODS:
        problems.append(
            _problem(
                gettext_noop("%(where)s needs a method, one of %(methods)s."), where=where, methods=", ".join(METHODS)
            )
        )
        return code, None, problems
    problems += _unknown_keys(data, _ITEM_KEYS | _METHOD_ITEM_KEYS[method], where)
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append(_problem(gettext_noop("%(where)s needs a title."), where=where))
    if problem := _points_problem(
        data.get("max"), _problem(gettext_noop("%(where)s maximum"), where=where), positive=True
    ):
        problems.append(problem)
        return code, method, problems
    item_max = _number(data["max"])
    if method == "deduction":
        entered = data.get("entered", True)
        if not isinstance(entered, bool):
            problems.append(_problem(gettext_noop("%(where)s: “entered” must be true or false."), where=where))
        computed = data.get("computed")
        if computed is not None and computed not in COMPUTED_SOURCES:
            problems.append(
                _problem(
                    gettext_noop("%(where)s: “%(source)s” is not a computed source; use one of %(sources)s."),
                    where=where,
                    source=str(computed),
                    sources=", ".join(COMPUTED_SOURCES),
                )
            )
        per_where = _problem(gettext_noop("%(where)s points per shortfall"), where=where)
        needs_per = entered is not False or "per" in data  # O9 (nothing entered) may leave "per" out
        if needs_per and (problem := _points_problem(data.get("per"), per_where, positive=True)):
            problems.append(problem)
        if computed is not None or "computed_per" in data:
            if computed is None:
                problems.append(
                    _problem(
                        gettext_noop("%(where)s has points per computed shortfall but no computed source."), where=where
                    )
                )
            if problem := _points_problem(
                data.get("computed_per"),
                _problem(gettext_noop("%(where)s points per computed shortfall"), where=where),
                positive=True,
            ):
                problems.append(problem)
        if entered is False and computed is None:
            problems.append(_problem(gettext_noop("%(where)s has nothing entered and nothing computed."), where=where))
    elif method == "criteria":
        problems += _coded_list_problems(data.get("criteria"), None, where, gettext_noop("criteria"))
        if not problems and sum(_number(c["points"]) for c in data["criteria"]) < item_max:
            problems.append(
                _problem(gettext_noop("%(where)s: its criteria add up to less than its maximum."), where=where)
            )
    elif method == "choice":
        problems += _coded_list_problems(data.get("options"), item_max, where, gettext_noop("options"))
    elif method == "ladder":
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            problems.append(_problem(gettext_noop("%(where)s needs a list of steps."), where=where))
        else:
            good: list[tuple[Decimal, Decimal]] = []
            for position, step in enumerate(steps, 1):
                here = _problem(gettext_noop("%(where)s step %(position)s"), where=where, position=position)
                if not isinstance(step, Mapping):
                    problems.append(_problem(gettext_noop("%(where)s must be an object."), where=here))
                    continue
                problems += _unknown_keys(step, {"minimum", "points"}, here)
                minimum, points = _number(step.get("minimum")), _number(step.get("points"))
                if minimum is None or not 0 <= minimum <= 100:
                    problems.append(
                        _problem(gettext_noop("%(where)s needs a minimum percentage from 0 to 100."), where=here)
                    )
                elif problem := _points_problem(step.get("points"), here, positive=False):
                    problems.append(problem)
                elif points > item_max:
                    problems.append(_problem(gettext_noop("%(where)s gives more than the item's maximum."), where=here))
                else:
                    good.append((minimum, points))
            if len({minimum for minimum, _ in good}) < len(good):
                problems.append(_problem(gettext_noop("%(where)s has two steps with the same minimum."), where=where))
            ordered = sorted(good)
            if any(low[1] > high[1] for low, high in zip(ordered, ordered[1:], strict=False)):
                problems.append(
                    _problem(gettext_noop("%(where)s: a higher step must not give fewer points."), where=where)
                )
    elif method == "bonus" and "requires" in data and (problem := _code_problem(data["requires"], where)):
        problems.append(problem)
    return code, method, problems


def template_problems(data: object) -> list[str]:
    """What is wrong with a template definition, in plain words (empty when it can be used)."""
    if not isinstance(data, Mapping):
        return [_problem(gettext_noop("A template definition must be a JSON object."))]
    problems: list[str] = []
    template = _problem(gettext_noop("The template"))
    problems += _unknown_keys(data, _TEMPLATE_KEYS, template)
    if problem := _code_problem(data.get("code"), template):
        problems.append(problem)
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append(_problem(gettext_noop("The template needs a name.")))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(_problem(gettext_noop("The template's version must be a whole number of 1 or more.")))
    if not isinstance(data.get("appraisal", False), bool):
        problems.append(_problem(gettext_noop("The template's “appraisal” must be true or false.")))

    sections = data.get("sections")
    codes: dict[str, str] = {}  # item code → method
    requires: dict[str, str] = {}
    if not isinstance(sections, list) or not sections:
        problems.append(_problem(gettext_noop("The template needs a list of sections with items.")))
    else:
        section_codes: set[str] = set()
        for position, section in enumerate(sections, 1):
            where = _problem(gettext_noop("Section %(position)s"), position=position)
            if not isinstance(section, Mapping):
                problems.append(_problem(gettext_noop("%(where)s must be an object."), where=where))
                continue
            problems += _unknown_keys(section, _SECTION_KEYS, where)
            if problem := _code_problem(section.get("code"), where):
                problems.append(problem)
            elif section["code"] in section_codes:
                problems.append(_problem(gettext_noop("Two sections have the code “%(code)s”."), code=section["code"]))
            else:
                section_codes.add(section["code"])
            if not isinstance(section.get("title"), str) or not section["title"].strip():
                problems.append(_problem(gettext_noop("%(where)s needs a title."), where=where))
            items = section.get("items")
            if not isinstance(items, list) or not items:
                problems.append(_problem(gettext_noop("%(where)s needs a list of items."), where=where))
                continue
            for number, item in enumerate(items, 1):
                item_where = _problem(gettext_noop("%(where)s item %(position)s"), where=where, position=number)
                code, method, item_problems = _item_problems(item, item_where)
                problems += item_problems
                if code is None:
                    continue
                if code in codes:
                    problems.append(_problem(gettext_noop("Two items have the code “%(code)s”."), code=code))
                codes[code] = method or ""
                if method == "bonus" and isinstance(item.get("requires"), str):
                    requires[code] = item["requires"]
        if codes and not any(method != "bonus" for method in codes.values()):
            problems.append(_problem(gettext_noop("The template needs at least one item that is not a bonus.")))
    for code, required in requires.items():
        if required == code or codes.get(required) != "bonus":
            problems.append(
                _problem(
                    gettext_noop("Item %(code)s can only require another bonus item, not “%(required)s”."),
                    code=code,
                    required=required,
                )
            )

    problems += _tier_problems(data.get("tiers"), data)
    problems += _due_date_problems(data.get("due_dates", []))
    return problems


def _tier_problems(tiers: object, data: Mapping) -> list[str]:
    if not isinstance(tiers, list) or not tiers:
        return [_problem(gettext_noop("The template needs a list of tiers."))]
    problems: list[str] = []
    seen: set[str] = set()
    for position, tier in enumerate(tiers, 1):
        where = _problem(gettext_noop("Tier %(position)s"), position=position)
        if not isinstance(tier, Mapping):
            problems.append(_problem(gettext_noop("%(where)s must be an object."), where=where))
            continue
        problems += _unknown_keys(tier, _TIER_KEYS, where)
        if problem := _code_problem(tier.get("code"), where):
            problems.append(problem)
        elif tier["code"] in seen:
            problems.append(_problem(gettext_noop("Two tiers have the code “%(code)s”."), code=tier["code"]))
        else:
            seen.add(tier["code"])
        if problem := _points_problem(
            tier.get("minimum"), _problem(gettext_noop("%(where)s minimum"), where=where), positive=False
        ):
            problems.append(problem)
        card = tier.get("requires_card")
        if card is not None and (
            not isinstance(card, Mapping)
            or set(card) - {"template", "tier", "title"}
            or _code_problem(card.get("template"), where)
            or _code_problem(card.get("tier"), where)
        ):
            problems.append(
                _problem(gettext_noop("%(where)s: “requires_card” must name a template and its tier."), where=where)
            )
        excluded = tier.get("excluded_appraisals", [])
        if not isinstance(excluded, list) or not set(excluded) <= set(TEAM_APPRAISALS):
            problems.append(
                _problem(
                    gettext_noop("%(where)s: excluded appraisals must be some of %(appraisals)s."),
                    where=where,
                    appraisals=", ".join(TEAM_APPRAISALS),
                )
            )
        elif excluded and data.get("appraisal") is not True:
            problems.append(
                _problem(
                    gettext_noop("%(where)s depends on the team's appraisal, so the template needs “appraisal”: true."),
                    where=where,
                )
            )
    last = tiers[-1]
    if isinstance(last, Mapping) and (
        _number(last.get("minimum")) != 0 or last.get("requires_card") or last.get("excluded_appraisals")
    ):
        problems.append(_problem(gettext_noop("The last tier is the fallback: minimum 0 and no conditions.")))
    return problems


def _due_date_problems(due_dates: object) -> list[str]:
    from datetime import date

    if not isinstance(due_dates, list):
        return [_problem(gettext_noop("The template's due dates must be a list."))]
    problems: list[str] = []
    seen: set[str] = set()
    for position, due in enumerate(due_dates, 1):
        where = _problem(gettext_noop("Due date %(position)s"), position=position)
        if not isinstance(due, Mapping):
            problems.append(_problem(gettext_noop("%(where)s must be an object."), where=where))
            continue
        problems += _unknown_keys(due, _DUE_KEYS, where)
        if problem := _code_problem(due.get("code"), where):
            problems.append(problem)
        elif due["code"] in seen:
            problems.append(_problem(gettext_noop("Two due dates have the code “%(code)s”."), code=due["code"]))
        else:
            seen.add(due["code"])
        month, day = due.get("month"), due.get("day")
        try:
            if isinstance(month, bool) or isinstance(day, bool):
                raise TypeError
            date(2001, month, day)  # a common year: 29 February is not a due date every year
        except (TypeError, ValueError):
            problems.append(
                _problem(gettext_noop("%(where)s needs a month and a day that exist every year."), where=where)
            )
    return problems


def _decimal(raw: object) -> Decimal:
    number = _number(raw)
    assert number is not None  # checked by template_problems
    return number


def template_from_data(data: Mapping) -> Template:
    """The engine's template from its JSON definition (``ValueError`` listing the problems when it has any)."""
    problems = template_problems(data)
    if problems:
        raise ValueError(" ".join(problems))
    sections = []
    for section in data["sections"]:
        items = []
        for raw in section["items"]:
            method = raw["method"]
            item_max = _decimal(raw["max"])
            kwargs: dict = {}
            if method == "deduction":
                kwargs["entered"] = raw.get("entered", True)
                if "per" in raw:
                    kwargs["per"] = _decimal(raw["per"])
                if raw.get("computed"):
                    kwargs["computed"] = raw["computed"]
                    kwargs["computed_per"] = _decimal(raw["computed_per"])
            elif method == "criteria":
                kwargs["criteria"] = tuple(
                    Criterion(c["code"], _decimal(c["points"]), c.get("title", "")) for c in raw["criteria"]
                )
            elif method == "ladder":
                steps = sorted(
                    (Step(_decimal(s["minimum"]), _decimal(s["points"])) for s in raw["steps"]),
                    key=lambda step: step.minimum,
                    reverse=True,
                )
                kwargs["steps"] = tuple(steps)  # highest minimum first: the first step reached is the one
            elif method == "choice":
                kwargs["options"] = tuple(
                    Option(o["code"], _decimal(o["points"]), o.get("title", "")) for o in raw["options"]
                )
            elif method == "bonus":
                kwargs["requires"] = raw.get("requires")
            items.append(Item(code=raw["code"], title=raw["title"], max=item_max, method=method, **kwargs))
        sections.append(Section(section["code"], section["title"], tuple(items)))
    tiers = []
    for raw in data["tiers"]:
        card = raw.get("requires_card")
        tiers.append(
            Tier(
                code=raw["code"],
                minimum=_decimal(raw["minimum"]),
                title=raw.get("title", ""),
                requires_card=(card["template"], card["tier"]) if card else None,
                requires_title=card.get("title", "") if card else "",
                excluded_appraisals=tuple(raw.get("excluded_appraisals", ())),
            )
        )
    due_dates = tuple(DueDate(d["code"], d["month"], d["day"], d.get("title", "")) for d in data.get("due_dates", []))
    return Template(
        code=data["code"],
        name=data["name"],
        version=data.get("version", 1),
        sections=tuple(sections),
        tiers=tuple(tiers),
        due_dates=due_dates,
        appraisal=data.get("appraisal", False),
    )


# ---------------------------------------------------------------------------------------------------------------
# Values: what a person enters for an item, as JSON ({"shortfalls": 2} …) and as the engine's ItemValue.


def _bad(message: str, **params: object) -> ValueError:
    return ValueError(explanation_text(message, params))


def value_from_data(item: Item, data: Mapping | None) -> ItemValue:
    """The engine's value from its JSON for this item; None, {} or a null value mean nothing entered.

    Raises ``ValueError`` in plain words for anything else than the item's one key with a good value."""
    if data is None:
        return ItemValue()
    key = METHOD_KEYS[item.method]
    if not isinstance(data, Mapping):
        raise _bad(gettext_noop('Give %(item)s\'s value as {"%(key)s": …}.'), item=item.code, key=key)
    for given in data:
        if given != key:
            raise _bad(
                gettext_noop("%(item)s takes “%(key)s”, not “%(given)s”."), item=item.code, key=key, given=str(given)
            )
    raw = data.get(key)
    if raw is None:
        return ItemValue()

    if item.method == "deduction":
        if not item.entered:
            raise _bad(
                gettext_noop("%(item)s is computed from the data; nothing can be entered for it."), item=item.code
            )
        number = _number(raw) if not isinstance(raw, str) else None
        if number is None or number < 0 or number != number.to_integral_value():
            raise _bad(gettext_noop("The shortfalls of %(item)s must be a whole number of 0 or more."), item=item.code)
        return ItemValue(shortfalls=int(number))

    if item.method == "criteria":
        codes = [criterion.code for criterion in item.criteria]
        if not isinstance(raw, list | tuple) or not all(isinstance(code, str) for code in raw):
            raise _bad(
                gettext_noop("%(item)s takes the list of the criteria met, some of %(codes)s."),
                item=item.code,
                codes=", ".join(codes),
            )
        for code in raw:
            if code not in codes:
                raise _bad(
                    gettext_noop("“%(code)s” is not a criterion of %(item)s; choose from %(codes)s."),
                    code=code,
                    item=item.code,
                    codes=", ".join(codes),
                )
        return ItemValue(met=tuple(code for code in codes if code in raw))  # the template's order, once each

    if item.method == "ladder":
        number = _number(raw)
        if number is None or not 0 <= number <= 100 or number != number.quantize(HUNDREDTH):
            raise _bad(
                gettext_noop("The percentage of %(item)s must be a number from 0 to 100 with at most two decimals."),
                item=item.code,
            )
        return ItemValue(percent=number + 0)  # + 0: no "-0"

    if item.method == "choice":
        codes = [option.code for option in item.options]
        if not isinstance(raw, str) or raw not in codes:
            raise _bad(gettext_noop("%(item)s takes one of %(codes)s."), item=item.code, codes=", ".join(codes))
        return ItemValue(choice=raw)

    if item.method == "manual":
        number = _number(raw)
        if number is None or not 0 <= number <= item.max:
            raise _bad(gettext_noop("%(item)s takes 0 to %(max)s points."), item=item.code, max=number_text(item.max))
        # Compared exactly (no arithmetic first: a tiny 1E-999999999 would underflow to 0 and pass).
        if number != _tenth(number) or _tenth(number) * 2 != (_tenth(number) * 2).to_integral_value():
            raise _bad(gettext_noop("Points of %(item)s go in halves, such as 3 or 3.5."), item=item.code)
        return ItemValue(points=_tenth(number) + 0)

    # bonus
    if not isinstance(raw, bool):
        raise _bad(gettext_noop("%(item)s takes true or false (awarded or not)."), item=item.code)
    return ItemValue(awarded=raw)


def value_to_data(item: Item, value: ItemValue | None) -> dict:
    """The JSON of an item's value ({} when nothing is entered); ``value_from_data`` reads it back."""
    if value is None:
        return {}
    key = METHOD_KEYS[item.method]
    raw = getattr(value, key)
    if raw is None:
        return {}
    if isinstance(raw, Decimal):
        raw = _json_number(raw)
    elif isinstance(raw, tuple):
        raw = list(raw)
    return {key: raw}


# ---------------------------------------------------------------------------------------------------------------
# Scoring.


def _result(item: Item, score: Decimal, message: str, computed: int | None = None, **params: object) -> ItemResult:
    score = _tenth(score)
    params = {"item": item.code, "max": number_text(item.max), "score": number_text(score), **params}
    return ItemResult(
        code=item.code,
        score=score,
        explanation=explanation_text(message, params),
        computed=computed,
        message=message,
        params=params,
    )


def score_item(item: Item, value: ItemValue | None, computed: int | None = None) -> ItemResult:
    """One item's score in [0, max] (a bonus: 0 or its points) with the sentence that explains it.

    ``value`` None (or empty) is "nothing entered": a deduction item keeps its max less the computed deductions,
    anything else scores 0. ``computed`` is the item's computed shortfalls (None: not computed yet, counted as 0).
    Only the value's field for the item's method is read; a value the template no longer knows (a criterion or
    option removed in /admin/) scores nothing rather than failing."""
    value = value or ItemValue()
    method = item.method

    if method == "deduction":
        entered = value.shortfalls if item.entered else None
        used = computed if item.computed else None
        deducted = Decimal(0)
        if entered is not None:
            deducted += (item.per or Decimal(0)) * max(entered, 0)
        if used is not None:
            deducted += (item.computed_per or Decimal(0)) * max(used, 0)
        score = max(Decimal(0), item.max - deducted)
        common = {"deducted": number_text(deducted)}
        if item.computed:
            source = COMPUTED_SOURCES[item.computed]
            count = number_text(used or 0)
            per_computed = number_text(item.computed_per or 0)
            if not item.entered:
                if used is None:
                    return _result(item, score, gettext_noop("Not computed from the data yet: %(score)s of %(max)s."))
                return _result(
                    item,
                    score,
                    gettext_noop(
                        "%(count)s %(source)s × %(per)s = %(deducted)s off %(max)s (never below 0): %(score)s."
                    ),
                    used,
                    count=count,
                    source=source,
                    per=per_computed,
                    **common,
                )
            return _result(
                item,
                score,
                gettext_noop(
                    "%(shortfalls)s entered × %(per)s and %(count)s %(source)s × %(computed_per)s = "
                    "%(deducted)s off %(max)s (never below 0): %(score)s."
                ),
                used,
                shortfalls=number_text(entered or 0),
                per=number_text(item.per or 0),
                count=count,
                source=source,
                computed_per=per_computed,
                **common,
            )
        if entered is None:
            return _result(item, score, gettext_noop("Nothing entered yet: full %(max)s until shortfalls are entered."))
        return _result(
            item,
            score,
            gettext_noop("%(shortfalls)s × %(per)s = %(deducted)s off %(max)s (never below 0): %(score)s."),
            shortfalls=number_text(entered),
            per=number_text(item.per or 0),
            **common,
        )

    if method == "criteria":
        if value.met is None:
            return _result(item, Decimal(0), gettext_noop("Nothing entered yet: 0."))
        met = [criterion for criterion in item.criteria if criterion.code in value.met]
        if not met:
            return _result(item, Decimal(0), gettext_noop("None of the criteria met: 0."))
        points = sum((criterion.points for criterion in met), Decimal(0))
        return _result(
            item,
            min(points, item.max),
            gettext_noop("Met %(met)s (%(points)s points, at most %(max)s): %(score)s."),
            met=", ".join(criterion.code for criterion in met),
            points=number_text(points),
        )

    if method == "ladder":
        if value.percent is None:
            return _result(item, Decimal(0), gettext_noop("Nothing entered yet: 0."))
        percent = number_text(value.percent)
        for step in item.steps:  # highest minimum first
            if value.percent >= step.minimum:
                return _result(
                    item,
                    min(step.points, item.max),
                    gettext_noop("%(percent)s%% reaches the step at %(minimum)s%%: %(score)s."),
                    percent=percent,
                    minimum=number_text(step.minimum),
                )
        lowest = min((step.minimum for step in item.steps), default=Decimal(0))
        return _result(
            item,
            Decimal(0),
            gettext_noop("%(percent)s%% is below the lowest step (%(minimum)s%%): 0."),
            percent=percent,
            minimum=number_text(lowest),
        )

    if method == "choice":
        if value.choice is None:
            return _result(item, Decimal(0), gettext_noop("Nothing entered yet: 0."))
        for option in item.options:
            if option.code == value.choice:
                return _result(
                    item,
                    min(option.points, item.max),
                    gettext_noop("%(option)s: %(score)s."),
                    option=option.title or option.code,
                )
        return _result(
            item, Decimal(0), gettext_noop("“%(choice)s” is not an option of %(item)s: 0."), choice=value.choice
        )

    if method == "manual":
        if value.points is None:
            return _result(item, Decimal(0), gettext_noop("Nothing entered yet: 0."))
        return _result(
            item, min(max(value.points, Decimal(0)), item.max), gettext_noop("%(score)s of %(max)s, as entered.")
        )

    # bonus
    if value.awarded:
        return _result(item, item.max, gettext_noop("Awarded: +%(score)s."))
    return _result(item, Decimal(0), gettext_noop("Not awarded: +0."))


def _computed_for(item: Item, computed: Mapping[str, object]) -> int | None:
    if not item.computed:
        return None
    count = computed.get(item.computed, computed.get(item.code))
    if isinstance(count, bool) or not isinstance(count, int):
        return None
    return count


def _note(message: str, **params: object) -> tuple[str, Mapping[str, object]]:
    return (message, params)


def _tier_label(tier: Tier) -> str:
    return tier.title or tier.code


def score_card(
    template: Template,
    values: Mapping[str, ItemValue | None],
    computed: Mapping[str, object],
    context: RatingContext,
) -> CardResult:
    """Every item's score, the base, the bonus, the total (base + bonus, may pass 100) and the tier.

    ``values``: item code → value (a missing code is nothing entered). ``computed``: computed source
    (``COMPUTED_SOURCES`` key, as in ``Scorecard.computed``; an item code works too) → shortfalls; other keys are
    ignored. ``context``: the tiers of the unit's other cards of the year and the team's appraisal."""
    results: list[ItemResult] = []
    awarded: set[str] = set()
    base = bonus = Decimal(0)
    for item in template.items:
        result = score_item(item, values.get(item.code), _computed_for(item, computed))
        if item.method == "bonus":
            if result.score > 0 and item.requires and item.requires not in awarded:
                # Benxi E2 (placed at the provincial contest) counts only with E1 (represented the city there).
                result = _result(
                    item, Decimal(0), gettext_noop("Counts only with %(requires)s awarded: +0."), requires=item.requires
                )
            if result.score > 0:
                awarded.add(item.code)
            bonus += result.score
        else:
            base += result.score
        results.append(result)
    total = base + bonus

    notes: list[tuple[str, Mapping[str, object]]] = []
    reached = template.tiers[-1]
    for tier in template.tiers:
        label = _tier_label(tier)
        minimum = number_text(tier.minimum)
        if total < tier.minimum:
            notes.append(
                _note(
                    gettext_noop("The total %(total)s is below the %(minimum)s needed for %(tier)s."),
                    total=number_text(total),
                    minimum=minimum,
                    tier=label,
                )
            )
            continue
        if tier.requires_card:
            other, wanted = tier.requires_card
            if context.other_cards.get(other) != wanted:
                notes.append(
                    _note(
                        gettext_noop("%(tier)s needs the unit's %(template)s card of the year rated %(required)s."),
                        tier=label,
                        template=other,
                        required=tier.requires_title or wanted,
                    )
                )
                continue
        if tier.excluded_appraisals:
            appraisal = context.team_appraisal or ""
            if appraisal not in TEAM_APPRAISALS:
                notes.append(
                    _note(gettext_noop("%(tier)s needs the team's annual appraisal, not entered yet."), tier=label)
                )
                continue
            if appraisal in tier.excluded_appraisals:
                notes.append(
                    _note(
                        gettext_noop("%(tier)s is not given to a team appraised %(appraisal)s."),
                        tier=label,
                        appraisal=APPRAISAL_LABELS[appraisal],
                    )
                )
                continue
        reached = tier
        break
    if reached.minimum > 0:
        notes.append(
            _note(
                gettext_noop("The total %(total)s reaches %(minimum)s: %(tier)s."),
                total=number_text(total),
                minimum=number_text(reached.minimum),
                tier=_tier_label(reached),
            )
        )
    else:
        notes.append(
            _note(gettext_noop("The total %(total)s: %(tier)s."), total=number_text(total), tier=_tier_label(reached))
        )
    return CardResult(
        items=tuple(results),
        base=_tenth(base),
        bonus=_tenth(bonus),
        total=_tenth(total),
        tier=reached.code,
        explanation=tuple(explanation_text(message, params) for message, params in notes),
        notes=tuple(notes),
    )
