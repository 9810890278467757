"""The 一件事 intake page: clerks only, one applicant, the union of materials, clear refusals."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.factories import open_task, work
from tests.workflows.combined.bundles import MORNING, intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Status
from workflows.cases.services import case_withdraw
from workflows.combined.models import Bundle
from workflows.tasks.routing import cancel_department_flow, process_of
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    load_reference()
    return {"users": people(), "bundle": Bundle.objects.get(item__code="BUNDLE-SH")}


def test_intake_page_lists_parts_and_each_material_once(world: dict) -> None:
    page = client_for(world["users"]["clerk"]).get(reverse("combined:intake", args=["BUNDLE-SH"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("参保人死亡证明或火化证明</label>") == 1  # needed by three sub-items
    assert "户口注销（死亡）" in html
    assert "必办" in html
    assert (
        client_for(world["users"]["ga_officer"])
        .get(reverse("combined:intake", args=["BUNDLE-SH"]))
        .status_code
        == 403
    )


def test_missing_material_is_refused_naming_the_sub_item(world: dict) -> None:
    data = intake_post(world["bundle"])
    data["bundle-materials"] = [m for m in data["bundle-materials"] if m != "死者居民户口簿"]
    response = client_for(world["users"]["clerk"]).post(
        reverse("combined:intake", args=["BUNDLE-SH"]), data
    )
    assert response.status_code == 400
    assert "户口注销（死亡）（死者居民户口簿）" in response.content.decode()
    assert Case.objects.count() == 0


def test_mandatory_part_cannot_be_dropped_optional_one_can(world: dict) -> None:
    bundle = world["bundle"]
    client = client_for(world["users"]["clerk"])
    data = intake_post(bundle)
    data["bundle-parts"] = [str(p.item_id) for p in bundle.parts.filter(optional=True)]
    refused = client.post(reverse("combined:intake", args=["BUNDLE-SH"]), data)
    assert refused.status_code == 400
    assert "必办子项" in refused.content.decode()

    data["bundle-parts"] = [str(p.item_id) for p in bundle.parts.exclude(item__code="RS-GRZH")]
    with time_machine.travel(MORNING, tick=False):
        accepted = client.post(reverse("combined:intake", args=["BUNDLE-SH"]), data)
    assert accepted.status_code == 302
    parent = Case.objects.get(item__code="BUNDLE-SH")
    assert sorted(parent.children.values_list("item__code", flat=True)) == [
        "GA-HKZX",
        "MZ-HHZM",
        "RS-YSDY",
        "YB-ZHZQ",
    ]
    received = set(parent.materials.filter(state="received").values_list("name", flat=True))
    assert "“一件事”联办申请表（一表申请）" in received
    assert "死者居民户口簿" in received


def test_progress_page_scope(world: dict) -> None:
    users = world["users"]
    with time_machine.travel(MORNING, tick=False):
        client_for(users["clerk"]).post(
            reverse("combined:intake", args=["BUNDLE-SH"]), intake_post(world["bundle"])
        )
    parent = Case.objects.get(item__code="BUNDLE-SH")
    url = reverse("combined:progress", args=[parent.number])
    assert client_for(users["ga_officer"]).get(url).status_code == 200  # handles a sub-case
    assert client_for(users["wj_officer"]).get(url).status_code == 403  # nothing to do with it
    index = client_for(users["clerk"]).get(reverse("combined:index")).content.decode()
    assert parent.number in index


def test_a_withdrawn_sub_case_no_longer_holds_the_bundle(world: dict) -> None:
    users = world["users"]
    bundle = world["bundle"]
    data = intake_post(bundle)
    data["bundle-parts"] = [str(p.item_id) for p in bundle.parts.filter(optional=False)]
    data["bundle-parts"].append(str(bundle.parts.get(item__code="YB-ZHZQ").item_id))
    with time_machine.travel(MORNING, tick=False):
        client_for(users["clerk"]).post(reverse("combined:intake", args=["BUNDLE-SH"]), data)
        parent = Case.objects.get(item__code="BUNDLE-SH")
        children = {c.item.code: c for c in parent.children.select_related("item")}
        work(children["GA-HKZX"], "review", users["ga_officer"], outcome=APPROVE, reason="")
        work(children["MZ-HHZM"], "review", users["mz_officer"], outcome=APPROVE, reason="")
        withdrawn = case_withdraw(
            case=children["YB-ZHZQ"], actor=users["clerk"], reason="继承人放弃支取"
        )
        assert cancel_department_flow(case=withdrawn)
        assert process_of(withdrawn).status == "CANCELED"
        summary = open_task(parent, "summarize")
        assert summary.owner_id is None
        work(parent, "summarize", users["mz_officer"], outcome=APPROVE, reason="")
        work(parent, "deliver", users["clerk"], delivery_method="window")
    assert Case.objects.get(pk=parent.pk).status == Status.CLOSED
    assert Case.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN
