"""Years that follow each other: a change to a year reaches every later year that reads it, by itself.

The defect the issue names, tried as a new user would: two failed years (the second flagged 亚健康), then the first
year's records entered — the second year must lose the flag without anyone asking for it.
"""

from datetime import date

import pytest

from credits import services
from credits.models import AnnualScore, StaleScore
from credits.recompute import run_recompute_job, start_recompute
from credits.scoring import compute_scores, mark_stale, refresh_stale
from credits.selectors import score_is_current
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)

FIRST, SECOND = YEAR - 1, YEAR


def score(official, year) -> AnnualScore:
    return AnnualScore.objects.get(official=official, year=year)


def passing_year(by, official, year):
    """Records that make a kunshan-2020 year 87 points, ``good`` (RULES §1.9 worked example 1)."""
    on = date(year, 6, 1)
    for kind, quantity in (
        ("class_day", 5), ("class_reflection", 1), ("menu_city_lecture", 4), ("menu_other_lecture", 2),
        ("online_hour", 52), ("xuexi_qiangguo", 1), ("central_group_listener", 12), ("book_reflection", 2),
        ("study_paper", 1),
    ):  # fmt: skip
        services.create_record(by=by, official=official, kind=kind, quantity=quantity, occurred_on=on)


def two_failed_years(zhang):
    for year in (FIRST, SECOND):
        compute_scores(year=year, official_ids=[zhang.pk])
    assert score(zhang, FIRST).grade == "fail" and score(zhang, SECOND).grade == "fail"
    assert "political_subhealth" in score(zhang, SECOND).flags


def test_records_entered_in_the_first_of_two_failed_years_clear_the_second_years_flag(staff_user, officials):
    zhang = officials["zhang"]
    two_failed_years(zhang)

    passing_year(staff_user, zhang, FIRST)  # the refresh runs after each commit (inline in tests)

    assert score(zhang, FIRST).grade == "good"
    assert score(zhang, SECOND).grade == "fail"
    assert "political_subhealth" not in score(zhang, SECOND).flags
    assert not StaleScore.objects.exists()


def test_a_change_marks_every_later_year_stale_in_the_same_transaction(officials):
    zhang = officials["zhang"]
    two_failed_years(zhang)
    compute_scores(year=SECOND + 1, official_ids=[zhang.pk])

    mark_stale([(zhang.pk, FIRST)])

    assert set(StaleScore.objects.values_list("year", flat=True)) == {FIRST, SECOND, SECOND + 1}
    assert not score_is_current(official_id=zhang.pk, year=SECOND + 1)  # no later year claims to be up to date
    refresh_stale()
    assert not StaleScore.objects.exists()


def test_a_later_year_is_not_marked_when_the_change_leaves_what_it_reads_alone(staff_user, officials):
    """A change in the first year that keeps its grade (still fail) changes nothing the second year reads."""
    zhang = officials["zhang"]
    two_failed_years(zhang)
    before = score(zhang, SECOND).computed_at

    services.create_record(by=staff_user, official=zhang, kind="class_day", quantity=1, occurred_on=date(FIRST, 3, 1))

    assert score(zhang, FIRST).category_score("offjob") == 2
    assert score(zhang, SECOND).flags == ["political_subhealth", "no_excellent_appraisal"]
    assert score(zhang, SECOND).computed_at >= before  # checked again (it was marked), not rewritten


def test_a_whole_year_recompute_refreshes_the_chain_after_it(staff_user, officials):
    zhang, li = officials["zhang"], officials["li"]
    for year in (FIRST, SECOND):
        compute_scores(year=year)
    assert "political_subhealth" in score(li, SECOND).flags
    # Records written behind the services' back (no stale mark): only a recompute of the first year finds them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "mark_scores_changed", lambda *args, **kwargs: None)
        passing_year(staff_user, li, FIRST)
    assert "political_subhealth" in score(li, SECOND).flags

    job = start_recompute(by=staff_user, year=FIRST)
    job = run_recompute_job(job_id=job.pk)

    assert job.state == "done"
    assert score(li, FIRST).grade == "good"
    assert "political_subhealth" not in score(li, SECOND).flags
    assert "political_subhealth" in score(zhang, SECOND).flags  # two failed years still
    assert score(li, SECOND).city_rank is not None


def test_a_year_cannot_be_published_while_a_recompute_of_it_or_an_earlier_year_is_unfinished(staff_user, officials):
    """A policy switch or a recompute of an earlier year follows its chain into this year: until it has run, this
    year's results are not final (the years page and publish_year say so)."""
    from credits.models import RecomputeJob
    from credits.selectors.city import year_blockers

    compute_scores(year=SECOND)
    job = RecomputeJob.objects.create(year=FIRST)  # pending: the worker has not taken it yet
    assert year_blockers(year=SECOND).recomputing == 1
    with pytest.raises(services.ValidationError, match="1 项重新计算尚未完成|1 recompute not finished"):
        services.publish_year(by=staff_user, year=SECOND)
    assert year_blockers(year=FIRST - 1).recomputing == 0  # a recompute of a later year does not reach back

    run_recompute_job(job_id=job.pk)
    assert not year_blockers(year=SECOND)
    services.publish_year(by=staff_user, year=SECOND)
