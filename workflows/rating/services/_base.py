"""What every 好差评 service shares: its settings, clock, trail event, checks and due dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from workflows.calendar.api import add_working_days
from workflows.cases.clock import end_of_day, local_date
from workflows.cases.models import Case
from workflows.cases.permissions import is_admin, is_center_clerk
from workflows.rating import errors
from workflows.rating.errors import ActionForbidden, InvalidRequest
from workflows.rating.models import (
    Rating,
    RatingEvent,
    RatingInvitation,
    Rectification,
)

User = AbstractBaseUser | AnonymousUser


def setting(name: str, default: Any) -> Any:
    """A 好差评 setting (config/settings/base.py reads them from the environment)."""
    return getattr(settings, name, default)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    invitation: RatingInvitation,
    action: str,
    *,
    actor: User | None,
    at: datetime,
    rating: Rating | None = None,
    rectification: Rectification | None = None,
    **payload: Any,
) -> RatingEvent:
    return RatingEvent.objects.create(
        invitation=invitation,
        rating=rating,
        rectification=rectification,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        payload=payload,
        created_at=at,
    )


def _may_start_counter(actor: User | None, case: Case) -> bool:
    return actor is not None and (
        is_admin(actor) or is_center_clerk(actor, case) or actor.pk == case.first_responder_id
    )


def _require_counter(actor: User | None, case: Case) -> None:
    if not _may_start_counter(actor, case):
        raise ActionForbidden(errors.NOT_YOUR_CENTER % {"center": case.center.name})


def _required(text: str, what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise InvalidRequest(errors.TEXT_REQUIRED % {"what": what})
    return value


def _due(start: datetime, working_days: int) -> datetime:
    return end_of_day(add_working_days(local_date(start), working_days))
