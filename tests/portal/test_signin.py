"""Signing in and out: throttling (django-axes), password change, the language switch.

django-axes needs the request in ``authenticate()``, so these tests post to the real sign-in page.
"""

from __future__ import annotations

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "pw-secret-123"  # tests.conftest.make_user


@pytest.fixture
def user(roles):
    return make_user("zhao")


def sign_in(client, username="zhao", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_the_sign_in_page_is_chinese_by_default(client):
    page = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page


def test_a_wrong_password_says_so_and_signs_nobody_in(client, user):
    response = sign_in(client, password="wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own message, in Chinese
    assert "_auth_user_id" not in client.session


def test_a_right_password_signs_in_and_lands_on_the_portal(client, user):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(client, user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200
    locked = sign_in(client, password="wrong")  # the fifth failure locks
    assert locked.status_code == 429
    response = sign_in(client)  # the right password, too late
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟后再试" in page
    assert "_auth_user_id" not in client.session


def test_a_lock_is_per_username_and_address(client, user, roles):
    make_user("qian")
    for _ in range(5):
        sign_in(client, password="wrong")
    assert sign_in(client, username="qian").status_code == 302  # a colleague at the same computer still signs in
    assert sign_in(client, REMOTE_ADDR="10.0.0.9").status_code == 302  # the owner from their own computer too


def test_the_locked_out_page_in_english(client, user):
    for _ in range(5):
        sign_in(client, password="wrong")
    page = sign_in(client, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Too many failed sign-in attempts" in page


def test_sign_out(client, user):
    sign_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get("/notifications/")["Location"].startswith(LOGIN)


def test_the_sign_out_button_is_on_every_page(client, user):
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert 'action="/accounts/logout/"' in page and "退出登录" in page and "修改密码" in page


def test_password_change(client, user):
    sign_in(client)
    assert "修改密码" in client.get("/accounts/password_change/").content.decode()
    wrong = client.post("/accounts/password_change/", {"old_password": "nope", "new_password1": "Lake-Tai-2026!",
                                                       "new_password2": "Lake-Tai-2026!"})  # fmt: skip
    assert wrong.status_code == 200 and "旧密码不正确" in wrong.content.decode()
    response = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "Lake-Tai-2026!",
                                                          "new_password2": "Lake-Tai-2026!"}, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "您的密码已修改" in response.content.decode()
    client.post("/accounts/logout/")
    assert sign_in(client).status_code == 200  # the old password no longer works
    assert sign_in(client, password="Lake-Tai-2026!").status_code == 302


def test_a_too_simple_new_password_is_refused_in_plain_words(client, user):
    sign_in(client)
    response = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "12345678",
                                                          "new_password2": "12345678"})  # fmt: skip
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "常见" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_language_switch(client, user):
    client.force_login(user)
    assert "消息通知" in client.get("/notifications/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    page = client.get("/notifications/").content.decode()
    assert '<html lang="en">' in page and "Notifications" in page and "消息通知" not in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/notifications/"})
    assert "消息通知" in client.get("/notifications/").content.decode()


def test_the_language_switch_refuses_a_foreign_next(client, user):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"
