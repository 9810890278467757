"""行政许可法第四十二条: one extension, approved by the head, within the statutory limit.

The promise that was broken stays broken; only the statutory date moves.
An item whose local rule is stricter extends only within the promise.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import errors, services
from workflows.cases.alerts import Light, light_of
from workflows.cases.clock import local_date
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Extension
from workflows.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
ACCEPTED = datetime(2026, 3, 2, 9, tzinfo=TZ)  # Mon: promised 5 → 03-09, statutory 10 → 03-16
AFTER_PROMISE = datetime(2026, 3, 11, 10, tzinfo=TZ)


def _due(moment: datetime | None) -> str:
    assert moment is not None
    return local_date(moment).isoformat()


def test_after_the_promise_the_statutory_limit_still_allows_an_extension(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with time_machine.travel(AFTER_PROMISE, tick=False):
        services.case_request_extension(case=case, actor=officer, days=10, reason="需外省协查")
        services.case_decide_extension(case=case, actor=head, approve=True)
        case.refresh_from_db()
        # The broken promise stays broken; the statutory date moves by 10 working days.
        assert _due(case.promised_due_at) == "2026-03-09"
        assert _due(case.statutory_due_at) == "2026-03-30"
        assert light_of(case, AFTER_PROMISE) == Light.RED
    extension = Extension.objects.get(case=case)
    assert extension.extends_promise is False
    # Recomputing the clock (e.g. a calendar published) keeps it so.
    services.case_recompute_clock(case=case, reason="test")
    case.refresh_from_db()
    assert _due(case.promised_due_at) == "2026-03-09"


def test_an_extension_within_the_promise_moves_both_dates(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with time_machine.travel(datetime(2026, 3, 5, 10, tzinfo=TZ), tick=False):
        services.case_request_extension(case=case, actor=officer, days=10, reason="需外省协查")
        services.case_decide_extension(case=case, actor=head, approve=True)
    case.refresh_from_db()
    assert (_due(case.promised_due_at), _due(case.statutory_due_at)) == (
        "2026-03-23",
        "2026-03-30",
    )


def test_after_the_statutory_limit_no_extension(case_factory: CaseFactory, officer: User) -> None:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with (
        time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=TZ), tick=False),
        pytest.raises(InvalidRequest) as refused,
    ):
        services.case_request_extension(case=case, actor=officer, days=5, reason="晚了")
    assert refused.value.message == errors.EXTENSION_AFTER_STATUTORY_DEADLINE % {
        "due": "2026-03-16"
    }
    assert not case.extensions.exists()


def test_approval_after_the_statutory_limit_is_refused(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=TZ), tick=False):
        services.case_request_extension(case=case, actor=officer, days=5, reason="协查")
    with (
        time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=TZ), tick=False),
        pytest.raises(InvalidRequest),
    ):
        services.case_decide_extension(case=case, actor=head, approve=True)


def test_a_stricter_local_rule_extends_only_within_the_promise(
    case_factory: CaseFactory, item: ServiceItem, officer: User
) -> None:
    item.extension_within_promise = True
    item.save()
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    with time_machine.travel(AFTER_PROMISE, tick=False), pytest.raises(InvalidRequest) as refused:
        services.case_request_extension(case=case, actor=officer, days=5, reason="晚了")
    assert refused.value.message == errors.EXTENSION_AFTER_DEADLINE % {"due": "2026-03-09"}


def test_one_request_per_case_in_the_service_and_the_database(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    from django.db import IntegrityError, transaction

    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    first = services.case_request_extension(
        case=case, actor=officer, days=3, reason="a", now=datetime(2026, 3, 3, tzinfo=TZ)
    )
    services.case_decide_extension(
        case=case, actor=head, approve=False, now=datetime(2026, 3, 3, tzinfo=TZ)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            case=case,
            days=2,
            reason="b",
            state=Extension.State.REQUESTED,
            requested_by=officer,
            requested_at=first.requested_at,
        )
