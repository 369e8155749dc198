"""The check every fault test ends with: the stored scores and ranks of a year equal a recompute from scratch."""

from __future__ import annotations

from credits.models import AnnualScore, RankingDue
from credits.scoring import compute_scores, rank_year

# Every stored column but the row id and the time of computing.
COLUMNS = [f.attname for f in AnnualScore._meta.concrete_fields if f.attname not in {"id", "computed_at"}]


def stored_scores(year: int) -> dict[int, dict]:
    return {row["official_id"]: row for row in AnnualScore.objects.filter(year=year).values(*COLUMNS)}


def assert_equals_fresh_recompute(year: int) -> dict[int, dict]:
    """Compare every AnnualScore row of ``year`` with a recompute from nothing (scores deleted, computed, ranked).

    Leaves the fresh rows in place; returns them.
    """
    healed = stored_scores(year)
    assert not RankingDue.objects.filter(year=year).exists(), "the year is still marked for ranking"
    AnnualScore.objects.filter(year=year).delete()
    compute_scores(year=year)
    rank_year(year=year)
    fresh = stored_scores(year)
    assert fresh, "nothing to compare: the year has no scores"
    differing = {pk: (healed.get(pk), row) for pk, row in fresh.items() if healed.get(pk) != row}
    assert healed.keys() == fresh.keys() and not differing, f"healed != fresh recompute: {differing}"
    return fresh
