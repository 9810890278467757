"""Exported files are named by the local (Asia/Shanghai) date, not the UTC one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

# 2026-03-02 07:30 in Shanghai is still 2026-03-01 in UTC.
EARLY_MORNING = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("path", "stem"),
    [
        ("/supervision/overdue/", "overdue-20260302"),
        ("/supervision/due-soon/", "due-soon-20260302"),
        ("/supervision/escalations/", "escalations-20260302"),
    ],
)
def test_the_export_file_name_carries_the_local_date(
    supervisor: User, path: str, stem: str
) -> None:
    client = Client()
    client.force_login(supervisor)
    with time_machine.travel(EARLY_MORNING, tick=False):
        response = client.get(f"{path}?export=csv")

    assert response.status_code == 200
    assert f'filename="{stem}.csv"' in response["Content-Disposition"]
