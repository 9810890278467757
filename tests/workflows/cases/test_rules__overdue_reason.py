"""A late delivery needs a reason; "other" needs it written (case_close; the forms repeat it)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import errors, services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, Status
from workflows.window.forms import DeliverForm, new_key

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
ACCEPTED = datetime(2026, 3, 2, 9, tzinfo=TZ)  # promised 5 working days: 03-09
IN_TIME = datetime(2026, 3, 6, 10, tzinfo=TZ)
LATE = datetime(2026, 3, 20, 10, tzinfo=TZ)


@pytest.fixture
def decided(case_factory: CaseFactory, officer: User) -> Case:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    return services.case_decide(case=case, actor=officer, decision="approved", now=IN_TIME)


def close(case: Case, clerk: User, **kwargs: str) -> Case:
    return services.case_close(case=case, actor=clerk, delivery_method="window", now=LATE, **kwargs)


def test_a_late_delivery_without_a_reason_is_refused(decided: Case, clerk: User) -> None:
    with pytest.raises(InvalidRequest) as refused:
        close(decided, clerk)
    assert refused.value.message == errors.OVERDUE_REASON_REQUIRED
    assert Case.objects.get(pk=decided.pk).status == Status.DECIDED


def test_other_without_a_written_reason_is_refused_by_the_service(
    decided: Case, clerk: User
) -> None:
    for text in ("", "   "):
        with pytest.raises(InvalidRequest) as refused:
            close(decided, clerk, overdue_reason="other", overdue_reason_text=text)
        assert refused.value.message == errors.OVERDUE_REASON_TEXT_REQUIRED
    assert Case.objects.get(pk=decided.pk).status == Status.DECIDED

    closed = close(decided, clerk, overdue_reason="other", overdue_reason_text="申请人住院")
    assert (closed.status, closed.overdue_reason, closed.overdue_reason_text) == (
        Status.CLOSED,
        "other",
        "申请人住院",
    )


def test_a_listed_reason_needs_no_text(decided: Case, clerk: User) -> None:
    closed = close(decided, clerk, overdue_reason="complex_case")
    assert (closed.overdue_reason, closed.overdue_reason_text) == ("complex_case", "")


def test_an_in_time_delivery_needs_no_reason(decided: Case, clerk: User) -> None:
    closed = services.case_close(case=decided, actor=clerk, delivery_method="window", now=IN_TIME)
    assert (closed.status, closed.overdue_reason) == (Status.CLOSED, "")


def test_the_window_form_repeats_the_rule(decided: Case) -> None:
    def form(**data: str) -> DeliverForm:
        bound = DeliverForm(
            {"key": new_key(), "delivery_method": "window", **data}, item=decided.item, late=True
        )
        bound.is_valid()
        return bound

    assert "overdue_reason" in form().errors
    other = form(overdue_reason="other", overdue_reason_text=" ")
    assert other.errors["overdue_reason_text"] == [str(errors.OVERDUE_REASON_TEXT_REQUIRED)]
    assert form(overdue_reason="other", overdue_reason_text="申请人住院").is_valid()
    assert form(overdue_reason="complex_case").is_valid()
    on_time = DeliverForm(
        {"key": new_key(), "delivery_method": "window"}, item=decided.item, late=False
    )
    assert on_time.is_valid()
