"""Security logs are kept six months, then purged by a scheduled command (网络安全法 第二十一条)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client, override_settings

from workflows.privacy.checks import RETENTION_TOO_SHORT
from workflows.privacy.retention import purge_retained
from workflows.privacy.tasks import purge_retained_task
from workflows.web.models import LookupAttempt

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-09-30T03:00:00+08:00")


def logs_at(moment: datetime) -> None:
    """One row of each kept log, written at ``moment``."""
    LookupAttempt.objects.create(
        scope="status", target="PY-2026-000001", ip="198.51.100.1", result="wrong", at=moment
    )
    LookupAttempt.objects.create(
        scope="booking", target="AB123456", ip="198.51.100.1", result="found", at=moment
    )
    who = {"username": "clerk", "ip_address": "198.51.100.1", "user_agent": moment.isoformat()}
    rows = [
        AccessAttempt.objects.create(**who, failures_since_start=1),
        AccessFailureLog.objects.create(**who),
        AccessLog.objects.create(**who),
    ]
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(attempt_time=moment)


def counts() -> list[int]:
    return [m.objects.count() for m in (LookupAttempt, AccessAttempt, AccessFailureLog, AccessLog)]


def test_rows_older_than_six_months_are_purged_and_newer_ones_kept() -> None:
    logs_at(NOW - timedelta(days=181))
    logs_at(NOW - timedelta(days=179))
    assert counts() == [4, 2, 2, 2]

    with time_machine.travel(NOW, tick=False):
        call_command("purge_retained")

    assert counts() == [2, 1, 1, 1]
    assert all(row.at > NOW - timedelta(days=180) for row in LookupAttempt.objects.all())
    assert AccessLog.objects.get().attempt_time > NOW - timedelta(days=180)
    # Two days later the rest has aged out too.
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert purge_retained()["web.LookupAttempt"] == 2
    assert counts() == [0, 0, 0, 0]


@override_settings(RETENTION_LOOKUP_DAYS=365)
def test_the_periods_are_settings() -> None:
    logs_at(NOW - timedelta(days=200))
    purged = purge_retained(now=NOW)
    assert purged["web.LookupAttempt"] == 0
    assert purged["axes.AccessLog"] == 1


@pytest.mark.parametrize("setting", ["RETENTION_LOOKUP_DAYS", "RETENTION_LOGIN_DAYS"])
def test_a_period_shorter_than_180_days_fails_the_system_check(setting: str) -> None:
    assert RETENTION_TOO_SHORT not in {m.id for m in run_checks()}
    with override_settings(**{setting: 179}):
        assert RETENTION_TOO_SHORT in {m.id for m in run_checks()}
        logs_at(NOW - timedelta(days=179))
        with pytest.raises(ValueError, match="180"):
            purge_retained(now=NOW)
    assert counts() == [2, 1, 1, 1]  # nothing purged early


def test_the_purge_runs_daily_in_celery_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-retained"]
    assert entry["task"] == purge_retained_task.name
    assert entry["schedule"] == 24 * 60 * 60
    logs_at(NOW - timedelta(days=400))
    with time_machine.travel(NOW, tick=False):
        purge_retained_task.apply()
    assert counts() == [0, 0, 0, 0]


@override_settings(AXES_ENABLED=True)
def test_a_failed_login_is_kept_in_the_log() -> None:
    Client().post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert AccessFailureLog.objects.filter(username="clerk").exists()
