"""免提交: a material comes from another system; a failing or hanging one falls back to paper."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from tests.workflows.api.conftest import application_form
from tests.workflows.api.peer import Peer, Reply, running_peer
from workflows.api.models import ShareableMaterial, SharedMaterial, SharedSource
from workflows.api.signing import SIGNATURE_HEADER, verify
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import ItemMaterial

pytestmark = pytest.mark.django_db

SECRET = "shared-source-secret"


def share_household_book(peer: Peer, timeout: float = 2.0) -> ItemMaterial:
    """Make 户口迁移's 居民户口簿 obtainable from a household-register source at ``peer``."""
    source = SharedSource.objects.create(
        code="huji", name="户籍系统", url=peer.url, secret=SECRET, timeout_seconds=timeout
    )
    material = ItemMaterial.objects.get(item__code="GA-HKQY", name="居民户口簿")
    ShareableMaterial.objects.create(material=material, source=source, licence_type="hukou")
    return material


def apply_without(client: Client, bearer: dict[str, str], material: ItemMaterial):  # type: ignore[no-untyped-def]
    form = application_form()
    positions = list(form["material_positions"])  # type: ignore[call-overload]
    files = list(form["material_files"])  # type: ignore[call-overload]
    index = positions.index(material.position)
    del positions[index], files[index]
    form.update(material_positions=positions, material_files=files)
    response = client.post(
        "/api/v1/applications/", form, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **bearer
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_record_found_replaces_the_paper(client: Client, bearer: dict[str, str]) -> None:
    with running_peer() as peer:
        peer.default = Reply(
            body={"found": True, "licence_number": "HJ-441426-0001", "holder_name": "张三"},
            sign_with=SECRET,
        )
        material = share_household_book(peer)
        body = apply_without(client, bearer, material)
        headers, raw = peer.received[0]
    asked = json.loads(raw)
    assert asked["id_number"] == "441426199001011238"
    assert asked["licence_type"] == "hukou"
    assert verify(SECRET, raw, headers[SIGNATURE_HEADER.lower()])
    (lookup,) = body["shared"]
    assert lookup["outcome"] == "found"
    assert "HJ-441426-0001" in lookup["note"]
    case = Case.objects.get(number=body["number"])
    line = case.materials.get(position=material.position)
    assert line.state == CaseMaterial.State.RECEIVED
    assert line.form == ItemMaterial.Form.ELECTRONIC
    shared = SharedMaterial.objects.get(case=case)
    assert shared.licence_number == "HJ-441426-0001"
    assert shared.source.code == "huji"
    assert len(shared.sha256) == 64
    assert shared.material_id == line.pk


def test_a_failing_source_falls_back_to_paper(client: Client, bearer: dict[str, str]) -> None:
    with running_peer() as peer:
        peer.default = Reply(status=500, body={"error": "down"}, sign_with=SECRET)
        material = share_household_book(peer)
        body = apply_without(client, bearer, material)
    (lookup,) = body["shared"]
    assert lookup["outcome"] == "unavailable"
    assert "HTTP 500" in lookup["note"]
    assert "纸质材料" in lookup["note"]
    case = Case.objects.get(number=body["number"])
    assert case.materials.get(position=material.position).state == CaseMaterial.State.MISSING
    assert not SharedMaterial.objects.exists()


def test_a_forged_answer_is_not_trusted(client: Client, bearer: dict[str, str]) -> None:
    with running_peer() as peer:
        peer.default = Reply(
            body={"found": True, "licence_number": "FAKE"}, sign_with="someone-else"
        )
        material = share_household_book(peer)
        body = apply_without(client, bearer, material)
    assert body["shared"][0]["outcome"] == "unavailable"
    assert not SharedMaterial.objects.exists()


def test_a_hanging_source_times_out_and_the_window_asks_for_paper(
    client: Client, bearer: dict[str, str]
) -> None:
    with running_peer() as peer:
        # The source would answer only after a minute; its timeout is half a second.
        peer.default = Reply(
            hang_seconds=60, body={"found": True, "licence_number": "LATE"}, sign_with=SECRET
        )
        material = share_household_book(peer, timeout=0.5)
        body = apply_without(client, bearer, material)
    (lookup,) = body["shared"]
    assert lookup["outcome"] == "unavailable"
    assert "超时" in lookup["note"]
    case = Case.objects.get(number=body["number"])
    assert case.status == "received"
    assert case.materials.get(position=material.position).state == CaseMaterial.State.MISSING


def test_not_found_is_said_plainly(client: Client, bearer: dict[str, str]) -> None:
    with running_peer() as peer:
        peer.default = Reply(body={"found": False}, sign_with=SECRET)
        material = share_household_book(peer)
        body = apply_without(client, bearer, material)
    assert body["shared"][0]["outcome"] == "not_found"
