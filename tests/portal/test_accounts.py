"""Accounts are made by the training section, never by self-registration; the initial password is shown once."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from audit.models import ChangeLog
from organisation.models import StudyAdministrator

pytestmark = pytest.mark.django_db
URL = "/staff/accounts/"


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user:
        client.force_login(user)
    return client


def issued_password(response) -> str:
    return re.search(r'user-select-all">([^<]+)</code>', response.content.decode()).group(1)


def test_staff_creates_an_account_the_official_signs_in_with(staff_user, officials):
    li = officials["li"]
    response = browser(staff_user).post(URL, {"staff_no": li.staff_no, "action": "create"})
    assert response.status_code == 200 and "shown only once" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    password = issued_password(response)
    li.refresh_from_db()
    assert li.user.username == "F002" and li.user.groups.filter(name="officials").exists()
    signed_in = Client().post("/accounts/login/", {"username": "F002", "password": password})
    assert signed_in.status_code == 302
    assert ChangeLog.objects.filter(model="organisation.official", object_id=str(li.pk)).exists()


def test_an_official_with_an_account_gets_no_second_one(staff_user, officials):
    response = browser(staff_user).post(URL, {"staff_no": "F001", "action": "create"})
    assert response.status_code == 400 and "already has an account" in response.content.decode()
    assert User.objects.filter(username="F001").count() == 0


def test_reset_password_replaces_the_old_one(staff_user, officials):
    response = browser(staff_user).post(URL, {"staff_no": "F001", "action": "reset"})
    password = issued_password(response)
    assert Client().post("/accounts/login/", {"username": "zhang", "password": "pw-secret-123"}).status_code == 200
    assert Client().post("/accounts/login/", {"username": "zhang", "password": password}).status_code == 302


def test_appoint_and_dismiss_a_study_administrator(staff_user, officials):
    zhang = officials["zhang"]
    browser(staff_user).post(URL, {"staff_no": "F001", "action": "appoint"})
    assert StudyAdministrator.objects.get(user=zhang.user).unit == zhang.unit
    landing = browser(zhang.user).get("/")
    assert landing["Location"] == "/unit/"
    browser(staff_user).post(URL, {"staff_no": "F001", "action": "dismiss"})
    assert not StudyAdministrator.objects.filter(user=zhang.user).exists()


def test_the_list_finds_officials_by_name_or_number(staff_user, officials):
    page = browser(staff_user).get(URL, {"q": "李"}).content.decode()
    assert "F002" in page and "F001" not in page


@pytest.mark.parametrize("who", ["official", "unit_admin", "anonymous"])
def test_only_staff_manage_accounts(who, officials, unit_admin_user):
    user = {"official": officials["zhang"].user, "unit_admin": unit_admin_user, "anonymous": None}[who]
    client = browser(user)
    get, post = client.get(URL), client.post(URL, {"staff_no": "F002", "action": "create"})
    if user is None:
        assert get.status_code == post.status_code == 302 and "/accounts/login/" in get["Location"]
    else:
        assert get.status_code == post.status_code == 403
    assert not User.objects.filter(username="F002").exists()


def test_there_is_no_self_registration():
    assert Client().get("/accounts/signup/").status_code == 404
    assert Client().get("/accounts/register/").status_code == 404
