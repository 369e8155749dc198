"""With DEBUG off the pages' CSS and scripts are served: collectstatic as the set-up runs it (production storage:
hashed names and a manifest), whitenoise serving them. `make run` and the Dockerfile collect with DEBUG=false;
collected with DEBUG=true there is no manifest and every page would fail."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_a_clean_debug_false_start_serves_pages_with_their_css(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = PRODUCTION_STORAGES
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # a new handler: whitenoise reads STATIC_ROOT now
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.content.decode())
    scripts = re.findall(r'src="(/static/[^"]+\.js)"', page.content.decode())
    assert any(re.search(r"bootstrap\.min\.[0-9a-f]{12}\.css$", href) for href in stylesheets)  # hashed: cacheable
    for url in stylesheets + scripts:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content), url
    assert client.get(stylesheets[0])["Content-Type"].startswith("text/css")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在".encode() in missing.content
