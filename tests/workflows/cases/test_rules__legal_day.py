"""The legal day is the Asia/Shanghai day whatever TIME_ZONE a deployment sets."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.conftest import CaseFactory
from workflows.cases.clock import end_of_day, legal_today, local_date

TZ = ZoneInfo("Asia/Shanghai")


@override_settings(TIME_ZONE="UTC")
def test_a_deployment_in_utc_still_counts_beijing_days() -> None:
    timezone.activate(ZoneInfo("UTC"))
    try:
        # 01:00 Beijing on 03-02 is still 03-01 in UTC.
        moment = datetime(2026, 3, 2, 1, tzinfo=TZ)
        assert local_date(moment) == date(2026, 3, 2)
        assert end_of_day(date(2026, 3, 2)) == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=TZ)
        assert legal_today(moment) == date(2026, 3, 2)
    finally:
        timezone.deactivate()


@pytest.mark.django_db
@override_settings(TIME_ZONE="America/New_York")
def test_due_dates_end_at_beijing_midnight_under_another_time_zone(
    case_factory: CaseFactory,
) -> None:
    case = case_factory(at=datetime(2026, 3, 2, 1, tzinfo=TZ), status="accepted")
    # Accepted on Mon 03-02 Beijing: 5 working days → Mon 03-09, ending at Beijing midnight.
    assert case.promised_due_at == datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=TZ)
