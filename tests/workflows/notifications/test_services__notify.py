"""Notifications are written once per recipient and key; the outbox retries until sent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from tests.factories import UserFactory
from workflows.notifications.models import Notification, OutboxMessage
from workflows.notifications.selectors import unread_count
from workflows.notifications.services import Message, notify, send_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    return UserFactory(username="li", email="li@example.cn")


def test_the_same_key_notifies_once(user: User) -> None:
    message = Message(recipient_id=user.pk, kind="escalation", title="督办", dedupe_key="esc-1-2")
    assert notify([message]) == 1
    assert notify([message, message]) == 0
    assert Notification.objects.count() == 1
    assert unread_count(user.pk) == 1


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_outbox_sends_after_commit_once(user: User) -> None:
    notify(
        [Message(recipient_id=user.pk, kind="k", title="超期督办", dedupe_key="a")],
        channels=["email"],
    )
    notify(
        [Message(recipient_id=user.pk, kind="k", title="超期督办", dedupe_key="a")],
        channels=["email"],
    )
    assert send_outbox() == (1, 0)
    assert send_outbox() == (0, 0)
    assert [m.subject for m in mail.outbox] == ["超期督办"]


def test_a_failing_gateway_is_retried_later(user: User, settings) -> None:
    settings.ONEWINDOW_NOTIFICATION_BACKENDS = {"email": "tests.workflows.notifications.boom.send"}
    notify([Message(recipient_id=user.pk, kind="k", title="t", dedupe_key="b")], channels=["email"])
    assert send_outbox() == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.attempts == 1
    assert "gateway down" in message.last_error
    assert message.next_attempt_at is not None
    assert message.sent_at is None
