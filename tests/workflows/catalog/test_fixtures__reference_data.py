"""The catalogue fixtures: they load, their paths match save(), their limits are lawful."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from workflows.catalog.management.commands.setup_reference import CATALOG_FIXTURES
from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
TOWNS = ["大柘镇", "仁居镇", "东石镇", "石正镇", "八尺镇", "差干镇",
         "河头镇", "中行镇", "上举镇", "泗水镇", "长田镇", "热柘镇"]  # fmt: skip
SPECIAL_FLOWS = {
    "GA-HKQY": "public_security.household_move",
    "MZ-DB": "civil_affairs.minimum_living",
    "YB-MTB": "medical_insurance.chronic_disease",
}
PACKAGES = {
    "GA": "public_security",
    "RS": "social_insurance",
    "YB": "medical_insurance",
    "MZ": "civil_affairs",
    "WJ": "health",
    "SW": "tax",
}


def rows(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(db: None) -> None:
    call_command("loaddata", *CATALOG_FIXTURES, verbosity=0)


BUNDLE_FLOW = "combined.bundle"


def test_center_paths_in_the_fixture_equal_what_save_computes() -> None:
    centers = {row["pk"]: row["fields"] for row in rows("catalog_centers")}

    for pk, fields in centers.items():
        parent = centers[fields["parent"]] if fields["parent"] else None
        expected = (parent["path"] if parent else "") + fields["code"] + "/"
        assert fields["path"] == expected, pk


def test_center_paths_survive_a_save(catalogue: None) -> None:
    stored = dict(Center.objects.values_list("code", "path"))

    for center in Center.objects.select_related("parent").order_by("path"):
        center.save()

    assert dict(Center.objects.values_list("code", "path")) == stored


def test_centers__county_and_its_twelve_towns(catalogue: None) -> None:
    county = Center.objects.get(code="PY")
    towns = Center.objects.filter(level=Center.Level.TOWN)

    assert county.level == Center.Level.COUNTY
    assert county.name == "平远县党群服务中心"
    assert county.organ_name
    assert county.supervision_phone
    assert sorted(t.name.removesuffix("党群服务中心") for t in towns) == sorted(TOWNS)
    assert all(t.parent_id == county.pk and t.code.startswith("PY-") for t in towns)
    assert Center.objects.filter(level=Center.Level.COMMUNITY).exists()
    village = Center.objects.get(code="PY-DZ-HS")
    assert village.path == "PY/PY-DZ/PY-DZ-HS/"
    assert village.in_scope_of(county)


def test_departments__codes_and_full_names(catalogue: None) -> None:
    assert dict(Department.objects.values_list("code", "full_name")) == {
        "GA": "平远县公安局",
        "RS": "平远县人力资源和社会保障局",
        "YB": "平远县医疗保障局",
        "MZ": "平远县民政局",
        "WJ": "平远县卫生健康局",
        "SW": "国家税务总局平远县税务局",
    }


def test_items__at_least_four_per_core_department(catalogue: None) -> None:
    counts = Counter(ServiceItem.objects.values_list("department__code", flat=True))

    for code in ("GA", "RS", "YB", "MZ"):
        assert counts[code] >= 4, code
    assert counts["WJ"] >= 1
    assert counts["SW"] >= 1


def test_items__promised_within_statutory_and_model_clean(catalogue: None) -> None:
    for item in ServiceItem.objects.all():
        assert item.promised_limit_days <= item.statutory_limit_days, item.code
        item.full_clean()


def test_items__codes_name_their_department(catalogue: None) -> None:
    for item in ServiceItem.objects.exclude(flow=BUNDLE_FLOW).select_related("department"):
        assert item.code.startswith(item.department.code + "-"), item.code


def test_items__bundles_are_joint_items_of_their_lead_department(catalogue: None) -> None:
    bundles = {i.code: i for i in ServiceItem.objects.filter(flow=BUNDLE_FLOW)}
    assert set(bundles) == {"BUNDLE-SH", "BUNDLE-XSE"}
    assert bundles["BUNDLE-SH"].department.code == "MZ"
    assert bundles["BUNDLE-XSE"].department.code == "WJ"
    for item in bundles.values():
        assert item.kind == ServiceItem.Kind.JOINT
        assert (item.statutory_limit_days, item.promised_limit_days) == (45, 10)


def test_items__immediate_items_have_no_clock_and_no_flow(catalogue: None) -> None:
    immediate = ServiceItem.objects.filter(kind=ServiceItem.Kind.IMMEDIATE)

    assert immediate.exists()
    for item in immediate:
        assert (item.statutory_limit_days, item.promised_limit_days) == (0, 0), item.code
        assert item.flow == "", item.code


def test_items__flow_keys(catalogue: None) -> None:
    for item in (
        ServiceItem.objects.exclude(kind=ServiceItem.Kind.IMMEDIATE)
        .exclude(flow=BUNDLE_FLOW)
        .select_related("department")
    ):
        expected = SPECIAL_FLOWS.get(item.code, f"{PACKAGES[item.department.code]}.review")
        assert item.flow == expected, item.code
        assert item.promised_limit_days > 0, item.code


def test_items__limits_named_in_the_brief(catalogue: None) -> None:
    limits = {
        code: (statutory, promised)
        for code, statutory, promised in ServiceItem.objects.values_list(
            "code", "statutory_limit_days", "promised_limit_days"
        )
    }

    assert limits["GA-HKQY"] == (10, 5)
    assert limits["GA-WFZJ"] == (3, 3)
    assert limits["MZ-DB"] == (30, 25)
    assert limits["MZ-LSJZ"][1] == 15
    assert limits["MZ-CJBT"][1] == 20
    assert limits["YB-MTB"][1] == 20
    assert limits["YB-DWCB"][1] == 1
    assert limits["YB-ZGDJ"][1] == 5
    assert limits["RS-SBK"][1] == 10
    # 居民身份证法: 60 natural days, counted as natural days (the promise is in working days).
    assert limits["GA-SFZ"] == (60, 20)
    sfz = ServiceItem.objects.get(code="GA-SFZ")
    assert (sfz.statutory_limit_unit, sfz.promised_limit_unit) == ("natural", "working")
    assert ServiceItem.objects.get(code="MZ-DB").decision_needs_head


def test_items__every_item_has_a_checklist_numbered_from_one(catalogue: None) -> None:
    for item in ServiceItem.objects.prefetch_related("materials"):
        positions = [m.position for m in item.materials.all()]
        assert positions == list(range(1, len(positions) + 1)), item.code
        assert positions, item.code
    assert set(ItemMaterial.objects.values_list("form", flat=True)) <= set(ItemMaterial.Form.values)


def test_items__delivery_options_are_known(catalogue: None) -> None:
    for item in ServiceItem.objects.all():
        assert item.delivery_options, item.code
        assert set(item.delivery_options) <= set(ServiceItem.Delivery.values), item.code
