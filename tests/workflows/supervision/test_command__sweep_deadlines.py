"""``manage.py sweep_deadlines`` and the Celery task run the same sweep and say what it did."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.supervision import tasks
from workflows.supervision.models import Escalation


@pytest.mark.django_db
def test_the_command_prints_what_it_did(case_factory: CaseFactory, officer: User) -> None:
    case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2026-03-10T00:05:00+08:00", stdout=out)
    text = out.getvalue()
    assert "黄灯预警 1 件" in text
    assert "红灯超期 1 件" in text
    assert "超法定时限 0 件" in text
    assert "新增督办 2 件" in text
    assert "视为受理 0 件" in text
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2026-03-10T00:06:00+08:00", stdout=out)
    assert "新增督办 0 件" in out.getvalue()


@pytest.mark.django_db
def test_a_naive_time_is_refused() -> None:
    with pytest.raises(CommandError, match="带时区"):
        call_command("sweep_deadlines", "--now", "2026-03-10T00:05:00")


@pytest.mark.django_db
def test_the_celery_task_runs_the_same_sweep(case_factory: CaseFactory, officer: User) -> None:
    case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)
    result = tasks.sweep_deadlines_task.apply().get()
    assert result["statutory_overdue"] == 1  # today is long past March 2026's dates
    assert Escalation.objects.count() == 3


def test_celery_beat_runs_the_sweep_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["supervision-sweep-deadlines"]
    assert entry["task"] == "supervision.sweep_deadlines"
    assert entry["schedule"] == 60.0
