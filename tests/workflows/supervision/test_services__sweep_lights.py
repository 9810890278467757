"""The sweep turns a case yellow, red and statutory red at exactly the right moments.

Item: promised 5, statutory 10 working days, yellow with 2 working days left.
Accepted Thu 2026-02-12: day 1 is Fri 02-13, day 2 the make-up Saturday 02-14,
then the Spring Festival (02-15 to 02-23) stops the clock; day 3 is Tue 02-24.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.cases.alerts import Light, light_of
from workflows.cases.models import Case, CaseEvent
from workflows.supervision.models import Escalation
from workflows.supervision.services import sweep_deadlines

ONE_MS = timedelta(milliseconds=1)


def sweep_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_deadlines()


def levels(case: Case) -> list[int]:
    return list(
        Escalation.objects.filter(case=case).order_by("level").values_list("level", flat=True)
    )


def check(case: Case, moment: datetime, expected: list[int], light: Light) -> None:
    """Sweep at ``moment``; the case has the escalations ``expected`` and shows ``light``."""
    sweep_at(moment)
    case.refresh_from_db()
    assert levels(case) == expected, moment
    assert case.alert_level == int(light), moment
    assert light_of(case, moment) == light, moment


@pytest.mark.django_db
def test_green_yellow_red_statutory_red_across_the_spring_festival(
    case_factory: CaseFactory,
) -> None:
    with time_machine.travel(at(2026, 2, 12, 10), tick=False):
        case = case_factory(status="accepted")
    assert case.promised_due_at == at(2026, 2, 27) - timedelta(microseconds=1)
    assert case.statutory_due_at == at(2026, 3, 5) - timedelta(microseconds=1)

    check(case, at(2026, 2, 14, 12), [], Light.GREEN)  # the make-up Saturday: day 2
    check(case, at(2026, 2, 20, 12), [], Light.GREEN)  # in the holiday: the clock stands
    check(case, at(2026, 2, 24) - ONE_MS, [], Light.GREEN)
    check(case, at(2026, 2, 24), [1], Light.YELLOW)  # 2 working days left after today
    check(case, at(2026, 2, 27) - ONE_MS, [1], Light.YELLOW)  # the promised day's last instant
    check(case, at(2026, 2, 27), [1, 2], Light.RED)
    check(case, at(2026, 2, 28, 12), [1, 2], Light.RED)  # make-up Saturday counts for statutory
    check(case, at(2026, 3, 5) - ONE_MS, [1, 2], Light.RED)
    check(case, at(2026, 3, 5), [1, 2, 3], Light.STATUTORY_RED)
    check(case, at(2026, 3, 20), [1, 2, 3], Light.STATUTORY_RED)

    escalations = Escalation.objects.filter(case=case).order_by("level")
    assert [e.deadline_at for e in escalations] == [
        at(2026, 2, 24),
        case.promised_due_at,
        case.statutory_due_at,
    ]
    assert [e.created_at for e in escalations] == [at(2026, 2, 24), at(2026, 2, 27), at(2026, 3, 5)]
    assert [e.needs_order for e in escalations] == [False, True, True]
    assert CaseEvent.objects.filter(case=case, action="alert").count() == 3
    call_command("verify_audit")


@pytest.mark.django_db
def test_a_special_procedure_shifts_the_lights(case_factory: CaseFactory, officer: User) -> None:
    # Accepted Mon 03-02: due Mon 03-09, yellow from Thu 03-05 without the pause.
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        case = case_factory(status="in_progress", officer=officer)
    case_services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=3, now=at(2026, 3, 3, 9)
    )
    sweep_at(at(2026, 3, 5, 8))  # suspended: no light, though 03-05 was the old yellow day
    assert levels(case) == []
    case_services.case_resume(case=case, actor=officer, now=at(2026, 3, 5, 16))
    case.refresh_from_db()
    # 03-04 and 03-05 are not counted: due Wed 03-11, statutory Wed 03-18, yellow Mon 03-09.
    assert case.promised_due_at == at(2026, 3, 12) - timedelta(microseconds=1)
    check(case, at(2026, 3, 6, 12), [], Light.GREEN)
    check(case, at(2026, 3, 9) - ONE_MS, [], Light.GREEN)
    check(case, at(2026, 3, 9), [1], Light.YELLOW)
    check(case, at(2026, 3, 12) - ONE_MS, [1], Light.YELLOW)
    check(case, at(2026, 3, 12), [1, 2], Light.RED)
    check(case, at(2026, 3, 19), [1, 2, 3], Light.STATUTORY_RED)


@pytest.mark.django_db
def test_an_extension_turns_yellow_back_to_green_without_a_second_escalation(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        case = case_factory(status="in_progress", officer=officer)
    check(case, at(2026, 3, 5), [1], Light.YELLOW)
    case_services.case_request_extension(
        case=case, actor=officer, days=5, reason="需现场核查", now=at(2026, 3, 6, 9)
    )
    case_services.case_decide_extension(case=case, actor=head, approve=True, now=at(2026, 3, 6, 10))
    case.refresh_from_db()
    assert case.alert_level == 0
    # Due Mon 03-16 now; yellow again from Thu 03-12, red from Tue 03-17.
    check(case, at(2026, 3, 9, 12), [1], Light.GREEN)
    # Yellow again, but the yellow 督办 of 03-05 stands: not a second one.
    check(case, at(2026, 3, 12), [1], Light.YELLOW)
    check(case, at(2026, 3, 17) - ONE_MS, [1], Light.YELLOW)
    check(case, at(2026, 3, 17), [1, 2], Light.RED)
    call_command("verify_audit")
