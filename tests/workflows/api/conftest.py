"""Systems calling the API: reference data, a registered system, its token."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from workflows.api.clients import api_client_create
from workflows.api.models import ApiClient
from workflows.api.schema import SCOPES
from workflows.catalog.models import Center

# The smallest file each accepted type starts with.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def reference() -> None:
    call_command("setup_reference", "--skip-calendar", verbosity=0, stdout=io.StringIO())
    call_command("demo_users", verbosity=0, stdout=io.StringIO())


System = tuple[ApiClient, str]
MakeSystem = Callable[..., System]


@pytest.fixture
def make_system(reference: None) -> MakeSystem:
    def make(
        name: str = "省网上办事大厅", center: str = "PY", scopes: list[str] | None = None
    ) -> System:
        return api_client_create(
            name=name, center=Center.objects.get(code=center), scopes=scopes or list(SCOPES)
        )

    return make


def token_for(client: Client, system: System, scope: str = "") -> str:
    api_client, secret = system
    basic = base64.b64encode(f"{api_client.application.client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    response = client.post("/api/v1/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


@pytest.fixture
def system(make_system: MakeSystem) -> System:
    return make_system()


@pytest.fixture
def bearer(client: Client, system: System) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, system)}"}


def application_form(**extra: object) -> dict[str, object]:
    """A complete online application for 户口迁移 with every required material as a PDF."""
    from workflows.catalog.models import ItemMaterial

    lines = list(
        ItemMaterial.objects.filter(item__code="GA-HKQY", required=True).order_by("position")
    )
    data: dict[str, object] = {
        "item": "GA-HKQY",
        "applicant_name": "张三",
        "applicant_id_number": "441426199001011238",
        "applicant_phone": "13800138000",
        "material_positions": [m.position for m in lines],
        "material_files": [io.BytesIO(PDF) for _ in lines],
    }
    for f, m in zip(data["material_files"], lines, strict=True):  # type: ignore[call-overload]
        f.name = f"material-{m.position}.pdf"
    data.update(extra)
    return data
