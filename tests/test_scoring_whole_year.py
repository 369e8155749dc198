"""A whole year's recompute as the faster pipeline does it: the stored results are the policy's, the ranks are the
ranking's, per-record kinds stay one line each, and a change follows the chain through every later year."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from credits.models import ActivityRecord, AnnualScore, Exemption, YearPolicy
from credits.policies import policy_of_year
from credits.rules import get_policy
from credits.scoring import compute_chain, compute_scores, officials_assessed_in, rank_year, year_contexts
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

BAOJI = "baoji-2009"


def record(official, kind, quantity, year=YEAR, **extra) -> ActivityRecord:
    policy = policy_of_year(year)
    category = extra.pop("category", None) or (policy.category_of(kind) if kind in policy.kinds else "offjob")
    return ActivityRecord.objects.create(
        official=official, kind=kind, category=category, quantity=quantity, occurred_on=date(year, 5, 1),
        status="approved", **extra,
    )  # fmt: skip


def ranks(year=YEAR) -> dict[int, tuple]:
    return {
        o: (c, u) for o, c, u in AnnualScore.objects.filter(year=year).values_list("official", "city_rank", "unit_rank")
    }


@pytest.fixture
def city(units):
    """Eight officials in two units with tied totals, one exempt: enough to make ranks interesting."""
    people = []
    for n, (unit, days) in enumerate(
        [("finance", 5), ("finance", 5), ("finance", 3), ("education", 5), ("education", 7), ("education", 3),
         ("finance", 0), ("education", 7)]
    ):  # fmt: skip
        official = Official.objects.create(staff_no=f"W{n}", name=f"W{n}", unit=units[unit])
        if days:
            record(official, "class_day", days)
            record(official, "online_hour", 10 * days)
        people.append(official)
    Exemption.objects.create(official=people[7], year=YEAR, reason="sick_leave")
    return people


def test_a_whole_year_is_stored_already_ranked_as_the_ranking_ranks_it(city):
    compute_scores(year=YEAR)
    written = ranks()
    assert any(c is not None for c, _u in written.values())
    rank_year(year=YEAR)
    assert ranks() == written  # the ranking found nothing to change
    exempt = AnnualScore.objects.get(year=YEAR, exempt=True)
    assert (exempt.city_rank, exempt.unit_rank) == (None, None)
    tied = AnnualScore.objects.filter(year=YEAR, official__in=city[:2])
    assert len({(s.total, s.city_rank, s.unit_rank) for s in tied}) == 1  # equal totals share both ranks


def test_ranks_follow_a_change_of_one_official_after_the_ranking(city):
    compute_scores(year=YEAR)
    rank_year(year=YEAR)
    was = AnnualScore.objects.get(year=YEAR, official=city[2]).city_rank
    record(city[2], "online_hour", 60)  # the third official moves up
    compute_scores(year=YEAR, official_ids=[city[2].pk])
    rank_year(year=YEAR)
    assert AnnualScore.objects.get(year=YEAR, official=city[2]).city_rank < was
    before = ranks()
    AnnualScore.objects.filter(year=YEAR).update(city_rank=None, unit_rank=None)
    rank_year(year=YEAR)
    assert ranks() == before


def test_the_stored_result_is_the_policys_result(city):
    compute_scores(year=YEAR)
    policy = policy_of_year(YEAR)
    people = list(officials_assessed_in(YEAR).values_list("pk", "unit_id", "included_on", "retires_on"))
    for official_id, _unit, context in year_contexts(year=YEAR, policy=policy, people=people, ids=None):
        result = policy.assess(context)
        score = AnnualScore.objects.get(year=YEAR, official_id=official_id)
        assert result.explanation and score.explanation == json.loads(json.dumps(result.explanation))
        assert score.categories == {
            code: {"score": str(c.score), "passed": c.passed} for code, c in result.categories.items()
        }
        assert (score.total, score.grade or None, tuple(score.vetoes), tuple(score.flags)) == (
            result.total, result.grade, result.vetoes, result.flags,
        )  # fmt: skip


def test_discretionary_points_count_under_the_category_each_record_chose(units):
    official = Official.objects.create(staff_no="D1", name="D1", unit=units["finance"])
    record(official, "discretionary", 1, category="self_study", points=Decimal(4))
    record(official, "discretionary", 1, category="offjob", points=Decimal(3))
    record(official, "discretionary", 1, category="self_study", points=Decimal(2))
    compute_scores(year=YEAR)
    score = AnnualScore.objects.get(official=official, year=YEAR)
    assert (score.category_score("self_study"), score.category_score("offjob")) == (6, 3)


def test_each_baoji_training_is_judged_on_its_own(units):
    YearPolicy.objects.create(year=YEAR, policy=BAOJI)
    official = Official.objects.create(staff_no="B1", name="B1", unit=units["finance"])
    rate = get_policy(BAOJI).kinds["class_day"].rule_params["rate"]
    shortest = get_policy(BAOJI).kinds["class_day"].rule_params["days"]
    record(official, "class_day", shortest - 1)  # too short: scores nothing
    record(official, "class_day", shortest + 2)
    record(official, "online_course", 1, points=Decimal(12))
    record(official, "online_course", 1, points=Decimal(7))
    compute_scores(year=YEAR)
    score = AnnualScore.objects.get(official=official, year=YEAR)
    assert Decimal(score.figures["earned"]) == (shortest + 2) * rate + 12 + 7


def test_a_whole_year_recompute_follows_a_change_through_every_later_year(units):
    years = [YEAR - 3, YEAR - 2, YEAR - 1, YEAR]
    for year in years:
        YearPolicy.objects.create(year=year, policy=BAOJI)
    official = Official.objects.create(staff_no="C1", name="C1", unit=units["finance"])
    other = Official.objects.create(staff_no="C2", name="C2", unit=units["finance"])
    for year in years:
        record(official, "online_course", 1, year=year, points=Decimal(20))
        record(official, "class_day", 10, year=year)  # 70 credits a year: 10 carried over each year
        record(other, "class_day", 3, year=year)
    for year in years:
        compute_scores(year=year)
        rank_year(year=year)  # ranked years, as after any recompute
    carried = {y: Decimal(AnnualScore.objects.get(official=official, year=y).figures["carry_in"]) for y in years}

    record(official, "online_course", 1, year=years[0], points=Decimal(5))  # behind the services' back
    touched = compute_chain(year=years[0])

    assert touched == years
    after = {y: Decimal(AnnualScore.objects.get(official=official, year=y).figures["carry_in"]) for y in years}
    assert after[years[0]] == carried[years[0]]
    assert all(after[y] == carried[y] + 5 for y in years[1:])


# --- PostgreSQL: a whole year outside a transaction is read and written by threads on connections of their own ---


postgres_only = pytest.mark.skipif(
    __import__("django.db", fromlist=["connection"]).connection.vendor != "postgresql",
    reason="the reading and writing threads run on PostgreSQL only",
)


def _threads() -> set[str]:
    import threading

    return {t.name for t in threading.enumerate()} & {"year-lines", "year-scores"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_failing_write_thread_fails_the_recompute_and_stops(city, monkeypatch):
    from credits import scoring

    def broken(ranks):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scoring, "_upsert_staged", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        compute_scores(year=YEAR)
    assert not _threads()
    assert not AnnualScore.objects.filter(year=YEAR).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_failing_read_thread_fails_the_recompute_and_stops(city, monkeypatch):
    from credits import scoring

    record(city[0], "discretionary", 1, category="self_study", points=Decimal(2))

    def broken(record_ids, cursor=None):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(scoring, "_categories_of", broken)
    with pytest.raises(RuntimeError, match="connection lost"):
        compute_scores(year=YEAR)
    assert not _threads()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_threads_give_the_same_scores_as_one_connection(city):
    from django.db import transaction

    compute_scores(year=YEAR)  # outside a transaction: the threads read and write
    threaded = {s.official_id: (s.digest, s.city_rank, s.unit_rank) for s in AnnualScore.objects.filter(year=YEAR)}
    AnnualScore.objects.filter(year=YEAR).delete()
    with transaction.atomic():
        compute_scores(year=YEAR)  # inside one: all on this connection
    plain = {s.official_id: (s.digest, s.city_rank, s.unit_rank) for s in AnnualScore.objects.filter(year=YEAR)}
    assert threaded == plain and len(plain) == len(city)
