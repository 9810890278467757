"""免提交 at the window: 查询共享材料 asks the local source; found, failing and hanging sources."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import APPLICANT_ID
from tests.workflows.api.peer import Peer, Reply, running_peer
from tests.workflows.window.conftest import intake_data
from workflows.api.models import ShareableMaterial, SharedMaterial, SharedSource
from workflows.api.signing import SIGNATURE_HEADER, verify
from workflows.cases.models import Case, CaseMaterial, Status
from workflows.catalog.models import ItemMaterial, ServiceItem

pytestmark = pytest.mark.django_db

SECRET = "licence-library-secret"
FALLBACK = "共享数据源暂不可用，请收取纸质材料"
FOUND = {"found": True, "licence_number": "DZZZ-4414-0001", "holder_name": "张三"}


def share_id_card(item: ServiceItem, peer: Peer, timeout: float = 2.0) -> ItemMaterial:
    """Make the item's 居民身份证 line obtainable from an 电子证照库 at ``peer``."""
    source = SharedSource.objects.create(
        code="dzzz", name="电子证照库", url=peer.url, secret=SECRET, timeout_seconds=timeout
    )
    material = item.materials.get(name="居民身份证")
    ShareableMaterial.objects.create(material=material, source=source, licence_type="id_card")
    return material


def url(item: ServiceItem) -> str:
    return reverse("window:intake", kwargs={"code": item.code})


def look_up(client: Client, item: ServiceItem, data: dict[str, object]) -> str:
    response = client.post(url(item), {**data, "share": "lookup"})
    assert response.status_code == 200
    assert not Case.objects.exists(), "the lookup step saves nothing"
    return response.content.decode()


def test_the_page_offers_the_lookup_only_for_an_item_with_shareable_lines(
    clerk_client: Client, item: ServiceItem
) -> None:
    assert "查询共享材料" not in clerk_client.get(url(item)).content.decode()
    with running_peer() as peer:
        share_id_card(item, peer)
        html = clerk_client.get(url(item)).content.decode()
    assert "查询共享材料" in html
    assert "可共享获取" in html


def test_a_record_found_is_ticked_and_attached_so_no_paper_is_asked(
    clerk_client: Client, item: ServiceItem
) -> None:
    with running_peer() as peer:
        peer.default = Reply(body=FOUND, sign_with=SECRET)
        material = share_id_card(item, peer)
        # The clerk has not ticked the ID card: the applicant did not bring it.
        data = intake_data(item, states={material.position: "missing"})
        html = look_up(clerk_client, item, data)
        headers, raw = peer.received[0]
        assert "已共享获取" in html
        assert "DZZZ-4414-0001" in html
        assert FALLBACK not in html
        assert "张三" in html, "what was typed is kept"

        response = clerk_client.post(url(item), data)
        assert len(peer.received) == 1, "the submit uses the lookup, it does not ask again"
    asked = json.loads(raw)
    assert asked["id_number"] == APPLICANT_ID
    assert asked["licence_type"] == "id_card"
    assert verify(SECRET, raw, headers[SIGNATURE_HEADER.lower()])
    assert response.status_code == 302, response.content.decode()[:800]
    case = Case.objects.get()
    assert case.status == Status.ACCEPTED
    line = case.materials.get(position=material.position)
    assert line.state == CaseMaterial.State.RECEIVED
    assert line.form == ItemMaterial.Form.ELECTRONIC
    shared = SharedMaterial.objects.get(case=case)
    assert shared.source.name == "电子证照库"
    assert shared.licence_number == "DZZZ-4414-0001"
    assert shared.material_id == line.pk
    assert shared.fetched_at is not None
    assert len(shared.sha256) == 64

    again = clerk_client.post(url(item), data)  # a double click attaches nothing twice
    assert again.status_code == 302
    assert SharedMaterial.objects.count() == 1


def test_a_failing_source_falls_back_visibly_to_paper(
    clerk_client: Client, item: ServiceItem
) -> None:
    with running_peer() as peer:
        peer.default = Reply(status=500, body={"error": "down"}, sign_with=SECRET)
        material = share_id_card(item, peer)
        data = intake_data(item, states={material.position: "missing"})
        html = look_up(clerk_client, item, data)
        assert FALLBACK in html
        assert "HTTP 500" in html
        assert "已共享获取" not in html

        # Without the paper the ID card is still missing: 受理 is refused, nothing saved.
        refused = clerk_client.post(url(item), data)
        assert refused.status_code != 302
        assert not Case.objects.exists()
        # With the paper, the case is accepted as at any window, with no shared record.
        paper = clerk_client.post(url(item), intake_data(item))
    assert paper.status_code == 302
    assert Case.objects.get().status == Status.ACCEPTED
    assert not SharedMaterial.objects.exists()


def test_a_hanging_source_falls_back_after_its_timeout(
    clerk_client: Client, item: ServiceItem
) -> None:
    with running_peer() as peer:
        peer.default = Reply(body=FOUND, sign_with=SECRET, hang_seconds=30)
        material = share_id_card(item, peer, timeout=0.5)
        html = look_up(clerk_client, item, intake_data(item, states={material.position: "missing"}))
    assert FALLBACK in html
    assert "超时" in html
    assert "已共享获取" not in html


def test_a_badly_signed_answer_is_not_trusted(clerk_client: Client, item: ServiceItem) -> None:
    with running_peer() as peer:
        peer.default = Reply(body=FOUND, sign_with="someone-else")
        material = share_id_card(item, peer)
        html = look_up(clerk_client, item, intake_data(item, states={material.position: "missing"}))
    assert FALLBACK in html
    assert "签名无效" in html


def test_no_id_number_asks_nobody(clerk_client: Client, item: ServiceItem) -> None:
    with running_peer() as peer:
        share_id_card(item, peer)
        html = look_up(clerk_client, item, intake_data(item, **{"p-id_number": ""}))
        assert not peer.received
    assert "请先填写有效的申请人证件号码" in html


def test_a_lookup_for_another_applicant_is_not_attached(
    clerk_client: Client, item: ServiceItem
) -> None:
    with running_peer() as peer:
        peer.default = Reply(body=FOUND, sign_with=SECRET)
        material = share_id_card(item, peer)
        look_up(clerk_client, item, intake_data(item))
        other = "110101199003077774"
        data = intake_data(item, states={material.position: "missing"}, **{"p-id_number": other})
        response = clerk_client.post(url(item), data)
    assert response.status_code != 302
    assert not SharedMaterial.objects.exists()
