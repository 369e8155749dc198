"""The API fuzzed against its own OpenAPI schema (schemathesis), in-process through WSGI, as a token-authenticated
member of the training section over a small demo organisation.

Fails on any 5xx, any response that does not match the schema (body, status code, content type, headers).
Positive and negative examples (values the schema forbids must get a 4xx, never a 500). Bounded: at most
``SCHEMATHESIS_MAX_EXAMPLES`` examples per operation and mode, plus schemathesis' own boundary cases; skipped when
that is unset (the ordinary suite), run by `.ci/schemathesis.sh`. The number of requests made is printed at the
end and written to ``SCHEMATHESIS_REPORT`` if set.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from credits import services
from kunshan_training.wsgi import application
from tests.conftest import YEAR

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES") or 0)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not MAX_EXAMPLES, reason="a few minutes of fuzzing: run by .ci/schemathesis.sh"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SEEN: Counter = Counter()


@pytest.fixture
def token(staff_user, officials, d):
    """A small demo organisation (two units, three officials, records of each status, a decision, scores) and the
    token of a member of the training section."""
    zhang, li = officials["zhang"], officials["li"]
    services.create_record(by=staff_user, official=zhang, kind="class_day", quantity=3, occurred_on=d(3, 1))
    services.create_record(by=staff_user, official=li, kind="online_hour", quantity=20, occurred_on=d(4, 2))
    declared = services.create_record(by=zhang.user, official=zhang, kind="study_paper", quantity=1,
                                      occurred_on=d(5, 3))  # fmt: skip
    services.reject_record(by=staff_user, record=declared, reason="no evidence")
    services.create_record(by=zhang.user, official=zhang, kind="study_paper", quantity=1, occurred_on=d(6, 4))
    services.record_exemption(by=staff_user, official=officials["wang"], year=YEAR, reason="retiring")
    services.record_veto(by=staff_user, official=li, year=YEAR, reason="discipline")
    from credits.recompute import start_recompute

    start_recompute(by=staff_user, year=YEAR)
    return Token.objects.create(user=staff_user).key


def _served_schema() -> dict:
    """The schema /api/schema/ serves (same generator), read once when the module is collected: the test database
    does not exist yet, so it cannot be fetched with a token here (tests/test_parameters.py proves the token reads
    it and an anonymous client does not)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = application  # requests go through WSGI, in this process, inside the test's transaction
schema.config.generation.update(modes=["positive", "negative"], max_examples=MAX_EXAMPLES or 1, database="none")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request through WSGI must not close the connection holding the test's
    transaction (on PostgreSQL, request_finished would close it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES or 1, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_answers_as_its_schema_says(case, token):
    response = case.call(headers={"Authorization": f"Token {token}", "Accept-Language": "en"})
    SEEN[f"{response.status_code // 100}xx"] += 1
    SEEN["requests"] += 1
    case.validate_response(response, checks=CHECKS)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if SEEN:
        print(f"\nschemathesis: {dict(SEEN)}")
        if path := os.environ.get("SCHEMATHESIS_REPORT"):
            with open(path, "w", encoding="utf-8") as f:
                json.dump(dict(SEEN), f)
