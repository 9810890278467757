"""Lights are raised set-based, once per case and level, with a valid audit event."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.concurrency import run_together
from tests.conftest import CaseFactory, applicant, complete_materials
from tests.factories import CenterFactory, ServiceItemFactory, staff
from workflows.calendar.services import calendar_seed
from workflows.cases import services
from workflows.cases.alerts import Light, cases_raise_alerts, light_of
from workflows.cases.models import CaseEvent
from workflows.catalog import roles

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=TZ)  # 5 working days → due Mon 2026-03-09


@pytest.mark.django_db
def test_lights_change_at_the_right_moments(case_factory: CaseFactory) -> None:
    case = case_factory(at=MONDAY, status="accepted")
    # Yellow from the start of 3-05 (2 working days left: 3-06, 3-09).
    checkpoints = [
        (datetime(2026, 3, 4, 23, 59, tzinfo=TZ), []),
        (datetime(2026, 3, 5, 0, 0, tzinfo=TZ), [Light.YELLOW]),
        (datetime(2026, 3, 9, 23, 59, tzinfo=TZ), []),
        (datetime(2026, 3, 10, 0, 0, tzinfo=TZ), [Light.RED]),
        (datetime(2026, 3, 16, 23, 59, tzinfo=TZ), []),
        (datetime(2026, 3, 17, 0, 0, tzinfo=TZ), [Light.STATUTORY_RED]),
        (datetime(2026, 3, 30, tzinfo=TZ), []),
    ]
    for moment, expected in checkpoints:
        raised = cases_raise_alerts(now=moment)
        assert [r.level for r in raised if r.case_id == case.pk] == expected, moment
        case.refresh_from_db()
        assert light_of(case, moment) == (expected[0] if expected else light_of(case, moment))
    assert list(
        CaseEvent.objects.filter(case=case, action="alert").values_list("payload__light", flat=True)
    ) == ["yellow", "red", "statutory_red"]
    call_command("verify_audit")


@pytest.mark.django_db
def test_a_late_sweep_raises_every_level_crossed(case_factory: CaseFactory) -> None:
    case = case_factory(at=MONDAY, status="accepted")
    raised = cases_raise_alerts(now=MONDAY + timedelta(days=30))
    assert [r.level for r in raised if r.case_id == case.pk] == [
        Light.YELLOW,
        Light.RED,
        Light.STATUTORY_RED,
    ]


@pytest.mark.django_db
def test_closed_and_suspended_cases_are_left_alone(case_factory: CaseFactory, officer) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=3, now=MONDAY
    )
    assert cases_raise_alerts(now=MONDAY + timedelta(days=60)) == []


def test_four_sweeps_at_once_raise_each_light_once(transactional_db: None) -> None:
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    item = ServiceItemFactory(code="GA-TEST")
    clerk = staff("clerk", roles.CLERK, center=county)
    cases = []
    for _ in range(20):
        case = services.case_receive(
            center=county,
            item=item,
            actor=clerk,
            applicant=applicant(),
            materials=complete_materials(item),
            now=MONDAY,
        )
        cases.append(services.case_accept(case=case, actor=clerk, now=MONDAY))

    later = MONDAY + timedelta(days=30)
    results = run_together(4, lambda i: cases_raise_alerts(now=later))

    assert not [r for r in results if isinstance(r, Exception)], results
    raised = [r for batch in results for r in batch]
    assert len(raised) == 20 * 3
    assert len({(r.case_id, r.level) for r in raised}) == 60
    assert CaseEvent.objects.filter(action="alert").count() == 60
    call_command("verify_audit")
