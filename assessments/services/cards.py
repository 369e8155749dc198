"""Writes to unit scorecards (RULES §4): cards, self-check values and evidence, review, submission, return,
finalisation, and the computed items that follow the data. Pages and the API call these; each checks who may act,
audits the change and raises ValidationError in plain words for bad input (PermissionDenied for a role that may
not act).

Scores are never typed in: after every change the card is scored again by ``assessments.engine.score_card`` from
the final values, the computed counts and the rating context (the tiers of the unit's other cards of the year), and
the item scores, total and tier are stored (``rescore``). A card another card's tier depends on (Daxinganling's
org card, read by the team card) re-tiers its dependants in the same transaction.

Status (RULES §4): ``draft`` (the unit fills the self-check) → ``submitted`` (a report for one of the template's due
dates) → ``returned`` (by the training section, with a reason; the unit edits and submits again) → ``final`` (values
locked; the training section may reopen it with a reason). The training section sets final values until the card
is final. The unit changes its self-check while the card is a draft or returned, or submitted while a due date is
still to be reported on (Benxi's full year after its half year).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, log_created, snapshot
from credits.evidence import read_upload, sniff, stored_name
from kunshan_training.years import is_valid_year, year_error
from organisation.models import Unit
from organisation.roles import is_org_staff, scope_of

from .. import engine
from ..models import (
    CardStatus,
    ItemEvidence,
    Scorecard,
    ScorecardItem,
    ScorecardTemplate,
    SelfCheckSubmission,
)
from ..selectors.cards import (
    FACTS,
    computed_counts,
    engine_template,
    next_period,
    self_check_open,
)

MAX_EVIDENCE_PER_ITEM = 10
MAX_NOTE = 1000
MAX_REASON = 500
CARD_SCORE_FIELDS = ["base", "bonus", "total", "tier", "self_total"]
ITEM_SCORE_FIELDS = ["score", "self_score", "computed", "explanation"]


# ---------------------------------------------------------------------------------------------------
# Who may act


def _require_staff(by, message: str | None = None) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(message or _("Only the training section may do this."))


def _require_card_unit(by, card: Scorecard) -> None:
    """The training section, or the study administrator of the card's unit."""
    if is_org_staff(by):
        return
    scope = scope_of(by)
    if scope.unit_id is None or scope.unit_id != card.unit_id:
        raise PermissionDenied(_("Only the unit's study administrator or the training section may do this."))


def _lock(card: Scorecard) -> Scorecard:
    """The card row locked for this transaction (two reviewers never interleave their scoring)."""
    return Scorecard.objects.select_related("template", "unit").select_for_update(of=("self",)).get(pk=card.pk)


def _require_not_final(card: Scorecard) -> None:
    if card.status == CardStatus.FINAL:
        raise ValidationError(_("The card is finalised; the training section must reopen it first."))


def _require_self_check_open(card: Scorecard) -> None:
    _require_not_final(card)
    if not self_check_open(card):
        raise ValidationError(
            _("The self-check was submitted; it can be changed again when the training section returns the card.")
        )


def _audit_update(by, instance, old: dict, reason: str = "") -> None:
    changed_old, changed_new = diff(old, snapshot(instance))
    if changed_new:
        log_change(actor=by, instance=instance, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=reason[:500])  # fmt: skip


def _reason(reason, field: str = "reason") -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({field: _("The reason may have at most %(n)s characters.") % {"n": MAX_REASON}})
    return reason


# ---------------------------------------------------------------------------------------------------
# Cards


def _check_year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not is_valid_year(year):
        raise ValidationError({"year": year_error()})
    return year


def _new_items(card: Scorecard, template: engine.Template) -> list[ScorecardItem]:
    return [ScorecardItem(card=card, code=item.code) for item in template.items]


@transaction.atomic
def create_card(*, by, template: ScorecardTemplate, unit: Unit, year: int) -> Scorecard:
    """A card of ``template`` for ``unit`` and ``year`` (the training section), with an empty item per template item,
    its computed counts read from the data and its scores (a deduction card starts full, as on paper)."""
    _require_staff(by)
    _check_year(year)
    if not template.active:
        raise ValidationError({"template": _("This template is no longer in use.")})
    if Scorecard.objects.filter(template=template, unit=unit, year=year).exists():
        raise ValidationError(
            {
                "unit": _("%(unit)s already has a card of this template for %(year)s.")
                % {"unit": unit.name, "year": year}
            }  # fmt: skip
        )
    parsed = engine_template(template)
    card = Scorecard.objects.create(template=template, unit=unit, year=year, created_by=by)
    card.template = template
    ScorecardItem.objects.bulk_create(_new_items(card, parsed))
    log_change(actor=by, instance=card, action=ChangeLog.Action.CREATE, new=snapshot(card))
    refresh_computed(year=year, unit_ids=[unit.pk])
    card.refresh_from_db()
    return card


@transaction.atomic
def create_year_cards(*, by, template: ScorecardTemplate, year: int) -> int:
    """A card of ``template`` for ``year`` for every unit that has none (bulk); returns how many were made."""
    _require_staff(by)
    _check_year(year)
    if not template.active:
        raise ValidationError({"template": _("This template is no longer in use.")})
    parsed = engine_template(template)
    having = Scorecard.objects.filter(template=template, year=year).values("unit_id")
    units = list(Unit.objects.exclude(pk__in=having).values_list("pk", flat=True))
    if not units:
        return 0
    cards = Scorecard.objects.bulk_create(
        [Scorecard(template=template, unit_id=unit_id, year=year, created_by=by) for unit_id in units],
        batch_size=1000,
    )
    if not all(card.pk for card in cards):  # a database that does not return ids (not PostgreSQL or SQLite 3.35+)
        cards = list(Scorecard.objects.filter(template=template, year=year, unit_id__in=units))
    ScorecardItem.objects.bulk_create(
        [item for card in cards for item in _new_items(card, parsed)], batch_size=5000
    )  # fmt: skip
    log_created(actor=by, instances=cards, reason=_("Cards of %(year)s for every unit") % {"year": year})
    refresh_computed(year=year, unit_ids=units)
    return len(cards)


# ---------------------------------------------------------------------------------------------------
# Values


def _item_of(card: Scorecard, code: str) -> tuple[engine.Item, ScorecardItem]:
    template = engine_template(card.template)
    item = next((item for item in template.items if item.code == code), None)
    row = ScorecardItem.objects.select_for_update().filter(card=card, code=code).first() if item else None
    if item is None or row is None:
        raise ValidationError({"code": _("The card has no item %(code)s.") % {"code": code}})
    return item, row


def _json(data) -> dict:
    """The engine's value as JSON (Decimals as numbers' text kept exact)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _parse(item: engine.Item, value) -> dict | None:
    """The value as the engine reads and stores it, or ValidationError in plain words on the key given."""
    if not isinstance(value, Mapping) or not value:
        raise ValidationError({"value": _("Enter a value for the item.")})
    try:
        parsed = engine.value_from_data(item, dict(value))
    except (ValueError, TypeError, ArithmeticError) as error:
        key = next(iter(value)) if len(value) == 1 else "value"
        raise ValidationError({str(key): str(error)}) from None  # the engine's words, already in the user's language
    return _json(engine.value_to_data(item, parsed)) or None  # {}: nothing entered (a null value clears it)


def _note(note, field: str) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ValidationError({field: _("Enter text.")})
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": MAX_NOTE}})
    return note


@transaction.atomic
def set_self_value(*, by, card: Scorecard, code: str, value: dict | None, note: str | None = None) -> ScorecardItem:
    """The unit's self-check value (and note) of an item; ``value`` None keeps the value and changes the note only.
    The unit's administrator (or the training section) while the self-check is open."""
    _require_card_unit(by, card)
    card = _lock(card)
    _require_self_check_open(card)
    return _store_value(by, card, code, value, note, value_field="self_value", text_field="self_note")


@transaction.atomic
def set_final_value(*, by, card: Scorecard, code: str, value: dict | None, comment: str | None = None) -> ScorecardItem:
    """The training section's final value (and comment) of an item, until the card is final; the card is scored
    again (and the cards whose tier depends on it)."""
    _require_staff(by)
    card = _lock(card)
    _require_not_final(card)
    return _store_value(by, card, code, value, comment, value_field="final_value", text_field="comment")


def _store_value(by, card: Scorecard, code: str, value, text, *, value_field: str, text_field: str) -> ScorecardItem:
    """One side of an item (the unit's self-check or the reviewer's final value) stored, audited and the card scored
    again; ``value``/``text`` None keep what is there."""
    item, row = _item_of(card, code)
    old = snapshot(row)
    if value is not None:
        setattr(row, value_field, _parse(item, value))
    if text is not None:
        setattr(row, text_field, _note(text, "note"))
    row.save(update_fields=[value_field, text_field, "updated_at"])
    _audit_update(by, row, old)
    rescore([card])
    row.refresh_from_db()
    return row


@transaction.atomic
def set_team_appraisal(*, by, card: Scorecard, appraisal: str) -> Scorecard:
    """The team's annual appraisal on a card whose template carries it (Daxinganling team card); "" clears it."""
    _require_staff(by)
    card = _lock(card)
    _require_not_final(card)
    if not engine_template(card.template).appraisal:
        raise ValidationError({"team_appraisal": _("This card has no team appraisal.")})
    if appraisal not in (*engine.TEAM_APPRAISALS, ""):
        raise ValidationError(
            {"team_appraisal": _("Choose one of: %(choices)s.") % {"choices": ", ".join(engine.TEAM_APPRAISALS)}}
        )
    old = snapshot(card)
    card.team_appraisal = appraisal
    card.save(update_fields=["team_appraisal", "updated_at"])
    _audit_update(by, card, old)
    rescore([card])
    card.refresh_from_db()
    return card


# ---------------------------------------------------------------------------------------------------
# Evidence


@transaction.atomic
def add_evidence(*, by, item: ScorecardItem, upload) -> ItemEvidence:
    """An evidence file of a self-check item, checked by parsing it (PDF, JPEG or PNG, ``credits.evidence``) and
    stored under a generated name; the sender's name is kept only to show."""
    card = item.card
    _require_card_unit(by, card)
    card = _lock(card)
    if is_org_staff(by):
        _require_not_final(card)
    else:
        _require_self_check_open(card)
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    if ItemEvidence.objects.filter(item=item).count() >= MAX_EVIDENCE_PER_ITEM:
        raise ValidationError({"file": _("An item takes at most %(n)s evidence files.") % {"n": MAX_EVIDENCE_PER_ITEM}})
    try:
        data = read_upload(upload)
        kind = sniff(data)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = (getattr(upload, "name", "") or stored_name(kind)).rsplit("/", 1)[-1][:200]
    evidence = ItemEvidence(item=item, file_type=kind, original_name=name, uploaded_by=by)
    evidence.file.save(stored_name(kind), ContentFile(data), save=False)
    evidence.save()
    log_change(actor=by, instance=evidence, action=ChangeLog.Action.CREATE, new=snapshot(evidence))
    return evidence


@transaction.atomic
def remove_evidence(*, by, evidence: ItemEvidence) -> None:
    """Take an evidence file off its item (the file is deleted once the change is committed)."""
    card = evidence.item.card
    _require_card_unit(by, card)
    card = _lock(card)
    if is_org_staff(by):
        _require_not_final(card)
    else:
        _require_self_check_open(card)
    old = snapshot(evidence)
    storage, name = evidence.file.storage, evidence.file.name
    log_change(actor=by, instance=evidence, action=ChangeLog.Action.DELETE, old=old)
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------------------------
# Submission and review


@transaction.atomic
def submit_self_check(*, by, card: Scorecard, period: str | None = None) -> SelfCheckSubmission:
    """The unit hands in its self-check report for one of the template's due dates (``period``; by default the
    first not yet reported on, else the last, as a resubmission after the card was returned)."""
    _require_card_unit(by, card)
    card = _lock(card)
    _require_not_final(card)
    template = engine_template(card.template)
    codes = [due.code for due in template.due_dates]
    submitted = set(card.submissions.values_list("period", flat=True))
    if period in (None, ""):
        period = next_period(card, submitted=submitted)
        if period is None:
            raise ValidationError({"period": _("This template has no self-check due dates.")})
    elif period not in codes:
        raise ValidationError({"period": _("Choose one of: %(choices)s.") % {"choices": ", ".join(codes)}})
    existing = SelfCheckSubmission.objects.filter(card=card, period=period).first()
    if existing is not None and card.status != CardStatus.RETURNED:
        raise ValidationError({"period": _("The self-check report for this period was already submitted.")})
    old = snapshot(card)
    if existing is not None:  # handed in again after the card was returned
        existing.delete()
    submission = SelfCheckSubmission.objects.create(card=card, period=period, submitted_by=by)
    card.status = CardStatus.SUBMITTED
    card.save(update_fields=["status", "updated_at"])
    log_change(actor=by, instance=submission, action=ChangeLog.Action.CREATE, new=snapshot(submission))
    _audit_update(by, card, old)
    return submission


@transaction.atomic
def return_card(*, by, card: Scorecard, reason: str) -> Scorecard:
    """Send a submitted self-check back to the unit with the reason; the unit edits it and submits again."""
    _require_staff(by)
    card = _lock(card)
    reason = _reason(reason)
    if card.status != CardStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted self-check can be returned."))
    old = snapshot(card)
    card.status, card.return_reason = CardStatus.RETURNED, reason
    card.save(update_fields=["status", "return_reason", "updated_at"])
    _audit_update(by, card, old, reason)
    return card


@transaction.atomic
def finalise_card(*, by, card: Scorecard) -> Scorecard:
    """Lock the card's values: its total and tier are the final ones (the training section)."""
    _require_staff(by)
    card = _lock(card)
    _require_not_final(card)
    old = snapshot(card)
    card.status, card.finalised_at, card.finalised_by = CardStatus.FINAL, timezone.now(), by
    card.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    _audit_update(by, card, old)
    return card


@transaction.atomic
def reopen_card(*, by, card: Scorecard, reason: str) -> Scorecard:
    """Unlock a final card, with the reason: back to ``submitted`` when the unit handed in a report, else
    ``draft``."""
    _require_staff(by)
    card = _lock(card)
    reason = _reason(reason)
    if card.status != CardStatus.FINAL:
        raise ValidationError(_("Only a finalised card can be reopened."))
    old = snapshot(card)
    card.status = CardStatus.SUBMITTED if card.submissions.exists() else CardStatus.DRAFT
    card.finalised_at = card.finalised_by = None
    card.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    _audit_update(by, card, old, reason)
    return card


# ---------------------------------------------------------------------------------------------------
# Scoring


def _value(item: engine.Item, data) -> engine.ItemValue | None:
    if not data:
        return None
    try:
        return engine.value_from_data(item, data)
    except ValueError:  # a value stored under an earlier form of the template: read as nothing entered
        return None


def _dependants(templates: Iterable[ScorecardTemplate]) -> dict[str, set[str]]:
    """template code -> the codes of the templates whose tiers read a card of it (Daxinganling org -> team)."""
    found: dict[str, set[str]] = defaultdict(set)
    for template in templates:
        for tier in engine_template(template).tiers:
            if tier.requires_card:
                found[tier.requires_card[0]].add(template.code)
    return found


def _depth(code: str, needs: Mapping[str, set[str]], seen: frozenset = frozenset()) -> int:
    """How many cards' tiers a template's tier waits for (0: none); scored in increasing depth."""
    if code in seen:
        return 0  # a cycle in a hand-made template: scored once, in any order
    return max((1 + _depth(other, needs, seen | {code}) for other in needs.get(code, ())), default=0)


def rescore(cards: Iterable[Scorecard]) -> int:
    """Score ``cards`` again from their stored values and computed counts, with the cards whose tier depends on
    theirs (of the same unit and year), and store what changed (bulk). Returns how many cards changed."""
    cards = list(cards)
    if not cards:
        return 0
    templates = {t.code: t for t in ScorecardTemplate.objects.all()}
    dependants = _dependants(templates.values())
    wanted = {card.pk for card in cards}
    extra = {code for card in cards for code in dependants.get(card.template.code, ())}
    if extra:
        wanted |= set(
            Scorecard.objects.filter(
                template__code__in=extra,
                unit_id__in={c.unit_id for c in cards},
                year__in={c.year for c in cards},
            ).values_list("pk", flat=True)
        )
    return _score_cards(
        Scorecard.objects.filter(pk__in=wanted).select_related("template"),
        templates=templates,
        units={c.unit_id for c in cards},
        years={c.year for c in cards},
    )


def _score_cards(cards_qs, *, templates: dict[str, ScorecardTemplate], units, years) -> int:
    """The scoring pass shared by ``rescore`` and ``refresh_computed``: reads the cards' items in one query, scores
    in dependency order, writes the changed rows in bulk."""
    cards = list(cards_qs)
    if not cards:
        return 0
    needs: dict[str, set[str]] = defaultdict(set)
    for code, others in _dependants(templates.values()).items():
        for other in others:
            needs[other].add(code)
    cards.sort(key=lambda c: (_depth(c.template.code, needs), c.pk))
    # Tiers of every card of these units and years: the rating context (updated as cards are scored).
    tiers: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    by_tier = Scorecard.objects.filter(unit_id__in=set(units), year__in=set(years)).values_list(
        "unit_id", "year", "template__code", "tier"
    )
    for unit_id, year, code, tier in by_tier:
        tiers[(unit_id, year)][code] = tier
    items: dict[int, dict[str, ScorecardItem]] = defaultdict(dict)
    for row in ScorecardItem.objects.filter(card__in=[c.pk for c in cards]).order_by():
        items[row.card_id][row.code] = row
    # Explanations are stored in the product's language (Chinese first), whoever's request scored the card.
    with translation.override(settings.LANGUAGE_CODE):
        changed_cards, changed_items = _score_each(cards, templates, tiers, items)
    if changed_items:
        ScorecardItem.objects.bulk_update(changed_items, ITEM_SCORE_FIELDS, batch_size=2000)
    if changed_cards:
        Scorecard.objects.bulk_update(changed_cards, CARD_SCORE_FIELDS, batch_size=1000)
    return len(changed_cards)


def _score_each(cards, templates, tiers, items) -> tuple[list[Scorecard], list[ScorecardItem]]:
    changed_cards, changed_items = [], []
    for card in cards:
        template = engine_template(templates.get(card.template.code, card.template))
        rows = items[card.pk]
        computed = {key: value for key, value in (card.computed or {}).items() if key != FACTS}
        context = engine.RatingContext(
            other_cards={k: v for k, v in tiers[(card.unit_id, card.year)].items() if k != card.template.code},
            team_appraisal=card.team_appraisal or None,
        )
        finals = {item.code: _value(item, getattr(rows.get(item.code), "final_value", None)) for item in template.items}
        result = engine.score_card(template, finals, computed, context)
        results = {r.code: r for r in result.items}
        selfs = {item.code: _value(item, getattr(rows.get(item.code), "self_value", None)) for item in template.items}
        any_self = any(value is not None for value in selfs.values())
        self_result = engine.score_card(template, selfs, computed, context) if any_self else None
        self_scores = {r.code: r.score for r in self_result.items} if self_result else {}
        for item in template.items:
            row = rows.get(item.code)
            if row is None:
                continue
            got = results[item.code]
            new = (
                got.score,
                self_scores.get(item.code) if selfs[item.code] is not None else None,
                got.computed if item.computed else None,
                got.explanation[:500],
            )
            if (row.score, row.self_score, row.computed, row.explanation) != new:
                row.score, row.self_score, row.computed, row.explanation = new
                changed_items.append(row)
        new_card = (result.base, result.bonus, result.total, result.tier, self_result.total if self_result else None)
        if (card.base, card.bonus, card.total, card.tier, card.self_total) != new_card:
            card.base, card.bonus, card.total, card.tier, card.self_total = new_card
            changed_cards.append(card)
        tiers[(card.unit_id, card.year)][card.template.code] = result.tier
    return changed_cards, changed_items


def _shortfalls(computed: dict) -> dict:
    return {key: value for key, value in computed.items() if key != FACTS}


@transaction.atomic
def refresh_computed(*, year: int, unit_ids: Iterable[int] | None = None) -> int:
    """Bring the computed counts and facts of ``year``'s cards (of ``unit_ids``, every unit when None) in line with
    the data, and score again every card whose counts changed (with the cards whose tier depends on them).
    Set-based: one GROUP BY of the year's hours per official, bulk updates. Returns how many cards' counts changed.

    Called by the stale-mark pipeline (``credits.scoring.scores_computed``, see ``assessments.signals``) after an
    official's or a whole year's scores are recomputed, and when cards are made."""
    cards = Scorecard.objects.filter(year=year)
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
        if not unit_ids:
            return 0
        cards = cards.filter(unit_id__in=unit_ids)
    found = list(cards.values_list("pk", "unit_id", "computed"))
    if not found:
        return 0
    counts = computed_counts(year=year, unit_ids=unit_ids if unit_ids is not None else {u for _pk, u, _c in found})
    now = timezone.now()
    changed, rescored = [], []
    for pk, unit_id, stored in found:
        fresh = counts.get(unit_id)
        if fresh is not None and fresh != stored:
            changed.append(Scorecard(pk=pk, unit_id=unit_id, computed=fresh, computed_at=now))
            if _shortfalls(fresh) != _shortfalls(stored or {}):  # the facts alone change no score
                rescored.append(changed[-1])
    if not changed:
        return 0
    Scorecard.objects.bulk_update(changed, ["computed", "computed_at"], batch_size=1000)
    if not rescored:
        return len(changed)
    changed_ids = [card.pk for card in rescored]
    templates = {t.code: t for t in ScorecardTemplate.objects.all()}
    dependants = _dependants(templates.values())
    units = {card.unit_id for card in rescored}
    codes = set(Scorecard.objects.filter(pk__in=changed_ids).values_list("template__code", flat=True).distinct())
    extra = {code for c in codes for code in dependants.get(c, ())}
    wanted = Q(pk__in=changed_ids)
    if extra:
        wanted |= Q(template__code__in=extra, unit_id__in=units)
    scored = Scorecard.objects.filter(wanted, year=year).select_related("template")
    _score_cards(scored, templates=templates, units=units, years={year})
    return len(changed)


# ---------------------------------------------------------------------------------------------------
# Overdue self-checks


def notify_overdue_self_checks(*, today: date | None = None) -> int:
    """Tell each unit's study administrators of every self-check report overdue today (a due date passed, no report,
    the card not final), once per card and period: run daily by beat, a second run tells nobody twice. Returns how
    many notifications were made."""
    from notifications.models import Notification, NotificationKind
    from notifications.services import save_notifications
    from organisation.models import StudyAdministrator

    from ..selectors.cards import overdue_self_checks

    rows = overdue_self_checks(today=today)
    if not rows:
        return 0
    told = {
        (params.get("card"), params.get("period"))
        for params in Notification.objects.filter(
            kind=NotificationKind.SELF_CHECK_OVERDUE, params__card__in=[row.card.pk for row in rows]
        ).values_list("params", flat=True)
    }
    admins: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in StudyAdministrator.objects.filter(unit_id__in={r.card.unit_id for r in rows}).values_list(
        "unit_id", "user_id"
    ):
        admins[unit_id].append(user_id)
    notes = []
    for row in rows:
        if (row.card.pk, row.period) in told:
            continue
        due = next((d for d in engine_template(row.card.template).due_dates if d.code == row.period), None)
        params = {"card": row.card.pk, "period": row.period, "period_title": due.title if due else row.period,
                  "template": row.card.template.name, "unit": row.card.unit.name, "year": row.card.year,
                  "due_on": row.due_on.isoformat()}  # fmt: skip
        url = f"/assessments/cards/{row.card.pk}/self-check/"
        notes += [Notification(recipient_id=user_id, kind=NotificationKind.SELF_CHECK_OVERDUE, params=params, url=url)
                  for user_id in admins.get(row.card.unit_id, ())]  # fmt: skip
    return len(save_notifications(notes))
