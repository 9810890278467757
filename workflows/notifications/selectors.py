"""Reading notifications: a person's inbox and the menu badge's unread count."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from workflows.notifications.models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """``user``'s notifications with their case, newest first (the model's ordering)."""
    return Notification.objects.filter(recipient=user).select_related("case")


def unread(user_id: int) -> QuerySet[Notification]:
    """The user's unread notifications (the menu badge counts them)."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)


def unread_count(user_id: int) -> int:
    """How many unread notifications the user has."""
    return unread(user_id).count()
