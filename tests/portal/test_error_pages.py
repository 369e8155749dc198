"""Error pages a user sees: 403, 404, 429 and 500 in Chinese, in the site's layout, with a way back; the 500 page
renders when the database is down; our 403 page shows in debug mode too."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

HOME_LINK = 'href="/"'


def browser(user=None, **kwargs) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def page(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert HOME_LINK in html and "返回首页" in html  # the way back
    assert "/static/bootstrap/css/bootstrap.min.css" in html  # the site's layout, styled
    return html


def test_404_in_chinese_with_the_menu(officials):
    html = page(browser(officials["zhang"].user).get("/no-such-page/"), 404)
    assert "页面不存在" in html and "Page not found" not in html
    assert 'href="/me/"' in html  # the signed-in user's menu is there


def test_404_for_a_visitor_offers_sign_in(db):
    html = page(browser().get("/no-such-page/"), 404)
    assert "页面不存在" in html and 'href="/accounts/login/"' in html


def test_api_404_stays_json(db):
    response = browser().get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_403_in_chinese(officials):
    html = page(browser(officials["zhang"].user).get("/staff/"), 403)  # an official on the training section's page
    assert "无权访问" in html and "Forbidden" not in html


def test_403_shows_our_page_in_debug_mode_too(officials, settings):
    settings.DEBUG = True
    html = page(browser(officials["zhang"].user).get("/staff/"), 403)
    assert "无权访问" in html


def test_csrf_failure_in_chinese(officials):
    client = browser(officials["zhang"].user, enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    html = page(response, 403)
    assert "页面已过期" in html


def test_429_page_in_chinese(rf):
    from django.template.loader import render_to_string

    html = render_to_string("429.html", request=rf.get("/"))
    assert "请求过于频繁" in html and "返回首页" in html


def test_500_is_static_and_renders_with_the_database_down(officials):
    client = browser(officials["zhang"].user, raise_request_exception=False)
    down = OperationalError("could not connect to server: Connection refused")
    with (
        mock.patch.object(connection, "ensure_connection", side_effect=down),
        mock.patch.object(connection, "cursor", side_effect=down),
    ):
        response = client.get("/me/")
    html = page(response, 500)
    assert "出错了" in html and "Server Error" not in html
    assert "<script" not in html  # nothing that runs, nothing that asks the server again


def test_api_500_is_json(officials, settings):
    client = browser(officials["zhang"].user, raise_request_exception=False)
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/api/v1/officials/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
