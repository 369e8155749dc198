"""Imports keep their uploads under MEDIA_ROOT: a temporary one per test. Messages in English unless a test asks."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield
