"""Publishing a year's arrangement moves every open deadline that depends on it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.calendar.arrangements import DaySpec
from workflows.calendar.engine import DayKind
from workflows.calendar.models import CalendarYear
from workflows.calendar.services import calendar_publish_year
from workflows.cases.clock import local_date
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
ACCEPTED = datetime(2026, 12, 10, 10, tzinfo=TZ)  # Thursday


def made_up_2027() -> list[DaySpec]:
    """A fictitious 2027 notice: 1-1 off, and also Monday 1-4 off."""
    return [
        DaySpec(day=date(2027, 1, 1), kind=DayKind.HOLIDAY, festival="元旦"),
        DaySpec(day=date(2027, 1, 4), kind=DayKind.HOLIDAY, festival="元旦"),
    ]


def test_a_deadline_reaching_2027_is_provisional_and_moves_on_publication(
    case_factory: CaseFactory, item, officer: User
) -> None:
    item.promised_limit_days = 20
    item.statutory_limit_days = 20
    item.save()
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    # 20 working days: 12-11 … 12-31 make 15, 2027-01-01 is 元旦 (statutory, provisional),
    # then 1-4 … 1-8.
    assert local_date(case.promised_due_at) == date(2027, 1, 8)
    assert case.due_provisional is True

    calendar_publish_year(year=2027, days=made_up_2027(), notice="测试通知〔2026〕1号", actor=None)

    case.refresh_from_db()
    assert local_date(case.promised_due_at) == date(2027, 1, 11)
    assert case.due_provisional is False
    event = CaseEvent.objects.get(case=case, action="recompute_clock")
    assert event.payload["old"]["promised_due"] == "2027-01-08"
    assert event.payload["new"]["promised_due"] == "2027-01-11"
    assert event.actor is None
    assert "2027" in event.payload["reason"]


def test_a_closed_or_unaffected_case_is_left_alone(
    case_factory: CaseFactory, officer: User
) -> None:
    march = datetime(2026, 3, 2, 10, tzinfo=TZ)
    case = case_factory(at=march, status="in_progress", officer=officer)
    calendar_publish_year(year=2027, days=made_up_2027(), notice="测试通知〔2026〕1号", actor=None)
    assert not CaseEvent.objects.filter(case=case, action="recompute_clock").exists()


def test_publication_rolls_back_with_its_recomputations(
    case_factory: CaseFactory, item, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    item.promised_limit_days = 20
    item.statutory_limit_days = 20
    item.save()
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)

    def boom(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("disk full")

    monkeypatch.setattr("workflows.cases.services.upkeep.case_recompute_clock", boom)
    with pytest.raises(RuntimeError):
        calendar_publish_year(
            year=2027, days=made_up_2027(), notice="测试通知〔2026〕1号", actor=None
        )

    case.refresh_from_db()
    assert case.due_provisional is True
    assert not CalendarYear.objects.filter(year=2027, status="published").exists()
