"""Schemathesis against the OpenAPI document, on a live server this test starts.

For every operation: no generated request gets a 500, every response matches
the schema (status, content type, headers, body), and every protected
operation refuses the same request without credentials (``ignored_auth``).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from workflows.api.clients import api_client_create
from workflows.api.schema import SCOPES
from workflows.catalog.models import Center


@pytest.fixture
def api_server(live_server: Any) -> dict[str, str]:
    """A live server with the reference data and a system with every scope and its token."""
    call_command("setup_reference", "--skip-calendar", verbosity=0, stdout=io.StringIO())
    call_command("hall_setup", stdout=io.StringIO())  # counters and hours: slots and bookings
    cache.clear()
    client, secret = api_client_create(
        name="schemathesis", center=Center.objects.get(code="PY"), scopes=list(SCOPES)
    )
    basic = base64.b64encode(f"{client.application.client_id}:{secret}".encode()).decode()
    answer = requests.post(
        f"{live_server.url}/api/v1/oauth/token/",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
        timeout=30,
    )
    answer.raise_for_status()
    return {"url": str(live_server.url), "token": answer.json()["access_token"]}


# A schema-valid request may still break a rule the schema cannot express (a resident ID's
# check digit, an item code that exists): the API refuses it with a documented 400 problem.
SCHEMA_CANNOT_SAY = [positive_data_acceptance]


def test_every_operation_keeps_to_its_schema(api_server: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{api_server['url']}/api/v1/schema/")
    headers = {"Authorization": f"Bearer {api_server['token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(
                base_url=api_server["url"], headers=headers, excluded_checks=SCHEMA_CANNOT_SAY
            )

        check()
