"""The scorecards follow the data: the computed items (study-hour shortfalls, RULES §3/§4) and the year's facts are
refreshed whenever credits stores recomputed scores (the stale-mark pipeline: a record approved, corrected or
deleted, an official's rank, unit or dates changed, an exemption, a whole-year recompute), and when a central-group
session is entered or removed."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from credits.models import GroupStudySession
from credits.scoring import scores_computed


@receiver(scores_computed)
def scores_computed_refresh_cards(sender, year: int, official_ids=None, unit_ids=None, **kwargs) -> None:
    """The cards of the year of the units these officials are (or were) in; every card of the year after a
    whole-year recompute. Inside the caller's transaction: the cards change with the scores."""
    from .services.cards import refresh_computed

    refresh_computed(year=year, unit_ids=unit_ids)


@receiver(post_save, sender=GroupStudySession)
@receiver(post_delete, sender=GroupStudySession)
def group_session_changed_refresh_cards(sender, instance: GroupStudySession, **kwargs) -> None:
    """A session counts once entered (credits.selectors.units.unit_session_count): the unit's facts follow."""
    from .services.cards import refresh_computed

    year, unit_id = instance.occurred_on.year, instance.unit_id
    transaction.on_commit(lambda: refresh_computed(year=year, unit_ids=[unit_id]))
