"""/staff/officials/ and /api/v1/officials/: "无账号", grade and exempt filters (one shared FilterSet)."""

import pytest
from django.test import Client
from django.utils import timezone

from credits.models import AnnualScore
from organisation.models import Official
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db
URL = "/staff/officials/"


def score(official, *, grade="pass", exempt=False, year=YEAR):
    return AnnualScore.objects.create(
        official=official, year=year, unit=official.unit, policy="kunshan-2020", exempt=exempt,
        exempt_reason="sick_leave" if exempt else "", grade="" if exempt else grade, total=70,
        computed_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def city(officials, units):
    extra = Official.objects.create(staff_no="E002", name="赵强", unit=units["education"])
    score(officials["zhang"], grade="excellent")
    score(officials["li"], grade="fail")
    score(officials["wang"], exempt=True)
    score(extra, grade="excellent", year=YEAR - 1)  # another year: no result in YEAR
    return officials


def listed(staff_user, **params) -> set[str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_user)
    response = client.get(URL, {"year": YEAR, **params})
    assert response.status_code == 200
    page = response.content.decode()
    return {no for no in ("F001", "F002", "E001", "E002") if f">{no}<" in page}


def test_no_account(staff_user, city):
    assert listed(staff_user, login="none") == {"F002", "E002"}
    assert listed(staff_user, login="yes") == {"F001", "E001"}


def test_grade_of_the_chosen_year(staff_user, city):
    assert listed(staff_user, grade="excellent") == {"F001"}
    assert listed(staff_user, grade="fail") == {"F002"}
    assert listed(staff_user, grade="none") == {"E001", "E002"}  # exempt, and no result this year
    assert listed(staff_user, grade="excellent", year=YEAR - 1) == {"E002"}


def test_exempt(staff_user, city):
    assert listed(staff_user, exempt="yes") == {"E001"}
    assert listed(staff_user, exempt="no") == {"F001", "F002", "E002"}


def test_filters_combine_with_search_and_unit(staff_user, city):
    assert listed(staff_user, login="none", unit="B01") == {"F002"}
    assert listed(staff_user, exempt="no", grade="fail", q="李") == {"F002"}


def test_the_page_offers_the_filters_in_chinese(staff_user, city):
    client = Client()
    client.force_login(staff_user)
    page = client.get(URL).content.decode()
    assert "无账号" in page and 'name="grade"' in page and 'name="exempt"' in page


def test_a_bad_value_is_named_and_filters_nothing(staff_user, city):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_user)
    response = client.get(URL, {"year": YEAR, "grade": "superb"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert listed(staff_user, grade="superb") == {"F001", "F002", "E001", "E002"}


def test_the_api_shares_the_filters(staff_user, city):
    api = client_for(staff_user)

    def numbers(**params):
        body = api.get("/api/v1/officials/", params).json()
        return {row["staff_no"] for row in body.get("results", body)}

    assert numbers(login="none") == {"F002", "E002"}
    assert numbers(grade="fail", year=YEAR) == {"F002"}
    assert numbers(exempt="yes", year=YEAR) == {"E001"}
    assert api.get("/api/v1/officials/", {"grade": "superb"}).status_code == 400
