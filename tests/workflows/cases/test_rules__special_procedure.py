"""特别程序 (第四十五条): the 公示 period is enforced by case_resume itself, not only by a form."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import errors, services
from workflows.cases.errors import TransitionRefused
from workflows.cases.models import Status, Suspension

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
STARTED = datetime(2026, 3, 3, 10, tzinfo=TZ)  # 公示 7 days: to 03-10


def test_a_public_notice_cannot_end_before_its_seven_days(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(
        at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="in_progress", officer=officer
    )
    with time_machine.travel(STARTED, tick=False):
        services.case_suspend(
            case=case,
            actor=officer,
            procedure=Suspension.Procedure.PUBLIC_NOTICE,
            expected_days=5,
            reason="张榜公示",
        )
    with (
        time_machine.travel(datetime(2026, 3, 9, 17, tzinfo=TZ), tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        services.case_resume(case=case, actor=officer)
    assert refused.value.message == errors.PUBLIC_NOTICE_NOT_OVER % {"end": "2026-03-10"}
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED

    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=TZ), tick=False):
        case = services.case_resume(case=case, actor=officer)
    assert case.status == Status.IN_PROGRESS


def test_other_procedures_end_when_the_officer_says(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(
        at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="in_progress", officer=officer
    )
    services.case_suspend(
        case=case, actor=officer, procedure="appraisal", expected_days=10, now=STARTED
    )
    case = services.case_resume(case=case, actor=officer, now=STARTED)
    assert case.status == Status.IN_PROGRESS
