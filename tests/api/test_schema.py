"""The OpenAPI schema: only for signed-in users, and true to what validation enforces (errors, bounds, lengths)."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def schema(staff_api):
    response = staff_api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_and_docs_are_not_served_to_a_visitor(roles):
    assert APIClient().get("/api/schema/").status_code == 403
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/?next=/api/docs/")


def test_an_api_client_reads_the_schema_with_its_token(staff_user):
    key = Token.objects.create(user=staff_user).key
    response = APIClient().get("/api/schema/?format=json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
    assert APIClient().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_signed_in_user_reads_the_docs(staff_user):
    client = Client()
    client.force_login(staff_user)
    assert b"swagger-ui" in client.get("/api/docs/").content.lower()


def test_basic_authentication_is_not_accepted(staff_user):
    """Basic hashes the password on every request (250-450 ms each): API clients use a token instead."""
    basic = base64.b64encode(b"staff:pw-secret-123").decode()
    assert APIClient().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 403


def test_every_operation_documents_its_errors_with_their_bodies(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "403", "404"):
                schema_of = operation["responses"][code]["content"]["application/json"]["schema"]
                refs = [one["$ref"] for one in schema_of.get("oneOf", [schema_of])]
                # An import's 400 may also be the refused job itself (imports/api.py), beside the usual errors.
                assert {"#/components/schemas/ValidationError", "#/components/schemas/ErrorDetail"} & set(refs), (
                    path,
                    method,
                )
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]


def _parameter(schema, path, method, name):
    return next(p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)["schema"]


def test_years_are_documented_with_the_bounds_validation_enforces(schema):
    bounds = {"type": "integer", "minimum": 2000, "maximum": THIS_YEAR + 1}
    for path in ("/api/v1/activities/", "/api/v1/scores/", "/api/v1/exemptions/", "/api/v1/vetoes/"):
        assert _parameter(schema, path, "get", "year") == bounds
    for path in ("/api/v1/years/{year}/recompute/", "/api/v1/years/{year}/report.xlsx"):
        method = "post" if "recompute" in path else "get"
        assert {k: v for k, v in _parameter(schema, path, method, "year").items() if k in bounds} == bounds
    assert schema["components"]["schemas"]["ExemptionRequest"]["properties"]["year"] == bounds


def test_field_constraints_are_documented(schema):
    record = schema["components"]["schemas"]["ActivityRecordRequest"]["properties"]
    assert record["note"]["maxLength"] == 500
    assert "$ref" in record["kind"] or "enum" in record["kind"]
    assert _parameter(schema, "/api/v1/activities/", "get", "page") == {"type": "integer", "minimum": 1}
    assert _parameter(schema, "/api/v1/activities/", "get", "occurred_after")["format"] == "date"


def test_a_url_under_the_api_that_matches_nothing_is_a_json_404(staff_user):
    response = client_for(staff_user).get("/api/v1/activities/1.5/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
