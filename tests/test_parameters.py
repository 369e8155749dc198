"""Every parameter is checked once: a bad year, id, page, date, choice or text is a 400 in plain words (API), a
message or a 404 on a page, and never a 500 (issue 8, "500s from input")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from credits.models import ActivityRecord, PublishedYear
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


# ---------------------------------------------------------------------------------------------------
# The multipart declaration (regression: an absent checkbox was read as False)


def test_a_multipart_declaration_keeps_class_passed_as_json_does(staff_api, officials):
    body = {"official": "F001", "kind": "class_day", "quantity": "2", "occurred_on": f"{YEAR}-05-01"}
    as_json = staff_api.post("/api/v1/activities/", body, format="json")
    as_form = staff_api.post("/api/v1/activities/", body, format="multipart")
    assert as_json.status_code == as_form.status_code == 201, as_form.content
    assert as_json.json()["class_passed"] is True
    assert as_form.json()["class_passed"] is True
    assert list(ActivityRecord.objects.values_list("class_passed", flat=True)) == [True, True]


def test_a_multipart_declaration_may_still_say_not_passed(staff_api, officials):
    body = {"official": "F001", "kind": "class_day", "quantity": "2", "occurred_on": f"{YEAR}-05-01"}
    response = staff_api.post("/api/v1/activities/", {**body, "class_passed": "false"}, format="multipart")
    assert response.status_code == 201 and response.json()["class_passed"] is False


# ---------------------------------------------------------------------------------------------------
# The API: a bad year or number is a 400 naming the parameter in plain words; an id out of range is a 404

BAD_YEARS = ["99999999999", "40000", "3000", "1999", "0", "-2025", "20x5", "2025.5", "二〇二五"]  # + "2025\x00" in
# a body; in a query string a NUL is refused before any view reads it (test_a_nul_byte_in_…)
HUGE = "99999999999999999999"  # more than a bigint: OverflowError in Python, "out of range" in PostgreSQL


@pytest.fixture
def staff_client(staff_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("url", ["/api/v1/activities/", "/api/v1/scores/", "/api/v1/exemptions/", "/api/v1/vetoes/"])
@pytest.mark.parametrize("value", BAD_YEARS)
def test_a_bad_year_filter_is_a_400_saying_which_years(staff_api, officials, url, value):
    response = staff_api.get(url, {"year": value})
    assert response.status_code == 400, response.content
    assert f"between 2000 and {THIS_YEAR + 1}" in response.json()["year"][0]


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/api/v1/years/{}/recompute/", "post"),
        ("/api/v1/years/{}/report.xlsx", "get"),
        ("/api/v1/years/{}/rankings.xlsx", "get"),
        ("/api/v1/officials/F001/scores/{}/", "get"),
    ],
)
@pytest.mark.parametrize(
    ("value", "status"), [("1999", 400), ("3000", 400), ("0000", 400), ("40000", 404), (HUGE, 404)]
)
def test_a_bad_year_in_an_api_path(staff_api, officials, url, method, value, status):
    response = getattr(staff_api, method)(url.format(value))
    assert response.status_code == status, response.content
    if status == 400:
        assert f"between 2000 and {THIS_YEAR + 1}" in response.json()["year"][0]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"occurred_after": "2025-02-30"}, "occurred_after", "valid date"),
        ({"occurred_before": "yesterday"}, "occurred_before", "valid date"),
        ({"kind": "karaoke"}, "kind", "valid choice"),
        ({"status": "lost"}, "status", "valid choice"),
        ({"category": "x" * 5000}, "category", "valid choice"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(staff_api, officials, params, field, words):
    response = staff_api.get("/api/v1/activities/", params)
    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()[field]).lower()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/scores/?exempt=maybe",
        "/api/v1/officials/?rank=emperor",
        "/api/v1/units/?kind=planet",
    ],
)
def test_other_lists_refuse_bad_filters(staff_api, officials, url):
    assert staff_api.get(url).status_code == 400


@pytest.mark.parametrize("value", ["true", "false", "1", "0", "", "TRUE"])
def test_the_exempt_filter_reads_true_and_false(staff_api, officials, value):
    assert staff_api.get("/api/v1/scores/", {"exempt": value}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/activities/?page={HUGE}",
        "/api/v1/activities/?page=0",
        "/api/v1/activities/?page=-1",
        "/api/v1/activities/?page=x",
        f"/api/v1/activities/{HUGE}/",
        f"/api/v1/exemptions/{HUGE}/",
        f"/api/v1/recompute-jobs/{HUGE}/",
        f"/api/v1/imports/jobs/{HUGE}/",
        f"/api/v1/units/{HUGE}/",
    ],
)
def test_an_id_or_page_out_of_range_is_a_404(staff_api, officials, url):
    response = staff_api.get(url)
    assert response.status_code == 404, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("size", [HUGE, "-5", "0", "x", "100000"])
def test_an_odd_page_size_falls_back_to_a_page_that_exists(staff_api, officials, size):
    response = staff_api.get("/api/v1/activities/", {"page_size": size})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"note": "a\x00b"}, "note"),
        ({"note": "x" * 501}, "note"),
        ({"official": "F0\x0001"}, "official"),
        ({"quantity": "1e400"}, "quantity"),
        ({"quantity": HUGE}, "quantity"),
        ({"occurred_on": f"{HUGE}-01-01"}, "occurred_on"),
        ({"class_passed": "perhaps"}, "class_passed"),
    ],
)
def test_a_bad_body_value_is_a_400_and_changes_nothing(staff_api, officials, body, field):
    fields = {"official": "F001", "kind": "class_day", "quantity": 2, "occurred_on": f"{YEAR}-05-01", **body}
    response = staff_api.post("/api/v1/activities/", fields, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ActivityRecord.objects.exists()


@pytest.mark.parametrize("year", BAD_YEARS + ["2025\x00", HUGE, 99999999999, True, 2025.5, None, [2025]])
def test_a_bad_year_in_a_body_is_a_400(staff_api, officials, year):
    response = staff_api.post(
        "/api/v1/exemptions/", {"official": "F001", "year": year, "reason": "retiring"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "year" in response.json()


# ---------------------------------------------------------------------------------------------------
# Pages: a bad year is a message (the page still shows), a path year out of shape or range a 404


@pytest.mark.parametrize("value", BAD_YEARS + [HUGE])
def test_the_approval_queue_reports_a_bad_year_on_its_field(staff_client, officials, value):
    response = staff_client.get("/staff/", {"year": value})
    assert response.status_code == 200
    assert f"between 2000 and {THIS_YEAR + 1}" in response.content.decode()


@pytest.mark.parametrize("value", BAD_YEARS + [HUGE, str(THIS_YEAR + 1)])
@pytest.mark.parametrize("url", ["/staff/officials/F001/", "/staff/officials/", "/staff/rankings/"])
def test_staff_pages_show_the_default_year_with_a_message(staff_client, officials, url, value):
    response = staff_client.get(url, {"year": value})
    assert response.status_code == 200
    assert "is not a year that can be shown" in response.content.decode()


@pytest.mark.parametrize("value", BAD_YEARS + [HUGE, str(THIS_YEAR + 1)])
def test_my_credits_shows_this_year_with_a_message(officials, value):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officials["zhang"].user)
    response = client.get("/me/", {"year": value})
    assert response.status_code == 200 and "There is no year" in response.content.decode()


@pytest.mark.parametrize("value", BAD_YEARS + [HUGE])
def test_unit_pages_report_a_bad_year(unit_admin_user, officials, value):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(unit_admin_user)
    response = client.get("/unit/", {"year": value})
    assert response.status_code == 200 and "There is no year" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/me/registration-form/{}/",
        "/staff/officials/F001/registration/{}/",
        "/reports/{}/report.xlsx",
        "/reports/{}/rankings.xlsx",
        "/reports/officials/F001/registration-form/{}.pdf",
    ],
)
@pytest.mark.parametrize("value", ["1999", "3000", "0000", "40000", HUGE])
def test_a_page_year_out_of_range_is_a_404(staff_client, officials, url, value):
    client = staff_client
    if url.startswith("/me/"):
        client = Client()
        client.force_login(officials["zhang"].user)
    assert client.get(url.format(value)).status_code == 404


@pytest.mark.parametrize(
    "url", [f"/staff/records/{HUGE}/approve/", f"/staff/records/{HUGE}/reject/", f"/me/records/{HUGE}/withdraw/"]
)
def test_a_record_id_out_of_range_is_a_404(staff_client, officials, url):
    client = staff_client
    if url.startswith("/me/"):
        client = Client()
        client.force_login(officials["zhang"].user)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("url", [f"/staff/years/jobs/{HUGE}/", f"/staff/?page={HUGE}", f"/staff/years/?job={HUGE}"])
def test_a_page_number_or_job_out_of_range_never_fails(staff_client, officials, url):
    assert staff_client.get(url).status_code in (200, 404)


# ---------------------------------------------------------------------------------------------------
# Publishing and reopening: only a year from 2000 to this year, on the page and in the service alike


@pytest.mark.parametrize("year", ["1999", "3000", str(THIS_YEAR + 1), "0000"])
def test_publishing_a_year_out_of_bounds_or_in_the_future_is_refused(staff_client, year):
    response = staff_client.post(f"/staff/years/{year}/publish/", follow=True)
    assert response.status_code == 200
    assert f"Only a year from 2000 to {THIS_YEAR} can be published or reopened" in response.content.decode()
    assert not PublishedYear.objects.exists()


@pytest.mark.parametrize("path", ["publish", "reopen", "recompute"])
def test_a_path_year_out_of_shape_is_a_404(staff_client, path):
    assert staff_client.post(f"/staff/years/40000/{path}/", {"reason": "x"}).status_code == 404
    assert not PublishedYear.objects.exists()


def test_reopening_a_future_year_is_refused_with_the_same_words(staff_client):
    response = staff_client.post("/staff/years/3000/reopen/", {"reason": "typo"}, follow=True)
    assert "Only a year from 2000" in response.content.decode()


def test_recomputing_a_year_out_of_range_on_the_page_is_a_message(staff_client):
    response = staff_client.post("/staff/years/3000/recompute/", follow=True)
    assert response.status_code == 200 and f"between 2000 and {THIS_YEAR + 1}" in response.content.decode()


def test_this_year_may_still_be_published(staff_client):
    staff_client.post(f"/staff/years/{THIS_YEAR}/publish/")
    assert PublishedYear.objects.filter(year=THIS_YEAR).exists()


# ---------------------------------------------------------------------------------------------------
# Commands


@pytest.mark.parametrize("value", ["3000", "99999999999", "x"])
def test_commands_refuse_a_bad_year_in_plain_words(value):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="between 2000 and"):
        call_command("recompute_year", value)
    with pytest.raises(CommandError, match="between 2000 and"):
        call_command("warn_behind_pace", "--year", value)


@pytest.mark.parametrize(
    "url",
    [
        f"/staff/?q={'x' * 5000}",
        "/staff/?occurred_after=2025-02-30",
        f"/staff/?page={HUGE}",
        f"/staff/officials/?page={HUGE}",
    ],
)
def test_long_text_and_bad_dates_on_pages_are_not_500s(staff_client, officials, url):
    assert staff_client.get(url).status_code in (200, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/?q=%00",
        "/api/v1/activities/?source=%00",
        "/api/v1/activities/?official=F0%0001",
        "/api/v1/officials/?q=%00",
        "/api/v1/years/2025/report.xlsx?unit=%00",
        "/api/v1/activities/?%00=1",
    ],
)
def test_a_nul_byte_in_an_api_query_is_a_400_in_plain_words(staff_api, officials, url):
    """PostgreSQL refuses NUL in text: it is refused before any view or query reads it (kunshan_training/middleware)."""
    response = staff_api.get(url)
    assert response.status_code == 400
    assert "null character" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/?q=%00",
        "/staff/?official=%00",
        "/staff/officials/?unit=%00",
        "/staff/rankings/?unit=%00",
        "/unit/?unit=%00",
        "/reports/2025/report.xlsx?unit=%00",
    ],
)
def test_a_nul_byte_in_a_page_query_is_a_400_in_plain_words(staff_client, officials, url):
    response = staff_client.get(url)
    assert response.status_code == 400 and "null character" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/officials/%00/scores/2025/",
        "/api/v1/units/%00/",
        "/staff/officials/%00/",
        "/unit/officials/%00/",
        "/reports/officials/%00/archive.pdf",
    ],
)
def test_a_nul_byte_in_a_path_is_a_404(staff_client, staff_api, officials, url):
    client = staff_api if url.startswith("/api/") else staff_client
    assert client.get(url).status_code == 404


def test_the_demo_city_command_refuses_a_bad_year():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="between 2000 and"):
        call_command("load_demo_city", "--year", "3000", "--officials", "5")
