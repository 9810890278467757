"""Racing and crashing sweeps: each escalation exactly once, nothing missed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.concurrency import run_together
from tests.conftest import applicant, complete_materials
from tests.factories import CenterFactory, DepartmentFactory, ServiceItemFactory, staff
from tests.workflows.supervision.conftest import at
from workflows.calendar.services import calendar_seed
from workflows.cases import services as case_services
from workflows.cases.models import Case, CaseEvent
from workflows.catalog import roles
from workflows.notifications.models import Notification
from workflows.supervision import services
from workflows.supervision.models import Escalation

ACCEPTED = at(2026, 3, 2, 10)  # yellow 03-05, red 03-10, statutory red 03-17
LATER = at(2026, 4, 1, 9)


def make_world(count: int) -> tuple[list[Case], dict[str, User]]:
    """``count`` running cases at a county center, with the people who hear of them."""
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    department = DepartmentFactory(code="GA", name="公安")
    item = ServiceItemFactory(code="GA-TEST", department=department)
    people = {
        "clerk": staff("clerk", roles.CLERK, center=county),
        "officer": staff("officer", roles.OFFICER, department=department),
        "head": staff("head", roles.HEAD, department=department),
        "supervisor": staff("supervisor", roles.SUPERVISOR, center=county),
    }
    cases = []
    for _ in range(count):
        case = case_services.case_receive(
            center=county,
            item=item,
            actor=people["clerk"],
            applicant=applicant(),
            materials=complete_materials(item),
            now=ACCEPTED,
        )
        case = case_services.case_accept(case=case, actor=people["clerk"], now=ACCEPTED)
        cases.append(case_services.case_start(case=case, actor=people["officer"], now=ACCEPTED))
    return cases, people


def test_four_sweeps_at_once_escalate_each_breach_exactly_once(transactional_db: None) -> None:
    cases, _people = make_world(12)

    results = run_together(4, lambda i: services.sweep_deadlines(now=LATER))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.escalations for r in results) == 12 * 3  # type: ignore[attr-defined]
    assert sorted(r.escalations for r in results) == [0, 0, 0, 36]  # type: ignore[attr-defined]
    assert Escalation.objects.count() == 36
    pairs = set(Escalation.objects.values_list("case_id", "level"))
    assert pairs == {(c.pk, level) for c in cases for level in (1, 2, 3)}
    # officer (handler), head, clerk (first responder), supervisor: one each per case
    # (the three levels crossed in one sweep are told together, by the worst).
    assert Notification.objects.filter(kind="escalation").count() == 12 * 4
    assert CaseEvent.objects.filter(action="alert").count() == 36
    call_command("verify_audit")


def test_sweeps_racing_across_moments_still_escalate_once(transactional_db: None) -> None:
    cases, _people = make_world(6)
    moments = [at(2026, 3, 5, 1), at(2026, 3, 10, 1), at(2026, 3, 17, 1), LATER]

    results = run_together(4, lambda i: services.sweep_deadlines(now=moments[i]))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Escalation.objects.count() == 6 * 3
    for case in cases:
        assert sorted(Escalation.objects.filter(case=case).values_list("level", flat=True)) == [
            1,
            2,
            3,
        ]


@pytest.mark.parametrize("failing_step", ["escalations_notify", "escalations_insert"])
def test_a_sweep_that_dies_half_way_leaves_nothing_and_the_next_one_does_it_all(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, failing_step: str
) -> None:
    cases, _people = make_world(5)
    real = getattr(services, failing_step)

    def crash_after(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # the escalations (and maybe notifications) are written…
        raise RuntimeError("power cut")  # …then the process dies before commit

    monkeypatch.setattr(services, failing_step, crash_after)
    with pytest.raises(RuntimeError, match="power cut"):
        services.sweep_deadlines(now=LATER)
    assert Escalation.objects.count() == 0
    assert Notification.objects.count() == 0
    assert Case.objects.filter(alert_level__gt=0).count() == 0

    monkeypatch.setattr(services, failing_step, real)
    report = services.sweep_deadlines(now=LATER)
    again = services.sweep_deadlines(now=LATER + timedelta(minutes=1))

    assert report.escalations == 15
    assert (report.warned, report.overdue, report.statutory_overdue) == (5, 5, 5)
    assert again.escalations == 0
    assert again.notifications == 0
    assert Escalation.objects.count() == 15
    assert Notification.objects.filter(kind="escalation").count() == 5 * 4
    assert set(Escalation.objects.values_list("case_id", "level")) == {
        (c.pk, level) for c in cases for level in (1, 2, 3)
    }
    call_command("verify_audit")


def test_escalations_insert_ignores_pairs_that_exist(transactional_db: None) -> None:
    # The unique constraint, not the UPDATE, is the last line: re-inserting adds nothing.
    cases, _people = make_world(2)
    services.sweep_deadlines(now=LATER)
    from workflows.cases.alerts import Light, Raised

    again = services.escalations_insert(
        raised=[Raised(c.pk, Light.RED) for c in cases], now=LATER + timedelta(hours=1)
    )
    assert again == []
    assert Escalation.objects.count() == 6


def test_more_cases_than_one_batch_are_all_raised(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workflows.cases import alerts

    monkeypatch.setattr(alerts, "_BATCH", 2)
    cases, _people = make_world(5)
    report = services.sweep_deadlines(now=LATER)
    assert (report.warned, report.overdue, report.statutory_overdue) == (5, 5, 5)
    assert set(Escalation.objects.values_list("case_id", "level")) == {
        (c.pk, level) for c in cases for level in (1, 2, 3)
    }
