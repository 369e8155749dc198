"""Accessibility (issue 15) without a browser: the official's decision page in the training section holds three
forms (discretionary points, exemption, veto) — each field has its own id and exactly one label, also when a form
comes back with its errors. The browser test (tests/e2e/test_accessibility.py) checks every page this way."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import YEAR
from tests.portal.test_staff import text


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def repeated_ids(html: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', html))
    return sorted(name for name, n in counts.items() if n > 1)


def labels_per_field(html: str) -> dict[str, int]:
    """Each form field's id and how many <label for=…> name it."""
    fields = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit|button)")[^>]*\sid="([^"]+)"', html
    )
    targets = Counter(re.findall(r'<label\b[^>]*\sfor="([^"]+)"', html))
    return {field: targets[field] for field in fields}


def assert_one_id_and_label_each(html: str) -> None:
    assert repeated_ids(html) == []
    several = {field: n for field, n in labels_per_field(html).items() if n > 1}
    assert several == {}


def test_the_decision_forms_on_an_officials_page_have_their_own_ids_and_one_label_a_field(staff, officials):
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    assert_one_id_and_label_each(html)
    fields = labels_per_field(html)
    for field in ("veto-reason", "veto-note", "exemption-reason", "exemption-note", "points-note", "points-points"):
        assert fields[field] == 1, field
    assert "id_reason" not in html and "id_note" not in html


@pytest.mark.parametrize("path", ["vetoes", "exemptions", "points"])
def test_a_decision_form_that_comes_back_with_its_errors_keeps_its_own_ids(staff, officials, path):
    response = staff.post(f"/staff/officials/F001/{path}/", {"year": YEAR})
    assert response.status_code == 200
    html = text(response)
    assert "invalid-feedback" in html  # the form is back, with what to correct
    assert_one_id_and_label_each(html)
