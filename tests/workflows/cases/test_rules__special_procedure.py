"""特别程序 (第四十五条): the 公示 period is enforced by case_resume itself, not only by a form."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import errors, services
from workflows.cases.errors import ActionForbidden, TransitionRefused
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


def test_any_case_in_processing_goes_into_a_special_procedure_with_its_notice(
    case_factory: CaseFactory, officer: User
) -> None:
    from documents.models import Document, DocumentKind

    case = case_factory(
        at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="in_progress", officer=officer
    )
    with time_machine.travel(STARTED, tick=False):
        case = services.case_suspend(
            case=case, actor=officer, procedure="hearing", expected_days=20, reason="听证"
        )
    assert case.status == Status.SUSPENDED
    notice = Document.objects.get(case=case, kind=DocumentKind.SPECIAL)
    body = notice.content["body"]
    assert (body["procedure"], body["expected_days"], body["started_on"]) == (
        "听证",
        20,
        "2026-03-03",
    )
    suspension = Suspension.objects.get(case=case)
    assert services.suspension_expected_end(suspension).isoformat() == body["expected_end"]


def test_only_the_current_officer_or_a_head_orders_and_ends_it(
    case_factory: CaseFactory, officer: User, head: User, clerk: User, other_officer: User
) -> None:
    from tests.factories import staff
    from workflows.catalog import roles

    colleague = staff("colleague", roles.OFFICER, department=officer.staff.department)
    case = case_factory(
        at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="in_progress", officer=officer
    )
    for outsider in (colleague, clerk, other_officer):
        with pytest.raises(ActionForbidden):
            services.case_suspend(
                case=case, actor=outsider, procedure="testing", expected_days=3, now=STARTED
            )
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert not case.suspensions.exists()

    services.case_suspend(case=case, actor=head, procedure="testing", expected_days=3, now=STARTED)
    for outsider in (colleague, clerk, other_officer):
        with pytest.raises(ActionForbidden):
            services.case_resume(case=case, actor=outsider, now=STARTED)
    case = services.case_resume(case=case, actor=officer, now=STARTED)
    assert case.status == Status.IN_PROGRESS


def test_the_expected_end_counts_working_days_from_the_beijing_start(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(
        at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="in_progress", officer=officer
    )
    # Friday 23:30 in Beijing: day 1 is Monday, day 3 Wednesday.
    with time_machine.travel(datetime(2026, 3, 6, 23, 30, tzinfo=TZ), tick=False):
        services.case_suspend(case=case, actor=officer, procedure="testing", expected_days=3)
    suspension = Suspension.objects.get(case=case)
    assert services.suspension_expected_end(suspension).isoformat() == "2026-03-11"
    assert services.special_procedures_mark_overrun(now=datetime(2026, 3, 11, 23, tzinfo=TZ)) == []
    late = services.special_procedures_mark_overrun(now=datetime(2026, 3, 12, 0, 5, tzinfo=TZ))
    assert [(o.case_id, o.procedure, o.expected_days) for o in late] == [(case.pk, "检测", 3)]
    again = services.special_procedures_mark_overrun(now=datetime(2026, 3, 13, 9, tzinfo=TZ))
    assert again == []
