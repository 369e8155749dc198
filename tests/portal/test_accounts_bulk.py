"""Accounts in bulk (a unit, or every unit) with the initial passwords in one xlsx downloadable once, and the forced
change of every initial password at the first sign-in (single creation, reset, bulk creation)."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from audit.models import ChangeLog
from organisation.models import InitialPasswordSheet, Official, PasswordChangeRequired

pytestmark = pytest.mark.django_db
URL = "/staff/accounts/"
BULK = "/staff/accounts/bulk/"


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user:
        client.force_login(user)
    return client


def sheet_url(response) -> str:
    return re.search(r'action="(/staff/accounts/sheets/[^"]+/)"', response.content.decode()).group(1)


def passwords_in(content: bytes) -> dict[str, str]:
    rows = load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
    return {row[3]: row[4] for row in rows if row and row[3]}


def test_a_unit_gets_an_account_for_every_official_without_one(staff_user, officials, units):
    Official.objects.create(staff_no="F003", name="赵强", unit=units["finance"])
    client = browser(staff_user)
    response = client.post(BULK, {"unit": "B01"})
    page = response.content.decode()
    assert response.status_code == 200 and "2 accounts created." in page
    finance = Official.objects.filter(unit=units["finance"], user__isnull=False)
    assert set(finance.values_list("user__username", flat=True)) == {"zhang", "F002", "F003"}
    assert Official.objects.get(staff_no="E001").user.username == "wang"  # another unit: untouched
    assert User.objects.get(username="F003").groups.filter(name="officials").exists()
    assert ChangeLog.objects.filter(model="organisation.official", reason="Account created").count() == 2

    download = client.post(sheet_url(response))
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    passwords = passwords_in(download.content)
    assert set(passwords) == {"F002", "F003"}
    assert Client().post("/accounts/login/", {"username": "F003", "password": passwords["F003"]}).status_code == 302


def test_the_password_file_downloads_once_then_is_gone(staff_user, officials):
    client = browser(staff_user)
    url = sheet_url(client.post(BULK, {"unit": ""}))
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 410 and "already downloaded" in again.content.decode()
    assert not InitialPasswordSheet.objects.exists()  # no copy of the passwords is kept


def test_only_the_maker_downloads_the_password_file(staff_user, officials, roles):
    from tests.conftest import make_user

    url = sheet_url(browser(staff_user).post(BULK, {"unit": ""}))
    other = make_user("other-staff", "org_staff")
    assert browser(other).post(url).status_code == 410
    assert browser(officials["zhang"].user).post(url).status_code == 403
    assert browser(staff_user).post(url).status_code == 200


def test_all_units_at_once_and_a_second_run_makes_nothing(staff_user, officials):
    client = browser(staff_user)
    assert "1 account created." in client.post(BULK, {"unit": ""}).content.decode()
    second = client.post(BULK, {"unit": ""}).content.decode()
    assert "0 accounts created." in second and "sheets/" not in second


def test_an_unknown_unit_is_refused_in_plain_words(staff_user, officials):
    response = browser(staff_user).post(BULK, {"unit": "NOPE"})
    assert response.status_code == 400 and "no unit with code" in response.content.decode()
    assert not Official.objects.filter(staff_no="F002", user__isnull=False).exists()


def test_a_staff_number_taken_as_another_username_is_skipped_and_named(staff_user, officials):
    User.objects.create_user("f002", password="x-secret-123")
    response = browser(staff_user).post(BULK, {"unit": "B01"})
    page = response.content.decode()
    assert "0 accounts created." in page and "李娜 (F002)" in page


def test_only_staff_create_in_bulk(officials, unit_admin_user):
    for user in (officials["zhang"].user, unit_admin_user):
        assert browser(user).post(BULK, {"unit": ""}).status_code == 403
    assert browser().post(BULK, {"unit": ""}).status_code == 302
    assert not Official.objects.filter(staff_no="F002", user__isnull=False).exists()


def test_the_bulk_form_shows_how_many_lack_an_account(staff_user, officials):
    page = browser(staff_user).get(URL).content.decode()
    assert "市财政局 (1 without an account)" in page and "市教育局 (0 without an account)" in page


def test_1500_officials_in_one_request(staff_user, roles, units, django_assert_max_num_queries):
    Official.objects.bulk_create(
        [Official(staff_no=f"X{i:05d}", name=f"干部{i}", unit=units["education"]) for i in range(1500)]
    )
    with django_assert_max_num_queries(100):  # set-based: batched inserts (SQLite caps a statement), no query per row
        response = browser(staff_user).post(BULK, {"unit": "B02"})
    assert "1500 accounts created." in response.content.decode().replace(",", "")
    assert User.objects.filter(username__startswith="X").count() == 1500
    assert PasswordChangeRequired.objects.count() == 1500


# --- the forced change at the first sign-in -----------------------------------------------------------------


def sign_in(username: str, password: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    return client


def change(client: Client, old: str) -> None:
    response = client.post(
        "/accounts/password_change/",
        {"old_password": old, "new_password1": "Lake-Tai-2026!", "new_password2": "Lake-Tai-2026!"},
    )
    assert response.status_code == 302


def single_created(staff_user, officials):
    page = browser(staff_user).post(URL, {"staff_no": "F002", "action": "create"}).content.decode()
    return "F002", re.search(r'user-select-all">([^<]+)</code>', page).group(1)


def reset(staff_user, officials):
    page = browser(staff_user).post(URL, {"staff_no": "F001", "action": "reset"}).content.decode()
    return "zhang", re.search(r'user-select-all">([^<]+)</code>', page).group(1)


def bulk_created(staff_user, officials):
    client = browser(staff_user)
    download = client.post(sheet_url(client.post(BULK, {"unit": "B01"})))
    return "F002", passwords_in(download.content)["F002"]


@pytest.mark.parametrize("issue", [single_created, reset, bulk_created], ids=["create", "reset", "bulk"])
def test_an_initial_password_must_be_changed_at_first_sign_in(issue, staff_user, officials):
    username, password = issue(staff_user, officials)
    client = sign_in(username, password)
    for path in ("/", "/me/", "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/password_change/", path
    assert client.get("/api/v1/activities/").status_code == 403
    page = client.get("/accounts/password_change/").content.decode()
    assert "change it before you continue" in page
    change(client, password)
    assert client.get("/me/").status_code == 200
    assert not PasswordChangeRequired.objects.filter(user__username=username).exists()
    # and on the next sign-in, nothing is asked again
    client.post("/accounts/logout/")
    assert sign_in(username, "Lake-Tai-2026!").get("/me/").status_code == 200


def test_a_wrong_old_password_keeps_the_demand(staff_user, officials):
    username, password = single_created(staff_user, officials)
    client = sign_in(username, password)
    client.post("/accounts/password_change/", {"old_password": "nope", "new_password1": "Lake-Tai-2026!",
                                               "new_password2": "Lake-Tai-2026!"})  # fmt: skip
    assert client.get("/me/").status_code == 302


def test_accounts_of_the_fixtures_are_not_asked_to_change(officials):
    client = sign_in("zhang", "pw-secret-123")
    assert client.get("/me/").status_code == 200


def test_the_initial_password_is_rehashed_at_full_cost_at_sign_in(settings, staff_user, officials):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    from organisation.services import INITIAL_PASSWORD_ITERATIONS

    username, password = single_created(staff_user, officials)
    assert User.objects.get(username=username).password.startswith(f"pbkdf2_sha256${INITIAL_PASSWORD_ITERATIONS}$")
    sign_in(username, password)
    assert not User.objects.get(username=username).password.startswith(f"pbkdf2_sha256${INITIAL_PASSWORD_ITERATIONS}$")


def test_a_sheet_never_downloaded_is_gone_after_a_day(staff_user, officials):
    from datetime import timedelta

    from django.utils import timezone

    from organisation.services import discard_stale_password_sheets

    client = browser(staff_user)
    url = sheet_url(client.post(BULK, {"unit": "B01"}))
    InitialPasswordSheet.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert discard_stale_password_sheets() == 1
    gone = client.post(url)
    assert gone.status_code == 410 and "Reset the password" in gone.content.decode()
    assert Official.objects.get(staff_no="F002").user is not None  # the accounts stay
