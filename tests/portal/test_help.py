"""The user guide (/help/): open to everyone, one section per role, linked from the menu and the footer, and every
screenshot it shows is committed under static/portal/guide/ (small, with a Chinese alt text). The screenshots
themselves are taken by tests/e2e/test_guide_screenshots.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "static" / "portal" / "guide"


def test_the_guide_has_a_section_per_role_in_chinese_and_opens_without_signing_in():
    response = Client().get("/help/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="h3">使用帮助</h1>' in html
    roles = (("official", "干部"), ("unit-admin", "单位学习管理员"), ("training-section", "干部教育培训科"))
    for anchor, heading in roles:
        assert re.search(rf'<section id="{anchor}"[^>]*>\s*<h2[^>]*>{heading}</h2>', html), anchor
    assert '<a class="me-3" href="/help/">使用帮助</a>' in html  # the footer's link
    assert "<script>" not in html and " onclick=" not in html  # the Content-Security-Policy allows neither


def test_every_screenshot_shown_is_committed_small_and_described_in_chinese(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/help/").content.decode()
    assert 'href="/help/">使用帮助</a></li>' in html  # the menu's link, for a signed-in user
    images = re.findall(r'<img [^>]*src="/static/portal/guide/([\w-]+\.png)"[^>]*alt="([^"]+)"', html, re.S)
    assert 10 <= len(images) <= 16
    assert sorted(name for name, _alt in images) == sorted(path.name for path in GUIDE.glob("*.png"))
    for name, alt in images:
        assert (GUIDE / name).stat().st_size <= 150 * 1024, name
        assert re.search(r"[\u4e00-\u9fff]{4}", alt), name


def test_the_guide_is_english_headed_when_asked_and_refuses_a_post():
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/help/").content.decode()
    assert "For unit study administrators" in html and "For the training section" in html
    assert Client().post("/help/").status_code == 405
