"""A record change reaches the stored score through the real broker and a real worker process."""

from datetime import date
from decimal import Decimal

import pytest

from credits import services
from credits.models import AnnualScore, RecomputeJob, StaleScore
from organisation.models import Official
from tests.conftest import YEAR, client_for
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def stored(official, year=YEAR):
    return AnnualScore.objects.filter(official=official, year=year).first()


def test_an_entered_record_reaches_the_score(celery_worker_process, staff_user, officials):
    zhang = officials["zhang"]
    services.create_record(by=staff_user, official=zhang, kind="class_day", quantity=3, occurred_on=date(YEAR, 4, 1))
    score = wait_for(lambda: (s := stored(zhang)) and s.category_score("offjob") == Decimal("6.0") and s)
    assert score.grade == "fail" and score.vetoes == ["menu_not_passed", "online_not_passed"]
    wait_for(lambda: not StaleScore.objects.filter(official=zhang).exists())
    # The ranking pass is debounced and runs as its own task.
    wait_for(lambda: stored(zhang).city_rank == 1)


def test_approval_through_the_api_reaches_the_score(celery_worker_process, staff_user, unit_admin_user, officials):
    admin_api, staff_api = client_for(unit_admin_user), client_for(staff_user)
    body = {"official": "F002", "kind": "central_group_speaker", "quantity": 4, "occurred_on": f"{YEAR}-03-03"}
    record = admin_api.post("/api/v1/activities/", body, format="json").json()
    assert record["status"] == "submitted"
    assert staff_api.post(f"/api/v1/activities/{record['id']}/approve/").status_code == 200
    li = Official.objects.get(staff_no="F002")
    wait_for(lambda: (s := stored(li)) and s.category_score("group_study") == Decimal("8.0"))


def test_year_recompute_is_a_job_to_poll(celery_worker_process, staff_user, officials):
    staff_api = client_for(staff_user)
    response = staff_api.post(f"/api/v1/years/{YEAR}/recompute/")
    assert response.status_code == 202
    job_id = response.json()["id"]
    wait_for(lambda: RecomputeJob.objects.get(pk=job_id).state == RecomputeJob.State.DONE)
    assert staff_api.get(f"/api/v1/recompute-jobs/{job_id}/").json()["progress"] == 100
    assert AnnualScore.objects.filter(year=YEAR).count() == len(officials)


def test_a_change_in_an_earlier_year_reaches_the_later_years_through_the_worker(
    celery_worker_process, staff_user, officials
):
    """The Baoji carry chain: records entered in the first of three baoji-2009 years change the carry the later two
    receive, followed by the worker in year order without anyone asking (RULES §2.2)."""
    from credits.models import YearPolicy

    li = officials["li"]
    first = YEAR - 2
    for year in (first, first + 1, first + 2):
        YearPolicy.objects.create(year=year, policy="baoji-2009")
        services.create_record(by=staff_user, official=li, kind="class_day", quantity=12, occurred_on=date(year, 5, 1))
    wait_for(lambda: (s := stored(li, YEAR)) and Decimal(s.figures.get("carry_in", "-1")) == 0 and s)

    services.create_record(by=staff_user, official=li, kind="book_sole", quantity=2, occurred_on=date(first, 9, 1))

    # first: 60 + 20 = 80, carry 20; second: 60 + 20 = 80, carry 20; third: 60 + 20 = 80.
    wait_for(lambda: (s := stored(li, YEAR)) and Decimal(s.figures.get("carry_in", "-1")) == 20 and s)
    assert Decimal(stored(li, first + 1).figures["carry_in"]) == 20
    assert Decimal(stored(li, YEAR).figures["cycle"]["earned"]) == 200
    wait_for(lambda: not StaleScore.objects.filter(official=li).exists())
