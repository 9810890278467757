"""The 督办单: issued after the sweep from the escalation outbox, once per breach."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from documents.models import Document, DocumentKind
from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.cases.models import Case
from workflows.supervision import orders, services
from workflows.supervision.models import Escalation

LATE = at(2026, 3, 18, 9)  # past the promised (03-09) and the statutory (03-16) dates


@pytest.fixture
def late_case(case_factory: CaseFactory, officer: User) -> Case:
    return case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)


@pytest.mark.django_db
def test_red_and_statutory_red_get_an_order_yellow_does_not(late_case: Case) -> None:
    report = services.sweep_deadlines(now=LATE)
    assert report.orders_issued == 2
    assert report.orders_pending == 0
    docs = Document.objects.filter(case=late_case, kind=DocumentKind.SUPERVISION)
    assert docs.count() == 2
    by_level = {e.level: e for e in Escalation.objects.filter(case=late_case)}
    assert by_level[1].order_number == ""
    assert by_level[1].order_issued_at is None
    for level in (2, 3):
        assert by_level[level].order_issued_at == LATE
        assert docs.filter(number=by_level[level].order_number).exists()
    statutory = docs.get(number=by_level[3].order_number)
    assert statutory.content["body"]["level"] == "超法定时限督办"
    assert "法定办结期限（2026-03-16）" in statutory.content["body"]["reason"]
    assert statutory.content["body"]["reply_by"] == "2026-03-20"  # 2 working days after 03-18

    services.sweep_deadlines(now=LATE)
    assert services.escalations_issue_orders(now=LATE) == 0
    assert docs.count() == 2


@pytest.mark.django_db
def test_a_failing_order_is_kept_retried_and_then_issued(
    late_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> object:
        raise ValueError("seal misconfigured")

    monkeypatch.setattr(orders, "issue_order", broken)
    report = services.sweep_deadlines(now=LATE)
    assert report.escalations == 3  # the sweep itself is not affected
    assert report.orders_issued == 0
    assert report.orders_pending == 2
    failed = Escalation.objects.filter(case=late_case, level=2).get()
    assert failed.order_attempts == 1
    assert "seal misconfigured" in failed.order_error

    monkeypatch.undo()
    assert services.escalations_issue_orders(now=LATE) == 2
    failed.refresh_from_db()
    assert failed.order_number
    assert failed.order_error == ""


@pytest.mark.django_db
def test_orders_can_be_left_for_later(late_case: Case) -> None:
    report = services.sweep_deadlines(now=LATE, issue_orders=False)
    assert (report.orders_issued, report.orders_pending) == (0, 2)
    assert not Document.objects.filter(kind=DocumentKind.SUPERVISION).exists()
    assert services.escalations_issue_orders(now=LATE, batch=1) == 2
