"""The interface speaks Chinese first, from a complete zh_Hans catalogue."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import client_for

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    with CATALOGUE.open("rb") as f:
        catalog = read_po(f)
    missing = [m.id for m in catalog if m.id and not m.string]
    assert missing == []


@pytest.mark.django_db
def test_api_errors_are_in_chinese_by_default(staff_user, officials):
    api = client_for(staff_user, language="zh-hans")
    response = api.post(
        "/api/v1/activities/", {"official": "F001", "kind": "class_day", "quantity": 0, "occurred_on": "2025-01-05"}
    )
    assert response.status_code == 400
    assert response.json()["quantity"] == ["数量必须大于 0 且不超过 1000。"]
    response = api.post(
        "/api/v1/activities/", {"official": "NOPE", "kind": "class_day", "quantity": 1, "occurred_on": "2025-01-05"}
    )
    assert response.json()["official"] == ["没有工号为“NOPE”的干部。"]
