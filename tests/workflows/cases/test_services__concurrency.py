"""Numbers stay gapless, and double clicks act once, under real concurrency."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.concurrency import run_together
from tests.conftest import applicant, complete_materials
from tests.factories import CenterFactory, ServiceItemFactory, staff
from workflows.calendar.services import calendar_seed
from workflows.cases import services
from workflows.cases.errors import CaseConflict, TransitionRefused
from workflows.cases.models import Case, CaseEvent, Status
from workflows.catalog import roles

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)


@pytest.fixture
def world(transactional_db: None) -> dict[str, object]:
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    item = ServiceItemFactory(code="GA-TEST")
    clerk = staff("clerk", roles.CLERK, center=county)
    return {"county": county, "item": item, "clerk": clerk}


def test_32_threads_receiving_and_accepting_get_32_gapless_numbers(world: dict) -> None:
    def receive_and_accept(i: int) -> str:
        case = services.case_receive(
            center=world["county"],
            item=world["item"],
            actor=world["clerk"],
            applicant=applicant(),
            materials=complete_materials(world["item"]),
            now=MONDAY,
        )
        services.case_accept(case=case, actor=world["clerk"], now=MONDAY)
        return case.number

    numbers = run_together(32, receive_and_accept)

    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(numbers) == [f"PY-2026-{i:06d}" for i in range(1, 33)]
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 32


def test_a_rolled_back_receipt_gives_its_number_back(world: dict) -> None:
    bad = applicant(phone="not a phone")
    with pytest.raises(Exception):  # noqa: B017,PT011 -- any refusal; the number matters
        services.case_receive(
            center=world["county"],
            item=world["item"],
            actor=world["clerk"],
            applicant=bad,
            now=MONDAY,
        )
    case = services.case_receive(
        center=world["county"],
        item=world["item"],
        actor=world["clerk"],
        applicant=applicant(),
        now=MONDAY,
    )
    assert case.number == "PY-2026-000001"


def test_double_clicked_accept_with_the_same_key_accepts_once(world: dict) -> None:
    case = services.case_receive(
        center=world["county"],
        item=world["item"],
        actor=world["clerk"],
        applicant=applicant(),
        materials=complete_materials(world["item"]),
        now=MONDAY,
    )

    results = run_together(
        2,
        lambda i: services.case_accept(
            case=case, actor=world["clerk"], idempotency_key="accept-click-1", now=MONDAY
        ),
    )

    assert all(isinstance(r, Case) and r.status == Status.ACCEPTED for r in results), results
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_two_different_accepts_at_once_one_wins_the_other_is_told(world: dict) -> None:
    case = services.case_receive(
        center=world["county"],
        item=world["item"],
        actor=world["clerk"],
        applicant=applicant(),
        materials=complete_materials(world["item"]),
        now=MONDAY,
    )

    results = run_together(
        2, lambda i: services.case_accept(case=case, actor=world["clerk"], now=MONDAY)
    )

    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, CaseConflict | TransitionRefused)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_double_submitted_receipt_with_the_same_key_creates_one_case(world: dict) -> None:
    results = run_together(
        3,
        lambda i: services.case_receive(
            center=world["county"],
            item=world["item"],
            actor=world["clerk"],
            applicant=applicant(),
            idempotency_key="intake-form-7",
            now=MONDAY,
        ),
    )
    assert all(isinstance(r, Case) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Case.objects.count() == 1
