"""The item snapshot taken at acceptance: one typed record, from the window and the seeder."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from tests.factories import ServiceItemFactory
from workflows.cases.clock import NATURAL, WORKING
from workflows.cases.models import Case
from workflows.cases.seeding import seed_cases
from workflows.cases.snapshot import ItemSnapshot
from workflows.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_acceptance_stores_the_items_snapshot_and_it_reads_back(
    case_factory: CaseFactory, item: ServiceItem
) -> None:
    item.statutory_limit_unit = NATURAL
    item.max_extension_days = 7
    item.save()
    case = case_factory(at=NOW, status="accepted")
    item.refresh_from_db()  # the fee as stored (Decimal("0.00"))

    snapshot = ItemSnapshot.from_json(case.item_snapshot)
    assert snapshot == ItemSnapshot.from_item(item)
    assert snapshot.to_json() == case.item_snapshot
    assert (snapshot.statutory_limit_unit, snapshot.promised_limit_unit) == (NATURAL, WORKING)
    assert snapshot.max_extension_days == 7
    assert [m["name"] for m in snapshot.materials] == [
        m.name for m in item.materials.order_by("position")
    ]

    # a catalogue edit after acceptance leaves the case's snapshot alone
    item.promised_limit_days = 1
    item.save()
    case.refresh_from_db()
    assert ItemSnapshot.from_json(case.item_snapshot).promised_limit_days == 5


def test_the_seeder_writes_the_same_snapshot_as_acceptance(county: object) -> None:
    ServiceItemFactory(code="A", promised_limit_days=4, statutory_limit_days=9)
    seed_cases(count=40, now=NOW)
    item = ServiceItem.objects.get(code="A")
    accepted = Case.objects.filter(accepted_at__isnull=False)
    assert accepted.exists()
    for stored in accepted.values_list("item_snapshot", flat=True):
        assert ItemSnapshot.from_json(stored) == ItemSnapshot.from_item(item)


def test_an_old_snapshot_reads_with_the_laws_defaults(officer: User) -> None:
    old = {"code": "GA-1", "name": "户口迁移", "kind": "promised", "warning_days": 3, "gone": 1}
    snapshot = ItemSnapshot.from_json(old)
    assert (snapshot.statutory_limit_unit, snapshot.promised_limit_unit) == (WORKING, WORKING)
    assert snapshot.warning_days == 3
    assert snapshot.extension_within_promise is False
    assert snapshot.materials == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.warning_days = 5  # type: ignore[misc]
