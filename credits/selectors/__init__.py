"""Reads restricted to what a user may see (the row scope of organisation.roles).

Area modules beside this one hold the portal's set-based reads: ``officials`` (an official's own pages), ``units``
(a unit's standings and sessions), ``city`` (queue, dashboard, rankings)."""

from __future__ import annotations

from django.db.models import QuerySet

from organisation.roles import scope_of

from ..models import ActivityRecord, AnnualScore, Exemption, StaleScore, Veto


def records_visible_to(user) -> QuerySet[ActivityRecord]:
    return ActivityRecord.objects.filter(scope_of(user).officials_q("official__")).select_related(
        "official", "official__unit"
    )


def scores_visible_to(user) -> QuerySet[AnnualScore]:
    return AnnualScore.objects.filter(scope_of(user).officials_q("official__")).select_related("official", "unit")


def exemptions_visible_to(user) -> QuerySet[Exemption]:
    return (
        Exemption.objects.filter(scope_of(user).officials_q("official__"))
        .select_related("official")
        .order_by("-year", "id")
    )


def vetoes_visible_to(user) -> QuerySet[Veto]:
    return (
        Veto.objects.filter(scope_of(user).officials_q("official__")).select_related("official").order_by("-year", "id")
    )


def score_is_current(*, official_id: int, year: int) -> bool:
    """False while a change to the official's year waits for the worker."""
    return not StaleScore.objects.filter(official_id=official_id, year=year).exists()
