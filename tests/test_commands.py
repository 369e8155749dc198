from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credits.models import ActivityRecord, AnnualScore
from tests.conftest import YEAR


@pytest.mark.django_db
def test_recompute_year_command_scores_and_ranks_everyone(officials):
    ActivityRecord.objects.create(
        official=officials["li"],
        kind="class_day",
        category="offjob",
        quantity=2,
        occurred_on=date(YEAR, 2, 2),
        status="approved",
    )
    out = StringIO()
    call_command("recompute_year", str(YEAR), stdout=out)
    assert "3 officials" in out.getvalue()
    li = AnnualScore.objects.get(official=officials["li"], year=YEAR)
    assert (li.category_score("offjob"), li.city_rank) == (4, 1)
    assert AnnualScore.objects.filter(year=YEAR, city_rank=2).count() == 2  # the two with nothing tie


@pytest.mark.django_db
def test_recompute_year_command_refuses_an_absurd_year():
    with pytest.raises(CommandError):
        call_command("recompute_year", "20260")
