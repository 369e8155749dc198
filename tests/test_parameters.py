"""Every parameter is checked once: a bad year, id, page, date, choice or text is a 400 in plain words (API), a
message or a 404 on a page, and never a 500 (issue 8, "500s from input")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from credits.models import ActivityRecord, PublishedYear
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


# ---------------------------------------------------------------------------------------------------
# The multipart declaration (regression: an absent checkbox was read as False)


def test_a_multipart_declaration_keeps_class_passed_as_json_does(staff_api, officials):
    body = {"official": "F001", "kind": "class_day", "quantity": "2", "occurred_on": f"{YEAR}-05-01"}
    as_json = staff_api.post("/api/v1/activities/", body, format="json")
    as_form = staff_api.post("/api/v1/activities/", body, format="multipart")
    assert as_json.status_code == as_form.status_code == 201, as_form.content
    assert as_json.json()["class_passed"] is True
    assert as_form.json()["class_passed"] is True
    assert list(ActivityRecord.objects.values_list("class_passed", flat=True)) == [True, True]


def test_a_multipart_declaration_may_still_say_not_passed(staff_api, officials):
    body = {"official": "F001", "kind": "class_day", "quantity": "2", "occurred_on": f"{YEAR}-05-01"}
    response = staff_api.post("/api/v1/activities/", {**body, "class_passed": "false"}, format="multipart")
    assert response.status_code == 201 and response.json()["class_passed"] is False
