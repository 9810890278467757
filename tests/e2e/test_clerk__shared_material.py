"""免提交 in Chromium: the clerk asks the shared source, the citizen is not asked for the paper.

The source is a real local HTTP server (tests/workflows/api/peer.py) that
answers, then fails; the window shows 已共享获取 or falls back to the paper.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, fill_applicant
from tests.workflows.api.peer import Peer, Reply, running_peer
from workflows.api.models import ShareableMaterial, SharedMaterial, SharedSource
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import ItemMaterial

pytestmark = pytest.mark.e2e

SECRET = "household-register-secret"
ITEM = "GA-HKQY"


def share_household_book(peer: Peer) -> ItemMaterial:
    source = SharedSource.objects.create(
        code="huji", name="户籍系统", url=peer.url, secret=SECRET, timeout_seconds=2.0
    )
    material = ItemMaterial.objects.get(item__code=ITEM, name="居民户口簿")
    ShareableMaterial.objects.create(material=material, source=source, licence_type="hukou")
    return material


def test_clerk_takes_the_household_book_from_the_register(open_page: OpenPage) -> None:
    with running_peer() as peer:
        peer.default = Reply(
            body={"found": True, "licence_number": "HJ-441426-0001"}, sign_with=SECRET
        )
        material = share_household_book(peer)
        clerk = open_page("clerk")
        clerk.goto(f"/window/new/{ITEM}/")
        row = clerk.locator("tr[data-material-line]", has_text="居民户口簿")
        expect(row).to_contain_text("可共享获取")
        fill_applicant(clerk)
        clerk.get_by_role("button", name="查询共享材料").click()

        row = clerk.locator("tr[data-material-line]", has_text="居民户口簿")
        expect(row.locator("[data-shared=found]").first).to_contain_text("已共享获取")
        expect(row).to_contain_text("HJ-441426-0001")
        expect(clerk.locator("#id_p-name")).to_have_value("张三")
        clerk.get_by_role("button", name="全部标为已收").click()
        clerk.locator("button[name='c-outcome'][value='accept']").click()
        expect(clerk.locator("h1")).to_contain_text("受理通知书")
        assert len(peer.received) == 1

    case = Case.objects.get()
    line = case.materials.get(position=material.position)
    assert line.state == CaseMaterial.State.RECEIVED
    assert line.form == ItemMaterial.Form.ELECTRONIC
    assert SharedMaterial.objects.get(case=case).licence_number == "HJ-441426-0001"


def test_a_source_down_tells_the_clerk_to_take_the_paper(open_page: OpenPage) -> None:
    with running_peer() as peer:
        peer.default = Reply(status=503, body={}, sign_with=SECRET)
        share_household_book(peer)
        clerk = open_page("clerk")
        clerk.goto(f"/window/new/{ITEM}/")
        fill_applicant(clerk)
        clerk.get_by_role("button", name="查询共享材料").click()
        row = clerk.locator("tr[data-material-line]", has_text="居民户口簿")
        expect(row.locator("[data-shared=unavailable]")).to_contain_text(
            "共享数据源暂不可用，请收取纸质材料"
        )
        expect(row.get_by_role("radio")).to_have_count(3)  # the clerk ticks the paper as usual
        clerk.get_by_role("button", name="全部标为已收").click()
        clerk.locator("button[name='c-outcome'][value='accept']").click()
        expect(clerk.locator("h1")).to_contain_text("受理通知书")
    assert not SharedMaterial.objects.exists()
