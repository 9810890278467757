"""The first responder is told of the decision once; the case closes only on confirmed delivery."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.conftest import CaseFactory
from tests.factories import ImmediateServiceItemFactory
from tests.workflows.firstquestion.conftest import login
from workflows.cases import errors as case_errors
from workflows.cases import services
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import Case, CaseEvent, Status
from workflows.cases.signals import case_event_recorded
from workflows.catalog.models import Department
from workflows.firstquestion.receivers import DECIDED_KIND, decided_dedupe_key
from workflows.notifications.models import Notification

pytestmark = pytest.mark.django_db


def decided_notices(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=DECIDED_KIND))


def test_first_responder_is_notified_on_decision_once(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    assert decided_notices(clerk) == []  # receive, accept, start: nothing yet

    case = services.case_decide(
        case=case, actor=officer, decision="approved", idempotency_key="decide-1"
    )
    services.case_decide(case=case, actor=officer, decision="approved", idempotency_key="decide-1")
    # Even a replayed signal adds nothing: the dedupe key is per case.
    event = CaseEvent.objects.get(case=case, action="decide")
    case_event_recorded.send(sender=Case, case=case, event=event)

    (notice,) = decided_notices(clerk)
    assert notice.case_id == case.pk
    assert notice.dedupe_key == decided_dedupe_key(case)
    assert case.number in notice.title
    assert "准予" in notice.title
    assert notice.url == reverse("window:case_detail", kwargs={"number": case.number})
    assert decided_notices(officer) == []


def test_the_notice_is_written_in_the_deciding_transaction(
    case_factory: CaseFactory, clerk: User, officer: User, department: Department
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    with pytest.raises(InvalidRequest):
        # A denial without reasons is refused: nothing decided, nobody told.
        services.case_decide(case=case, actor=officer, decision="denied", reason="")

    assert decided_notices(clerk) == []


def test_first_responder_deciding_themselves_gets_no_notice(
    case_factory: CaseFactory, clerk: User, department: Department
) -> None:
    immediate = ImmediateServiceItemFactory(code="JB-1", department=department)
    case = case_factory(status="accepted", service_item=immediate)

    services.case_decide(case=case, actor=clerk, decision="approved")

    assert decided_notices(clerk) == []


@pytest.mark.parametrize("status", ["received", "accepted", "in_progress"])
def test_a_case_cannot_close_before_it_is_decided(
    case_factory: CaseFactory, clerk: User, officer: User, status: str
) -> None:
    case = case_factory(status=status, officer=officer)

    with pytest.raises(TransitionRefused):
        services.case_close(case=case, actor=clerk, delivery_method="window")

    case.refresh_from_db()
    assert case.status == status
    assert case.closed_at is None


def test_a_decided_case_cannot_close_without_a_delivery_method(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    case = services.case_decide(case=case, actor=officer, decision="approved")

    with pytest.raises(InvalidRequest) as refused:
        services.case_close(case=case, actor=clerk, delivery_method="")

    assert refused.value.message == str(case_errors.DELIVERY_METHOD_REQUIRED)
    case.refresh_from_db()
    assert case.status == Status.DECIDED


def test_confirmed_delivery_closes_it_and_my_first_questions_show_who_and_when(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    case = services.case_decide(case=case, actor=officer, decision="approved")
    client = login(clerk)
    waiting = client.get(reverse("firstquestion:mine")).content.decode()
    assert "待送达申请人" in waiting

    case = services.case_close(case=case, actor=clerk, delivery_method="post")

    assert case.status == Status.CLOSED
    assert case.delivered_by == clerk
    assert case.closed_at is not None
    page = client.get(reverse("firstquestion:mine") + "?show=all").content.decode()
    assert case.number in page
    assert "邮寄送达" in page
    assert timezone.localtime(case.closed_at).strftime("%Y-%m-%d") in page
