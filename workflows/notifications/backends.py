"""Delivery backends for the outbox: pluggable per channel.

Configure with ``ONEWINDOW_NOTIFICATION_BACKENDS = {"email": "dotted.path", "sms": ...}``.
A backend is a callable ``send(message) -> None`` that raises on failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from workflows.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

DEFAULT_BACKENDS = {
    "email": "workflows.notifications.backends.send_email",
    "sms": "workflows.notifications.backends.log_sms",
}


def send_email(message: OutboxMessage) -> None:
    """Send through Django's configured EMAIL_BACKEND."""
    send_mail(message.subject, message.body, None, [message.address], fail_silently=False)


def log_sms(message: OutboxMessage) -> None:
    """Stand-in SMS gateway: logs the text. Replace with the province's SMS platform."""
    log.info("SMS to %s: %s", message.address, message.body)


def backend_for(channel: str) -> Callable[[OutboxMessage], None]:
    """The send function configured for ``channel``."""
    paths = {**DEFAULT_BACKENDS, **getattr(settings, "ONEWINDOW_NOTIFICATION_BACKENDS", {})}
    return import_string(paths[channel])
