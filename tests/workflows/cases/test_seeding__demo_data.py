"""seed_cases on the real catalogue: nothing the sweep cannot handle, nothing in the future."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q

from tests.factories import staff
from tests.workflows.combined.bundles import load_reference
from workflows.cases.models import Case, Status
from workflows.cases.seeding import seed_cases
from workflows.catalog import roles
from workflows.catalog.models import Center
from workflows.combined.models import Bundle
from workflows.supervision.services import sweep_deadlines
from workflows.tasks.selectors import delivery_for
from workflows.window.selectors import awaiting_delivery

pytestmark = pytest.mark.django_db
# A weekday morning: cases "received today" must still lie before it.
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def seeded() -> None:
    load_reference()
    seed_cases(count=400, now=MORNING)


def test_no_seeded_time_lies_in_the_future(seeded: None) -> None:
    later = Q()
    for field in ("received_at", "accepted_at", "decided_at", "closed_at", "created_at"):
        later |= Q(**{f"{field}__gt": MORNING})

    assert list(Case.objects.filter(later).values_list("number", flat=True)) == []


def test_bundle_items_are_not_seeded_alone_and_the_sweep_has_nothing_left_over(
    seeded: None,
) -> None:
    bundle_items = Bundle.objects.values("item_id")
    assert not Case.objects.filter(item_id__in=bundle_items).exists()

    report = sweep_deadlines(now=MORNING)

    assert report.problems == []
    assert not Case.objects.filter(status=Status.RECEIVED, deemed_acceptance_at__lt=MORNING)


def test_every_clerks_delivery_list_and_badge_agree(seeded: None) -> None:
    for center in Center.objects.all():
        clerk = staff(f"seed_check_{center.pk}", roles.CLERK, center=center)

        assert awaiting_delivery(center).count() == delivery_for(clerk).count(), center.name
