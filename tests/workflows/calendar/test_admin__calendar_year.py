"""The admin publishes and withdraws through the services; the audit log is read-only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from workflows.calendar import api
from workflows.calendar.models import (
    KIND_WEEKDAY_MISMATCH,
    CalendarChange,
    CalendarYear,
    ExceptionDay,
)
from workflows.calendar.signals import calendar_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser(username="root", password="x", email="root@example.org")


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _form(year: int, notice: str, days: list[tuple[str, str, str]], **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": str(year),
        "notice": notice,
        "notice_date": "",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for index, (day, kind, festival) in enumerate(days):
        data |= {
            f"days-{index}-date": day,
            f"days-{index}-kind": kind,
            f"days-{index}-festival": festival,
        }
    return data | extra


def test_adding_a_year_in_the_admin_publishes_it(admin_client: Client, admin_user: User) -> None:
    years: list[list[int]] = []

    def receiver(sender: Any, years_: Any = None, **kwargs: Any) -> None:
        years.append(kwargs["years"])

    calendar_changed.connect(receiver, dispatch_uid="test-admin-receiver")
    try:
        response = admin_client.post(
            reverse("admin:workcalendar_calendaryear_add"),
            _form(2027, "国办发明电〔2026〕99号（测试）", [
                ("2027-02-09", "holiday", "春节"),
                ("2027-02-20", "makeup", "春节"),
            ]),
        )  # fmt: skip
    finally:
        calendar_changed.disconnect(dispatch_uid="test-admin-receiver")
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarYear.objects.get(year=2027)
    assert row.status == CalendarYear.Status.PUBLISHED
    assert ExceptionDay.objects.filter(year=row).count() == 2
    change = CalendarChange.objects.get(year=2027)
    assert change.actor == admin_user
    assert change.action == CalendarChange.Action.PUBLISH
    assert years == [[2027]]
    assert not api.is_working_day(date(2027, 2, 9))


def test_editing_a_year_in_the_admin_republishes_it(admin_client: Client) -> None:
    url = reverse("admin:workcalendar_calendaryear_change", args=[2026])
    assert admin_client.get(url).status_code == 200
    days = list(ExceptionDay.objects.filter(year_id=2026))
    data = _form(2026, "国务院办公厅关于2026年部分节假日安排的通知（更正）", [])
    data |= {
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(len(days)),
        "notice_date": "2025-11-04",
    }
    for index, day in enumerate(days):
        data |= {
            f"days-{index}-id": str(day.pk),
            f"days-{index}-year": "2026",
            f"days-{index}-date": day.date.isoformat(),
            f"days-{index}-kind": day.kind,
            f"days-{index}-festival": day.festival,
        }
        if day.date == date(2026, 9, 25):
            data[f"days-{index}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarYear.objects.get(year=2026)
    assert row.notice.endswith("（更正）")
    assert not ExceptionDay.objects.filter(date=date(2026, 9, 25)).exists()
    change = CalendarChange.objects.filter(year=2026).order_by("-id").first()
    assert change is not None
    assert change.action == CalendarChange.Action.PUBLISH
    assert len(change.payload["before"]["days"]) == 25
    assert len(change.payload["after"]["days"]) == 24
    assert api.is_working_day(date(2026, 9, 25))


def test_the_admin_refuses_a_makeup_day_on_a_weekday(admin_client: Client) -> None:
    changes = CalendarChange.objects.count()
    response = admin_client.post(
        reverse("admin:workcalendar_calendaryear_add"),
        _form(2027, "测试", [("2027-02-09", "makeup", "春节")]),
    )
    assert response.status_code == 200
    assert str(KIND_WEEKDAY_MISMATCH) in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarChange.objects.count() == changes


def test_the_withdraw_action_goes_through_the_service(
    admin_client: Client, admin_user: User
) -> None:
    response = admin_client.post(
        reverse("admin:workcalendar_calendaryear_changelist"),
        {"action": "withdraw", "_selected_action": ["2026"]},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2026).status == CalendarYear.Status.PROVISIONAL
    change = CalendarChange.objects.filter(year=2026).order_by("-id").first()
    assert change is not None
    assert (change.action, change.actor) == (CalendarChange.Action.WITHDRAW, admin_user)
    assert api.get_calendar().is_provisional(date(2026, 6, 1))


def test_years_cannot_be_deleted_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:workcalendar_calendaryear_delete", args=[2026]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert CalendarYear.objects.filter(year=2026).exists()


def test_the_audit_log_is_read_only(admin_client: Client) -> None:
    change = CalendarChange.objects.filter(year=2025).first()
    assert change is not None
    assert (
        admin_client.get(reverse("admin:workcalendar_calendarchange_changelist")).status_code == 200
    )
    page = admin_client.get(reverse("admin:workcalendar_calendarchange_change", args=[change.pk]))
    assert page.status_code == 200
    assert 'name="payload"' not in page.content.decode()
    assert admin_client.get(reverse("admin:workcalendar_calendarchange_add")).status_code == 403
    deleted = admin_client.post(
        reverse("admin:workcalendar_calendarchange_delete", args=[change.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
