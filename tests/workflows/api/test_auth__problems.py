"""Only systems with the right scope get in; every refusal is a problem document."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.workflows.api.conftest import MakeSystem, System, token_for

pytestmark = pytest.mark.django_db

PROTECTED = [
    ("get", "/api/v1/cases/PY-2026-000001/"),
    ("get", "/api/v1/cases/PY-2026-000001/events/"),
    ("get", "/api/v1/cases/PY-2026-000001/documents/"),
    ("post", "/api/v1/cases/PY-2026-000001/withdraw/"),
    ("get", "/api/v1/documents/1/pdf/"),
    ("post", "/api/v1/applications/"),
    ("get", "/api/v1/subscriptions/"),
    ("post", "/api/v1/subscriptions/"),
    ("delete", "/api/v1/subscriptions/1/"),
    ("get", "/api/v1/subscriptions/1/deliveries/"),
    ("get", "/api/v1/centers/PY/ratings/"),
    ("get", "/api/v1/ratings/1/"),
    ("get", "/api/v1/centers/PY/slots/?item=GA-HKQY"),
    ("get", "/api/v1/bookings/ABCDEFGH/"),
    ("post", "/api/v1/bookings/"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_protected_operation_needs_a_token(
    client: Client, reference: None, method: str, path: str
) -> None:
    response = getattr(client, method)(path, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["type"].startswith("urn:onewindow:problem:")


def test_the_list_above_covers_every_protected_route() -> None:
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/v1/")
    names = {p.name for p in api.url_patterns if p.name}  # type: ignore[attr-defined]
    public = {"token", "schema", "docs", "items", "item"}
    assert len(names - public) == 14  # the fifteen operations above live on fourteen routes


def test_the_catalogue_is_public(client: Client, reference: None) -> None:
    response = client.get("/api/v1/items/GA-HKQY/")
    assert response.status_code == 200
    assert response.json()["materials"][0]["name"]


def test_problems_speak_english_when_asked(client: Client, reference: None) -> None:
    response = client.get("/api/v1/cases/X/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "Not authenticated"
    assert "client credentials" in response.json()["detail"]
    chinese = client.get("/api/v1/cases/X/")
    assert chinese.json()["title"] == "未认证"


def test_a_token_without_the_scope_is_forbidden(client: Client, make_system: MakeSystem) -> None:
    reader: System = make_system("只读系统", scopes=["cases:read"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, reader)}"}
    response = client.get("/api/v1/subscriptions/", **bearer)
    assert response.status_code == 403
    assert "webhooks" in response.json()["detail"]
    # Nor can it ask the token endpoint for more than it was granted.
    api_client, secret = reader
    import base64

    basic = base64.b64encode(f"{api_client.application.client_id}:{secret}".encode()).decode()
    refused = client.post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials", "scope": "webhooks"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert refused.status_code == 400


def test_a_system_over_its_rate_is_told_when_to_come_back(
    client: Client, bearer: dict[str, str], settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ONEWINDOW_API_RATE = "2/min"
    codes = [client.get("/api/v1/subscriptions/", **bearer).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.get("/api/v1/subscriptions/", **bearer)
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_api_address_is_a_problem_not_a_page(client: Client) -> None:
    response = client.post("/api/v1/no/such/thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
