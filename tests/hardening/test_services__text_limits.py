"""Every free text is bounded in the services, whatever form (or script) sends it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory, applicant
from workflows.cases import services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, CaseEvent, Extension
from workflows.catalog.models import Center, ServiceItem

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
THURSDAY = datetime(2026, 3, 5, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_210000_character_extension_reason_is_refused(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    with pytest.raises(InvalidRequest, match="最多 2000 个字，现为 210000 个字"):
        services.case_request_extension(
            case=case, actor=officer, days=5, reason="理" * 210_000, now=THURSDAY
        )
    assert not Extension.objects.exists()


def test_a_reason_at_the_limit_is_accepted(case_factory: CaseFactory, officer: User) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    services.case_request_extension(
        case=case, actor=officer, days=5, reason="理" * services.REASON_MAX, now=THURSDAY
    )
    assert Extension.objects.count() == 1


def test_an_overlong_withdrawal_reason_is_refused_and_nothing_recorded(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=MONDAY)
    with pytest.raises(InvalidRequest, match="填写的内容过长"):
        services.case_withdraw(case=case, actor=clerk, reason="撤" * 5000, now=MONDAY)
    case.refresh_from_db()
    assert case.status == "received"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_an_overlong_address_is_refused_not_a_database_error(
    county: Center, item: ServiceItem, clerk: User
) -> None:
    with pytest.raises(InvalidRequest, match="最多 200 个字"):
        services.case_receive(
            center=county, item=item, actor=clerk, applicant=applicant(address="村" * 201)
        )
    assert not Case.objects.exists()
