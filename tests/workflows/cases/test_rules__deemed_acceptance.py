"""行政许可法第三十二条 on every path: past the 5th working day the application stands accepted.

Time is moved with time-machine and the services read the clock themselves,
as a clerk's click does; the sweep is never run, so the rule cannot come from it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import errors, services
from workflows.cases.clock import local_date
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import CaseEvent, Status

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 3, 2, 10, tzinfo=TZ)  # Mon; deemed accepted after Mon 03-09
LATE = datetime(2026, 3, 11, 9, tzinfo=TZ)  # Wed, before any sweep


def test_a_late_click_accepts_as_of_receipt(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=RECEIVED)
    with time_machine.travel(LATE, tick=False):
        case = services.case_accept(case=case, actor=clerk)

    assert case.accepted_at == RECEIVED
    assert case.deemed_accepted is True
    # 5 promised working days from Mon 03-02: due Mon 03-09, already past.
    assert local_date(case.promised_due_at) == date(2026, 3, 9)
    event = CaseEvent.objects.get(case=case, action="accept")
    assert datetime.fromisoformat(event.payload["accepted_as_of"]) == RECEIVED


def test_a_click_in_time_starts_the_clock_on_the_click(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=RECEIVED)
    in_time = datetime(2026, 3, 9, 17, tzinfo=TZ)
    with time_machine.travel(in_time, tick=False):
        case = services.case_accept(case=case, actor=clerk)
    assert case.accepted_at == in_time
    assert case.deemed_accepted is False


def test_a_late_acceptance_after_a_supplement_dates_from_the_supplement(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=RECEIVED)
    case = services.case_request_correction(
        case=case,
        actor=clerk,
        lines=[services.CorrectionLine(position=1, problem="复印件不清晰")],
        now=datetime(2026, 3, 3, 9, tzinfo=TZ),
    )
    supplemented = datetime(2026, 3, 4, 9, tzinfo=TZ)  # deemed after Wed 03-11
    case = services.case_supplement(
        case=case,
        actor=clerk,
        lines=[services.MaterialLine(position=1, copies=1, pages=1)],
        now=supplemented,
    )
    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=TZ), tick=False):
        case = services.case_accept(case=case, actor=clerk)
    assert case.accepted_at == supplemented
    assert case.deemed_accepted is True


def test_rejection_is_refused_once_the_application_stands_accepted(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=RECEIVED)
    with time_machine.travel(LATE, tick=False), pytest.raises(TransitionRefused) as refused:
        services.case_reject(case=case, actor=clerk, reason="不属于本机关职权范围")
    assert refused.value.message == str(errors.REJECT_AFTER_DEEMED_ACCEPTANCE)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert not CaseEvent.objects.filter(case=case, action="reject").exists()


def test_rejection_in_time_is_allowed(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=RECEIVED)
    with time_machine.travel(datetime(2026, 3, 9, 23, 59, tzinfo=TZ), tick=False):
        case = services.case_reject(case=case, actor=clerk, reason="不属于本机关职权范围")
    assert case.status == Status.REJECTED


def test_a_correction_notice_is_refused_once_the_application_stands_accepted(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=RECEIVED)
    with time_machine.travel(LATE, tick=False), pytest.raises(InvalidRequest) as refused:
        services.case_request_correction(
            case=case,
            actor=clerk,
            lines=[services.CorrectionLine(position=1, problem="复印件不清晰")],
        )
    assert refused.value.message == str(errors.CORRECTION_TOO_LATE)


def test_a_deemed_acceptance_deadline_in_an_unpublished_year_is_labelled_provisional(
    case_factory: CaseFactory,
) -> None:
    late_december = case_factory(at=datetime(2026, 12, 28, 10, tzinfo=TZ))
    receipt = CaseEvent.objects.get(case=late_december, action="receive")
    assert local_date(late_december.deemed_acceptance_at) == date(2027, 1, 5)
    assert receipt.clock["provisional"] is True

    in_march = case_factory(at=RECEIVED)
    assert CaseEvent.objects.get(case=in_march, action="receive").clock["provisional"] is False
