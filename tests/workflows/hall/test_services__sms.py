"""Booking texts go through the hall's outbox and the notifications SMS backend, once each."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from django.core.management import call_command

from tests.conftest import APPLICANT_ID
from tests.workflows.hall.conftest import at
from workflows.catalog.models import ServiceItem
from workflows.hall import services
from workflows.hall.models import Counter, SmsMessage

pytestmark = pytest.mark.django_db


def test_send_sms_delivers_each_text_once(
    counter: Counter, item: ServiceItem, caplog: pytest.LogCaptureFixture
) -> None:
    booking = services.booking_create(
        counter=counter,
        item=item,
        starts_at=at(date(2026, 10, 12), "09:00"),
        name="张三",
        id_number=APPLICANT_ID,
        phone="13912345678",
        now=at(date(2026, 10, 9), "10:00"),
    )
    services.booking_cancel(booking=booking, now=at(date(2026, 10, 9), "11:00"))
    assert SmsMessage.objects.filter(sent_at=None).count() == 2  # booked, cancelled
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="workflows.notifications.backends"):
        call_command("hall", "send-sms", stdout=out)
    assert "已发送 2 条短信" in out.getvalue()
    texts = [r.getMessage() for r in caplog.records]
    assert any(booking.reference in t and "预约成功" in t and "13912345678" in t for t in texts)
    assert any("已取消" in t for t in texts)
    assert SmsMessage.objects.filter(sent_at=None).count() == 0
    assert services.sms_send() == 0  # nothing is sent twice
