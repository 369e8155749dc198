"""The officials import's "create accounts" option: accounts for the file's officials without one, the initial
passwords in one xlsx downloadable once by whoever imported, changed at the first sign-in."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportJob
from organisation.models import Official, PasswordChangeRequired

from .helpers import upload, xlsx_bytes

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HEADER = ["工号", "姓名", "单位代码", "职级"]
ROWS = [
    ["F002", "李娜", "B01", "deputy_section"],
    ["N001", "周敏", "B02", ""],
    ["F001", "张伟", "B01", "section_chief"],
]


def check(client, *, create_accounts: bool):
    data = {"kind": "officials", "year": 2025, "file": upload(xlsx_bytes([HEADER, *ROWS]), "officials.xlsx")}
    if create_accounts:
        data["create_accounts"] = "on"
    return client.post(reverse("portal:imports"), data, **EN)


def test_the_officials_import_creates_accounts_when_asked(client, staff_user, officials):
    client.force_login(staff_user)
    assert "Create accounts for the officials in the file" in client.get(reverse("portal:imports"), **EN).text
    dry = ImportJob.objects.get(pk=int(check(client, create_accounts=True)["Location"].rstrip("/").split("/")[-1]))
    assert dry.create_accounts and "will get one" in client.get(reverse("portal:import-job", args=[dry.pk]), **EN).text
    assert not Official.objects.filter(staff_no="F002", user__isnull=False).exists()  # a check writes nothing

    done = client.post(reverse("portal:import-confirm", args=[dry.pk]), **EN)
    page = client.get(done["Location"], **EN).text
    assert "Imported." in page and "Accounts were created" in page
    assert set(Official.objects.filter(user__isnull=False).values_list("user__username", flat=True)) == {
        "zhang", "wang", "F002", "N001"}  # fmt: skip
    url = re.search(r'action="(/staff/accounts/sheets/[^"]+/)"', page).group(1)
    sheet = client.post(url)
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(min_row=2, max_row=3, values_only=True))
    passwords = {row[3]: row[4] for row in rows}
    assert set(passwords) == {"F002", "N001"}
    assert client.post(url).status_code == 410  # once
    assert PasswordChangeRequired.objects.filter(user__username__in=["F002", "N001"]).count() == 2
    official = Client()
    assert official.post("/accounts/login/", {"username": "N001", "password": passwords["N001"]}).status_code == 302
    assert official.get("/me/")["Location"] == "/accounts/password_change/"


def test_without_the_option_no_account_is_made(client, staff_user, officials):
    client.force_login(staff_user)
    dry = ImportJob.objects.get(pk=int(check(client, create_accounts=False)["Location"].rstrip("/").split("/")[-1]))
    done = client.post(reverse("portal:import-confirm", args=[dry.pk]), **EN)
    assert "Accounts were created" not in client.get(done["Location"], **EN).text
    assert Official.objects.get(staff_no="N001").user is None


def test_only_the_importer_sees_the_download(client, staff_user, officials, roles):
    from tests.conftest import make_user

    client.force_login(staff_user)
    dry = ImportJob.objects.get(pk=int(check(client, create_accounts=True)["Location"].rstrip("/").split("/")[-1]))
    done = client.post(reverse("portal:import-confirm", args=[dry.pk]), **EN)
    other = Client()
    other.force_login(make_user("other-staff", "org_staff"))
    assert "password-sheet" not in other.get(done["Location"], **EN).text
