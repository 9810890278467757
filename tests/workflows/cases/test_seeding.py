"""seed_cases writes realistic cases that pass the same checks as real ones."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.factories import CenterFactory, ServiceItemFactory
from workflows.cases.clock import local_date
from workflows.cases.models import Case, CaseSequence, Status
from workflows.cases.seeding import seed_cases

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_seeded_cases_cover_states_and_keep_numbers_gapless(county) -> None:
    CenterFactory(code="PY-DZ", name="大柘镇党群服务中心", parent=county)
    ServiceItemFactory(code="A")
    ServiceItemFactory(code="B", promised_limit_days=10, statutory_limit_days=20)

    report = seed_cases(count=500, now=NOW)

    assert report.cases == Case.objects.count() == 500
    assert {Status.CLOSED, Status.IN_PROGRESS, Status.RECEIVED} <= set(
        Case.objects.values_list("status", flat=True)
    )
    for seq in CaseSequence.objects.filter(year=2026):
        numbers = sorted(
            int(n.rsplit("-", 1)[1])
            for n in Case.objects.filter(center=seq.center).values_list("number", flat=True)
        )
        assert numbers == list(range(1, seq.last + 1))
    call_command("verify_audit")


def test_due_now_cases_just_passed_their_promised_deadline(county) -> None:
    ServiceItemFactory(code="A")
    ServiceItemFactory(code="B", promised_limit_days=5, statutory_limit_days=5)
    seed_cases(count=50, open_only=True, due_now=10, now=NOW)
    overdue = Case.objects.filter(
        status__in=["accepted", "in_progress"], promised_due_at__lt=NOW, alert_level__lt=2
    )
    assert overdue.count() == 10
    # Due at the end of yesterday (Monday 2026-03-09): overdue for ten hours, not days.
    assert {local_date(c.promised_due_at) for c in overdue} == {date(2026, 3, 9)}
    # Red, not statutory red: their statutory limit is still running.
    assert all(c.statutory_due_at > NOW for c in overdue)
