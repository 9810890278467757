"""A repeated request with the same key is a no-op, not a second event."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_second_identical_accept_is_a_noop(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, idempotency_key="k1", now=MONDAY)
    again = services.case_accept(case=case, actor=clerk, idempotency_key="k1", now=MONDAY)

    assert again.status == "accepted"
    assert CaseEvent.objects.filter(case=case).count() == 2  # receive + one accept


def test_key_reused_for_another_action_is_refused(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, idempotency_key="k1", now=MONDAY)
    with pytest.raises(InvalidRequest):
        services.case_start(case=case, actor=officer, idempotency_key="k1", now=MONDAY)


def test_repeated_receipt_returns_the_same_case(county, item, clerk: User) -> None:
    from tests.conftest import applicant

    first = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        idempotency_key="form-1",
        now=MONDAY,
    )
    second = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        idempotency_key="form-1",
        now=MONDAY,
    )
    assert first.pk == second.pk
    assert first.number == "PY-2026-000001"
