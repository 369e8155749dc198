"""From a change to the stored score: stale marks, refresh after commit, rankings, reconciliation, audit."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import ChangeLog
from credits import services, tasks
from credits.models import ActivityRecord, AnnualScore, StaleScore
from credits.scoring import compute_scores, find_outdated_scores, rank_year, refresh_stale
from organisation.models import Official
from organisation.services import update_official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


def score(official, year=YEAR) -> AnnualScore:
    return AnnualScore.objects.get(official=official, year=year)


def add(by, official, kind, quantity, **extra):
    return services.create_record(
        by=by,
        official=official,
        kind=kind,
        quantity=quantity,
        occurred_on=extra.pop("occurred_on", date(YEAR, 5, 1)),
        **extra,
    )


def test_only_approved_records_count(staff_user, unit_admin_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 2)
    submitted = add(unit_admin_user, zhang, "class_day", 3)
    rejected = add(unit_admin_user, zhang, "class_day", 1)
    services.reject_record(by=staff_user, record=rejected, reason="无培训班考核记录")
    assert score(zhang).category_score("offjob") == Decimal("4.0")
    services.approve_record(by=staff_user, record=submitted)
    assert score(zhang).category_score("offjob") == Decimal("10.0")


def test_rank_ties_share_a_rank_and_exempt_officials_are_left_out(staff_user, units):
    people = {}
    for n, (unit, points) in enumerate(
        [("finance", 90), ("finance", 85), ("education", 85), ("education", 70), ("finance", 95)]
    ):
        people[n] = Official.objects.create(staff_no=f"R{n}", name=f"R{n}", unit=units[unit])
        for category, value in zip(
            ["menu", "online", "offjob", "group_study", "self_study"], _split(points), strict=True
        ):
            add(staff_user, people[n], "discretionary", 1, category=category, points=value)
    add(staff_user, people[0], "menu_city_lecture", 4)  # meets the lecture count; menu stays capped at 30
    for n in range(1, 5):
        add(staff_user, people[n], "menu_city_lecture", 4)
    services.record_exemption(by=staff_user, official=people[4], year=YEAR, reason="sick_leave")
    ranks = {n: (score(p).city_rank, score(p).unit_rank) for n, p in people.items()}
    assert ranks == {0: (1, 1), 1: (2, 2), 2: (2, 1), 3: (4, 2), 4: (None, None)}


def _split(total: int) -> list[int]:
    """Points per category (menu 30, online 30, offjob 15, group 15, self 10) adding up to ``total``."""
    caps, out = [30, 30, 15, 15, 10], []
    for cap in caps:
        out.append(min(cap, total))
        total -= out[-1]
    return [max(v, 0.5) for v in out]


def test_two_failed_years_in_a_row_flag_political_subhealth(staff_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 1, occurred_on=date(YEAR - 1, 5, 1))
    add(staff_user, zhang, "class_day", 1)
    assert score(zhang, YEAR - 1).grade == "fail"
    compute_scores(year=YEAR, official_ids=[zhang.pk])  # now that the previous year is on record
    assert score(zhang).flags == ["political_subhealth", "no_excellent_appraisal"]


def test_a_down_broker_keeps_the_record_and_the_reconciliation_heals(staff_user, officials):
    zhang = officials["zhang"]
    with mock.patch.object(tasks.refresh_stale_scores, "delay", side_effect=OperationalError("broker down")):
        record = add(staff_user, zhang, "class_day", 2)
    assert ActivityRecord.objects.filter(pk=record.pk).exists()
    assert StaleScore.objects.filter(official=zhang, year=YEAR).exists()
    assert not AnnualScore.objects.filter(official=zhang, year=YEAR).exists()
    tasks.reconcile_stale_scores()
    assert score(zhang).category_score("offjob") == Decimal("4.0")
    assert not StaleScore.objects.exists()


def test_a_burst_in_one_transaction_enqueues_one_refresh(staff_user, officials):
    with mock.patch.object(tasks.refresh_stale_scores, "delay") as delay, transaction.atomic():
        for _ in range(50):
            add(staff_user, officials["zhang"], "online_hour", 1)
            add(staff_user, officials["li"], "online_hour", 1)
    assert delay.call_count == 1
    assert StaleScore.objects.count() == 2


def test_many_marks_are_refreshed_with_one_ranking_pass_per_year(staff_user, officials):
    with mock.patch.object(tasks.refresh_stale_scores, "delay"):
        for official in officials.values():
            add(staff_user, official, "class_day", 1)
    with mock.patch("credits.tasks.scoring.rank_year") as ranking:
        assert tasks.refresh_stale_scores() == [YEAR]
    ranking.assert_called_once_with(year=YEAR)
    assert AnnualScore.objects.filter(year=YEAR).count() == 3


def test_reconciliation_finds_scores_older_than_their_records(staff_user, officials):
    zhang = officials["zhang"]
    record = add(staff_user, zhang, "class_day", 2)
    # A write that bypasses the services (e.g. a hand-run SQL fix) leaves the score behind its input.
    ActivityRecord.objects.filter(pk=record.pk).update(quantity=5, updated_at=timezone.now())
    assert score(zhang).category_score("offjob") == Decimal("4.0")
    find_outdated_scores(years=[YEAR])
    assert StaleScore.objects.filter(official=zhang, year=YEAR).exists()
    refresh_stale()
    assert score(zhang).category_score("offjob") == Decimal("10.0")


def test_refresh_is_idempotent(staff_user, officials):
    add(staff_user, officials["zhang"], "class_day", 2)
    before = score(officials["zhang"])
    compute_scores(year=YEAR, official_ids=[officials["zhang"].pk])
    compute_scores(year=YEAR)
    after = score(officials["zhang"])
    assert (after.pk, after.total, after.grade) == (before.pk, before.total, before.grade)
    assert AnnualScore.objects.filter(year=YEAR).count() == 3


def test_moving_an_official_to_another_unit_moves_their_score(staff_user, officials, units):
    li = officials["li"]
    add(staff_user, li, "class_day", 2)
    update_official(by=staff_user, official=li, unit=units["education"])
    assert score(li).unit_id == units["education"].pk


def test_inclusion_after_the_year_removes_the_score(staff_user, officials):
    li = officials["li"]
    add(staff_user, li, "class_day", 2)
    update_official(by=staff_user, official=li, included_on=date(YEAR + 1, 2, 1))
    assert not AnnualScore.objects.filter(official=li, year=YEAR).exists()


def test_every_change_is_audited_with_who_and_old_and_new_values(staff_user, unit_admin_user, officials):
    record = add(unit_admin_user, officials["li"], "central_group_listener", 1)
    record_id = str(record.pk)
    services.approve_record(by=staff_user, record=record)
    services.delete_record(by=staff_user, record=record)
    log = list(ChangeLog.objects.filter(model="credits.activityrecord", object_id=record_id).order_by("id"))
    assert [(c.action, c.actor.username) for c in log] == [
        ("create", "finance_admin"),
        ("update", "staff"),
        ("delete", "staff"),
    ]
    assert log[0].new["status"] == "submitted"
    assert log[1].old["status"] == "submitted" and log[1].new["status"] == "approved"
    assert log[2].old["quantity"] == "1.0"


def test_whole_year_recompute_reads_in_a_fixed_number_of_queries(staff_user, units):
    def queries_for(n: int) -> int:
        for i in range(n):
            official = Official.objects.create(staff_no=f"Q{n}-{i}", name="x", unit=units["finance"])
            ActivityRecord.objects.create(
                official=official,
                kind="online_hour",
                category="online",
                quantity=3,
                occurred_on=date(YEAR, 4, 1),
                status="approved",
            )
        AnnualScore.objects.all().delete()  # every result new, as in a first recompute
        with CaptureQueriesContext(connection) as ctx:
            compute_scores(year=YEAR)
            rank_year(year=YEAR)
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(40)


def test_an_unchanged_result_is_not_rewritten(staff_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 2)
    before = score(zhang)
    compute_scores(year=YEAR)  # the whole year: unchanged rows are left alone
    after = score(zhang)
    assert (after.digest, after.computed_at, after.explanation, after.city_rank) == (
        before.digest, before.computed_at, before.explanation, before.city_rank,
    )  # fmt: skip
    compute_scores(year=YEAR, official_ids=[zhang.pk])  # one official: confirmed, so stamped
    assert score(zhang).computed_at > before.computed_at


def test_a_record_change_that_leaves_the_result_is_confirmed_once(staff_user, officials):
    zhang = officials["zhang"]
    record = add(staff_user, zhang, "class_day", 2)
    ActivityRecord.objects.filter(pk=record.pk).update(note="补充说明", updated_at=timezone.now())
    assert find_outdated_scores(years=[YEAR]) >= 1
    refresh_stale()
    assert not StaleScore.objects.filter(official=zhang).exists()
    find_outdated_scores(years=[YEAR])
    assert not StaleScore.objects.filter(official=zhang).exists()  # stamped: not flagged again


def test_correcting_an_approved_record_moves_points_between_years(staff_user, officials):
    from tests.conftest import client_for

    zhang = officials["zhang"]
    record = add(staff_user, zhang, "class_day", 2)
    api = client_for(staff_user)
    response = api.patch(f"/api/v1/activities/{record.pk}/", {"quantity": 3, "occurred_on": f"{YEAR - 1}-12-30"})
    assert response.status_code == 200, response.content
    assert score(zhang).category_score("offjob") == Decimal("0.0")
    assert score(zhang, YEAR - 1).category_score("offjob") == Decimal("6.0")
    log = ChangeLog.objects.filter(model="credits.activityrecord", action="update").get()
    assert log.old == {"quantity": "2.0", "occurred_on": f"{YEAR}-05-01"}


def test_a_declarer_may_correct_only_their_own_unreviewed_record(staff_user, officials):
    from tests.conftest import client_for

    zhang = officials["zhang"]
    api = client_for(zhang.user)
    body = {"official": "F001", "kind": "study_paper", "quantity": 1, "occurred_on": f"{YEAR}-03-03"}
    declared = api.post("/api/v1/activities/", body).json()
    assert api.patch(f"/api/v1/activities/{declared['id']}/", {"note": "修改"}).status_code == 200
    assert api.patch(f"/api/v1/activities/{declared['id']}/", {"kind": "menu_city_lecture"}).status_code == 403
    assert api.patch(f"/api/v1/activities/{declared['id']}/", {"official": "F002"}).status_code == 400
    services.approve_record(by=staff_user, record=ActivityRecord.objects.get(pk=declared["id"]))
    assert api.patch(f"/api/v1/activities/{declared['id']}/", {"note": "again"}).status_code == 403


def test_a_score_is_explained_from_the_inputs_it_stores(staff_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 2)
    add(staff_user, zhang, "menu_city_lecture", 1)
    stored = score(zhang)
    assert stored.inputs and stored.legacy_explanation is None
    offjob = stored.explanation["c"]["offjob"]
    assert offjob["k"]["class_day"] == {"n": 1, "q": "2.0", "r": "2", "p": "4.0"} and offjob["s"] == "4.0"
    assert stored.explanation["c"]["menu"]["cl"] == "1.0" and stored.explanation["t"] == str(stored.total)


def test_a_score_stored_with_its_explanation_shows_it_until_recomputed(staff_user, officials):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 2)
    old = {"p": "kunshan-2020", "c": {"offjob": {"s": "99"}}}
    AnnualScore.objects.filter(official=zhang, year=YEAR).update(inputs="", legacy_explanation=old, digest="")
    assert score(zhang).explanation == old
    compute_scores(year=YEAR, official_ids=[zhang.pk])
    again = score(zhang)
    assert again.legacy_explanation is None and again.explanation["c"]["offjob"]["s"] == "4.0"


def test_stored_inputs_that_cannot_be_read_show_no_reasons_and_are_logged(staff_user, officials, caplog):
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 2)
    AnnualScore.objects.filter(official=zhang, year=YEAR).update(inputs="not inputs")
    assert score(zhang).explanation == {}
    assert "could not be explained" in caplog.text
