"""The scorecards follow the data: the computed items (study-hour shortfalls, RULES §3/§4) and the year's facts are
refreshed whenever credits stores recomputed scores (the stale-mark pipeline: a record approved, corrected or
deleted, an official's rank, unit or dates changed, an exemption, a whole-year recompute), when an official changes
and when a central-group session is entered or removed."""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from credits.models import GroupStudySession
from credits.scoring import scores_computed
from organisation.signals import official_changed

_pending = threading.local()  # the units whose cards follow once this thread's transaction commits


@receiver(scores_computed)
def scores_computed_refresh_cards(sender, year: int, official_ids=None, unit_ids=None, **kwargs) -> None:
    """The cards of the year of the units these officials are (or were) in; every card of the year after a
    whole-year recompute. Inside the caller's transaction: the cards change with the scores."""
    from .services.cards import refresh_computed

    refresh_computed(year=year, unit_ids=unit_ids)


@receiver(official_changed)
def official_changed_refresh_cards(sender, official, years=(), **kwargs) -> None:
    """An official's rank, unit or dates changed: their unit's cards follow after commit (the scores' own refresh
    reaches the unit they left through ``scores_computed``; this covers years in which they have no score yet)."""
    refresh_unit_cards_after_commit(official.unit_id)


@receiver(post_save, sender=GroupStudySession)
@receiver(post_delete, sender=GroupStudySession)
def group_session_changed_refresh_cards(sender, instance: GroupStudySession, **kwargs) -> None:
    """A session counts once entered (credits.selectors.units.unit_session_count): the unit's facts follow."""
    refresh_unit_cards_after_commit(instance.unit_id)


def refresh_unit_cards_after_commit(unit_id: int) -> None:
    """Refresh the unit's cards of every year that has cards once the transaction commits: one refresh per
    transaction for all the units named in it (an import of 1,000 officials is one refresh, not 1,000)."""
    units = getattr(_pending, "units", None)
    if units is None:
        units = _pending.units = set()
    units.add(unit_id)
    if not any(callback is _refresh_pending for _ids, callback, *_ in connection.run_on_commit):
        transaction.on_commit(_refresh_pending)


def _refresh_pending() -> None:
    from .models import Scorecard
    from .services.cards import refresh_computed

    units, _pending.units = getattr(_pending, "units", set()), set()
    if not units:
        return
    years = Scorecard.objects.filter(unit_id__in=units).values_list("year", flat=True).distinct().order_by()
    for year in sorted(years):
        refresh_computed(year=year, unit_ids=units)


def build_demo_scorecards(sender, *, year: int, progress, **kwargs) -> None:
    from .demo import build_scorecards

    build_scorecards(year=year, progress=progress)


def clear_demo_scorecards(sender, **kwargs) -> None:
    from .demo import clear_scorecards

    clear_scorecards()
