"""特别程序超期: the sweep warns the officer and the supervisors once per procedure."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.concurrency import run_together
from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from tests.workflows.supervision.test_services__sweep_exactly_once import make_world
from workflows.cases import services as case_services
from workflows.cases.models import Case, Suspension
from workflows.notifications.models import Notification
from workflows.supervision import services

ACCEPTED = at(2026, 3, 2, 9)
SUSPENDED = at(2026, 3, 3, 10)  # 鉴定, 3 working days: 03-04, 03-05, 03-06 (Fri)
LAST_DAY = at(2026, 3, 6, 23, 30)
MONDAY = at(2026, 3, 9, 9)


def overrun_warnings() -> list[tuple[int, str]]:
    rows = Notification.objects.filter(kind=services.OVERRUN_KIND)
    return sorted(rows.values_list("recipient_id", "title"))


def appraisal(case: Case, officer: User, days: int = 3) -> Case:
    with time_machine.travel(SUSPENDED, tick=False):
        return case_services.case_suspend(
            case=case, actor=officer, procedure="appraisal", expected_days=days, reason="伤残鉴定"
        )


@pytest.fixture
def suspended(db: None, case_factory: CaseFactory, officer: User) -> Case:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    return appraisal(case, officer)


def test_no_warning_while_the_expected_days_last(
    suspended: Case, officer: User, supervisor: User
) -> None:
    report = services.sweep_deadlines(now=LAST_DAY)
    assert report.special_overruns == 0
    assert overrun_warnings() == []


def test_past_its_days_the_officer_and_the_supervisor_are_warned_exactly_once(
    suspended: Case, officer: User, supervisor: User, head: User
) -> None:
    first = services.sweep_deadlines(now=MONDAY)
    second = services.sweep_deadlines(now=at(2026, 3, 10, 9))

    assert (first.special_overruns, second.special_overruns) == (1, 0)
    title = (
        f"【特别程序超期】{suspended.number} {suspended.item.name} "
        "的鉴定已超过预计的 3 个工作日（2026-03-06）"
    )
    assert overrun_warnings() == sorted([(officer.pk, title), (supervisor.pk, title)])
    suspension = Suspension.objects.get(case=suspended)
    assert suspension.overrun_warned_at == MONDAY
    assert suspension.ended_at is None  # a warning, not an end: the officer decides


def test_a_procedure_ended_in_time_is_never_warned(
    suspended: Case, officer: User, supervisor: User
) -> None:
    with time_machine.travel(at(2026, 3, 6, 16), tick=False):
        case_services.case_resume(case=suspended, actor=officer)
    assert services.sweep_deadlines(now=MONDAY).special_overruns == 0
    assert overrun_warnings() == []


def test_a_second_procedure_of_the_same_case_is_warned_on_its_own(
    suspended: Case, officer: User, supervisor: User
) -> None:
    services.sweep_deadlines(now=MONDAY)
    with time_machine.travel(at(2026, 3, 9, 10), tick=False):
        case = case_services.case_resume(case=suspended, actor=officer)
        case = case_services.case_suspend(
            case=case, actor=officer, procedure="testing", expected_days=1, reason="复检"
        )
    assert services.sweep_deadlines(now=at(2026, 3, 11, 9)).special_overruns == 1
    assert len(overrun_warnings()) == 4  # two people, two procedures


def test_concurrent_sweeps_warn_each_overrun_once(transactional_db: None) -> None:
    cases, people = make_world(5)
    for case in cases:
        appraisal(case, people["officer"])

    results = run_together(4, lambda i: services.sweep_deadlines(now=MONDAY))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.special_overruns for r in results) == [0, 0, 0, 5]  # type: ignore[attr-defined]
    warned = Notification.objects.filter(kind=services.OVERRUN_KIND)
    assert warned.count() == 5 * 2  # officer and supervisor of each case
    assert set(warned.values_list("recipient_id", flat=True)) == {
        people["officer"].pk,
        people["supervisor"].pk,
    }


def test_the_marking_step_alone_returns_each_overrun_once(transactional_db: None) -> None:
    # Without the sweep's advisory lock: the UPDATE's re-check is the guarantee.
    cases, people = make_world(4)
    for case in cases:
        appraisal(case, people["officer"])

    results = run_together(4, lambda i: case_services.special_procedures_mark_overrun(now=MONDAY))

    assert not [r for r in results if isinstance(r, Exception)], results
    found = [o.case_id for r in results for o in r]  # type: ignore[attr-defined]
    assert sorted(found) == sorted(c.pk for c in cases)


def test_a_one_day_procedure_is_late_the_first_minute_after_its_day(
    db: None, case_factory: CaseFactory, officer: User, supervisor: User
) -> None:
    # Begun Tuesday 23:50 Beijing, one working day: Wednesday 03-04 is its day. The sweep
    # reads only procedures that began N calendar days before today's midnight; this one
    # sits exactly on that line and must be found at 00:01 on Thursday, not a day later.
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with time_machine.travel(at(2026, 3, 3, 23, 50), tick=False):
        case_services.case_suspend(
            case=case, actor=officer, procedure="appraisal", expected_days=1, reason="伤残鉴定"
        )
    assert services.sweep_deadlines(now=at(2026, 3, 4, 23, 59)).special_overruns == 0
    assert services.sweep_deadlines(now=at(2026, 3, 5, 0, 1)).special_overruns == 1
