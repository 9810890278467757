"""fixtures/bundles.json: two bundles whose parts are the right catalogue items."""

from __future__ import annotations

import pytest

from tests.workflows.combined.bundles import load_reference
from workflows.cases.models import Case
from workflows.catalog.models import ServiceItem
from workflows.combined.models import Bundle
from workflows.tasks.routing import flow_class_for, flow_key_for

pytestmark = pytest.mark.django_db


def test_bundles_name_the_expected_sub_items_and_lead_departments() -> None:
    load_reference()
    bundles = {b.code: b for b in Bundle.objects.select_related("item__department")}
    assert set(bundles) == {"BUNDLE-SH", "BUNDLE-XSE"}
    parts = {
        code: [p.item.code for p in b.parts.order_by("position")] for code, b in bundles.items()
    }
    assert parts == {
        "BUNDLE-SH": ["GA-HKZX", "MZ-HHZM", "RS-YSDY", "RS-GRZH", "YB-ZHZQ"],
        "BUNDLE-XSE": ["WJ-CSYX", "GA-CSDJ", "YB-JMCB", "RS-SBK"],
    }
    assert bundles["BUNDLE-SH"].item.department.code == "MZ"
    assert bundles["BUNDLE-XSE"].item.department.code == "WJ"
    for bundle in bundles.values():
        assert bundle.item.kind == ServiceItem.Kind.JOINT
        assert bundle.item.flow == "combined.bundle"
        assert bundle.item.promised_limit_days <= bundle.item.statutory_limit_days


def test_every_reference_item_flow_key_is_registered() -> None:
    load_reference()
    for item in ServiceItem.objects.exclude(flow=""):
        assert flow_class_for(item.flow) is not None, item.flow
    for item in ServiceItem.objects.filter(flow=""):
        assert item.kind == ServiceItem.Kind.IMMEDIATE, item.code
        alone = Case(item=item, department=item.department)
        in_bundle = Case(item=item, department=item.department, parent_id=1)
        assert flow_key_for(alone) == ""  # decided at the window
        assert flow_class_for(flow_key_for(in_bundle)) is not None  # its department's review
