"""The referral acknowledgement deadline: working minutes inside office hours, else next opening."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from workflows.firstquestion.hours import ack_due_at, in_office_hours

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("referred", "due"),
    [
        # Inside a period: one working hour later.
        ("2026-03-10T10:00:00+08:00", "2026-03-10T11:00:00+08:00"),
        # Runs over the lunch break: 30 minutes before it, 30 after.
        ("2026-03-10T11:30:00+08:00", "2026-03-10T15:00:00+08:00"),
        # Runs over closing time into the next working day.
        ("2026-03-10T17:00:00+08:00", "2026-03-11T09:00:00+08:00"),
        # Friday afternoon runs into Monday.
        ("2026-03-13T17:15:00+08:00", "2026-03-16T09:15:00+08:00"),
        # The labour-day break (2026-05-01..05) is skipped.
        ("2026-04-30T17:00:00+08:00", "2026-05-06T09:00:00+08:00"),
        # Made outside office hours: due at the next opening.
        ("2026-03-10T07:45:00+08:00", "2026-03-10T08:30:00+08:00"),
        ("2026-03-10T12:30:00+08:00", "2026-03-10T14:30:00+08:00"),
        ("2026-03-10T20:00:00+08:00", "2026-03-11T08:30:00+08:00"),
        ("2026-03-14T10:00:00+08:00", "2026-03-16T08:30:00+08:00"),  # a Saturday
        # The make-up Saturday 2026-05-09 is a working day.
        ("2026-05-08T18:00:00+08:00", "2026-05-09T08:30:00+08:00"),
        # Stored in UTC, computed in Shanghai time.
        ("2026-03-10T02:00:00+00:00", "2026-03-10T11:00:00+08:00"),
    ],
)
def test_ack_due_at__default_office_hours(referred: str, due: str) -> None:
    assert ack_due_at(at(referred)) == at(due)


def test_in_office_hours() -> None:
    assert in_office_hours(at("2026-03-10T08:30:00+08:00"))
    assert not in_office_hours(at("2026-03-10T12:00:00+08:00"))  # closing minute is out
    assert not in_office_hours(at("2026-05-01T10:00:00+08:00"))  # holiday


@override_settings(FIRSTQUESTION_OFFICE_HOURS=[("09:00", "17:00")], FIRSTQUESTION_ACK_MINUTES=120)
def test_ack_due_at__hours_and_minutes_come_from_settings() -> None:
    assert ack_due_at(at("2026-03-10T16:00:00+08:00")) == at("2026-03-11T10:00:00+08:00")
    assert ack_due_at(at("2026-03-10T08:40:00+08:00")) == at("2026-03-10T09:00:00+08:00")


@override_settings(FIRSTQUESTION_OFFICE_HOURS=[("14:00", "12:00")])
def test_ack_due_at__bad_office_hours_are_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured):
        ack_due_at(at("2026-03-10T10:00:00+08:00"))
