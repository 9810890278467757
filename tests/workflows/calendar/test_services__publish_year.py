"""Publishing, importing and withdrawing: replaced days, audit rows, the signal, the cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from workflows.calendar import api
from workflows.calendar.arrangements import (
    DAY_OUTSIDE_YEAR,
    MAKEUP_ON_WEEKDAY,
    ArrangementError,
    DaySpec,
    YearArrangement,
    parse_arrangements,
)
from workflows.calendar.engine import DayKind, WorkingCalendar
from workflows.calendar.models import CalendarChange, CalendarYear, ExceptionDay
from workflows.calendar.services import (
    DAY_CLAIMED,
    NOT_PUBLISHED,
    NOTICE_REQUIRED,
    calendar_import_arrangements,
    calendar_publish_year,
    calendar_withdraw_year,
)
from workflows.calendar.signals import calendar_changed

from .conftest import YAML_2027

pytestmark = pytest.mark.django_db

HOLIDAY = DayKind.HOLIDAY
MAKEUP = DayKind.MAKEUP


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    """Every calendar_changed sent during the test, with what api.get_calendar() said then."""
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append(
            kwargs
            | {
                "sender": sender,
                "in_atomic_block": transaction.get_connection().in_atomic_block,
                "seen": api.get_calendar(),
            }
        )

    calendar_changed.connect(receiver, dispatch_uid="test-calendar-receiver")
    yield calls
    calendar_changed.disconnect(dispatch_uid="test-calendar-receiver")


@pytest.fixture
def actor() -> User:
    return User.objects.create_user(username="calendar_admin", password="x")


def _publish_2027(actor: User | None) -> CalendarYear:
    return calendar_publish_year(
        year=2027,
        days=[
            DaySpec(day=date(2027, 2, 9), kind=HOLIDAY, festival="春节"),
            DaySpec(day=date(2027, 2, 20), kind=MAKEUP, festival="春节"),
        ],
        notice="国办发明电〔2026〕99号（测试）",
        actor=actor,
    )


def test_publishing_a_new_year(actor: User, received: list[dict[str, Any]]) -> None:
    row = _publish_2027(actor)
    assert row.status == CalendarYear.Status.PUBLISHED
    assert row.published_at is not None
    assert list(ExceptionDay.objects.filter(year=row).values_list("date", "kind", "festival")) == [
        (date(2027, 2, 9), "holiday", "春节"),
        (date(2027, 2, 20), "makeup", "春节"),
    ]
    change = CalendarChange.objects.get(year=2027)
    assert change.actor == actor
    assert change.action == CalendarChange.Action.PUBLISH
    assert change.payload["before"] is None
    assert change.payload["after"]["days"] == [
        {"date": "2027-02-09", "kind": "holiday", "festival": "春节"},
        {"date": "2027-02-20", "kind": "makeup", "festival": "春节"},
    ]
    assert change.payload["after"]["notice"] == "国办发明电〔2026〕99号（测试）"


def test_the_signal_is_sent_inside_the_transaction_with_the_years_and_new_calendar(
    actor: User, received: list[dict[str, Any]]
) -> None:
    _publish_2027(actor)
    assert len(received) == 1
    call = received[0]
    assert call["sender"] is CalendarYear
    assert call["years"] == [2027]
    assert call["in_atomic_block"]
    assert isinstance(call["calendar"], WorkingCalendar)
    # Receivers already see the new calendar, both passed in and from get_calendar().
    for calendar in (call["calendar"], call["seen"]):
        assert not calendar.is_provisional(date(2027, 2, 9))
        assert not calendar.is_working_day(date(2027, 2, 9))
        assert calendar.is_working_day(date(2027, 2, 20))


def test_a_receiver_failure_rolls_the_publication_back(actor: User) -> None:
    def failing(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("deadline recomputation failed")

    calendar_changed.connect(failing, dispatch_uid="test-failing-receiver")
    try:
        with pytest.raises(RuntimeError):
            _publish_2027(actor)
    finally:
        calendar_changed.disconnect(dispatch_uid="test-failing-receiver")
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarChange.objects.filter(year=2027).exists()
    assert api.get_calendar().is_provisional(date(2027, 2, 9))


def test_republishing_replaces_the_days_and_records_before_and_after(
    actor: User, received: list[dict[str, Any]]
) -> None:
    _publish_2027(actor)
    calendar_publish_year(
        year=2027,
        days=[DaySpec(day=date(2027, 2, 10), kind=HOLIDAY, festival="春节")],
        notice="国办发明电〔2026〕99号（测试，更正）",
        actor=actor,
    )
    assert list(ExceptionDay.objects.filter(year_id=2027).values_list("date", flat=True)) == [
        date(2027, 2, 10)
    ]
    latest = CalendarChange.objects.filter(year=2027).order_by("-id").first()
    assert latest is not None
    assert [day["date"] for day in latest.payload["before"]["days"]] == ["2027-02-09", "2027-02-20"]
    assert [day["date"] for day in latest.payload["after"]["days"]] == ["2027-02-10"]
    assert [call["years"] for call in received] == [[2027], [2027]]
    assert api.is_working_day(date(2027, 2, 9))
    assert not api.is_working_day(date(2027, 2, 10))


def test_publishing_the_same_arrangement_again_is_a_no_op(
    actor: User, received: list[dict[str, Any]]
) -> None:
    _publish_2027(actor)
    _publish_2027(actor)
    assert CalendarChange.objects.filter(year=2027).count() == 1
    assert len(received) == 1


def test_importing_several_years_sends_one_signal(received: list[dict[str, Any]]) -> None:
    yaml_2028 = (
        "year: 2028\nnotice: 测试\nfestivals:\n  - {name: 元旦, rest: 2028-01-01..2028-01-03}\n"
    )
    arrangements = parse_arrangements(YAML_2027 + "---\n" + yaml_2028)
    assert calendar_import_arrangements(arrangements=arrangements, actor=None) == [2027, 2028]
    assert [call["years"] for call in received] == [[2027, 2028]]
    assert set(
        CalendarChange.objects.filter(action=CalendarChange.Action.IMPORT).values_list(
            "year", flat=True
        )
    ) == {2027, 2028}


def test_an_import_with_one_bad_year_writes_nothing(received: list[dict[str, Any]]) -> None:
    # The 2028 notice may reach into December 2027, but not claim a day of 2027's notice.
    new_year = DaySpec(day=date(2027, 12, 31), kind=HOLIDAY, festival="元旦")
    good = YearArrangement(year=2027, notice="测试 2027", days=(new_year,))
    bad = YearArrangement(year=2028, notice="测试 2028", days=(new_year,))
    changes = CalendarChange.objects.count()
    with pytest.raises(ArrangementError) as raised:
        calendar_import_arrangements(arrangements=[good, bad], actor=None)
    assert str(raised.value) == DAY_CLAIMED.format(day=date(2027, 12, 31), other=2027)
    assert not CalendarYear.objects.filter(year__in=[2027, 2028]).exists()
    assert CalendarChange.objects.count() == changes
    assert received == []
    assert api.get_calendar().is_provisional(date(2027, 12, 31))


def test_a_day_already_in_another_years_notice_is_refused() -> None:
    # 2018-12-31 (Mon) was given off by the 2019 notice (元旦 2018-12-30..2019-01-01).
    with pytest.raises(ArrangementError) as raised:
        calendar_publish_year(
            year=2018,
            days=[DaySpec(day=date(2018, 12, 31), kind=HOLIDAY, festival="元旦")],
            notice="测试",
            actor=None,
        )
    assert str(raised.value) == DAY_CLAIMED.format(day=date(2018, 12, 31), other=2019)
    assert ExceptionDay.objects.filter(year_id=2018).count() == 23


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            DaySpec(day=date(2027, 2, 6), kind=MAKEUP, festival="春节"),
            None,
        ),
        (
            DaySpec(day=date(2027, 2, 9), kind=MAKEUP, festival="春节"),
            MAKEUP_ON_WEEKDAY.format(day=date(2027, 2, 9)),
        ),
        (
            DaySpec(day=date(2028, 1, 3), kind=HOLIDAY, festival="元旦"),
            DAY_OUTSIDE_YEAR.format(day=date(2028, 1, 3), year=2027, previous=2026),
        ),
    ],
)
def test_invalid_days_are_refused_and_nothing_is_written(
    spec: DaySpec, message: str | None
) -> None:
    if message is None:
        calendar_publish_year(year=2027, days=[spec], notice="测试", actor=None)
        return
    with pytest.raises(ArrangementError) as raised:
        calendar_publish_year(year=2027, days=[spec], notice="测试", actor=None)
    assert str(raised.value) == message
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_notice_is_required() -> None:
    with pytest.raises(ArrangementError) as raised:
        calendar_publish_year(year=2027, days=[], notice="  ", actor=None)
    assert str(raised.value) == NOTICE_REQUIRED.format(limit=200)


def test_withdrawing_makes_the_year_provisional(
    actor: User, received: list[dict[str, Any]]
) -> None:
    assert not api.get_calendar().is_provisional(date(2026, 5, 4))
    row = calendar_withdraw_year(year=2026, actor=actor, reason="通知有误")
    assert row.status == CalendarYear.Status.PROVISIONAL
    assert not ExceptionDay.objects.filter(year_id=2026).exists()
    change = CalendarChange.objects.filter(year=2026).order_by("-id").first()
    assert change is not None
    assert change.action == CalendarChange.Action.WITHDRAW
    assert len(change.payload["before"]["days"]) == 25
    assert change.payload["after"] == {
        "status": "provisional",
        "notice": row.notice,
        "notice_date": "2025-11-04",
        "days": [],
        "reason": "通知有误",
    }
    assert received[-1]["years"] == [2026]
    calendar = api.get_calendar()
    assert calendar.is_provisional(date(2026, 5, 4))
    # Guessed by the 2024 layout: 劳动节 5 days from 5-01, worked back on Sat 5-09.
    assert not calendar.is_working_day(date(2026, 5, 4))
    assert not calendar.is_working_day(date(2026, 5, 1))
    assert calendar.is_working_day(date(2026, 5, 9))


def test_withdrawing_an_unpublished_year_is_refused() -> None:
    with pytest.raises(ArrangementError) as raised:
        calendar_withdraw_year(year=2027, actor=None)
    assert str(raised.value) == NOT_PUBLISHED.format(year=2027)
