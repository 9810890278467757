"""Count what the Prometheus metrics report; mark a new session as renewed."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded
from workflows.web.middleware import SESSION_TOUCHED_KEY
from workflows.web.observability import LOGIN_LOCKOUTS, count_accept


@receiver(case_event_recorded, dispatch_uid="web.count_accepts")
def count_accepts(*, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """One more acceptance (受理 or 视为受理), counted when it commits."""
    if event.action in {"accept", "deem_accept"}:
        count_accept(case)


@receiver(user_locked_out, dispatch_uid="web.count_lockouts")
def count_lockouts(**kwargs: Any) -> None:
    """One more account locked out after failed logins."""
    LOGIN_LOCKOUTS.inc()


@receiver(user_logged_in, dispatch_uid="web.touch_session_at_login")
def touch_session_at_login(*, request: Any = None, **kwargs: Any) -> None:
    """A new session counts as just renewed (SlidingSessionMiddleware): login saves it anyway."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_TOUCHED_KEY] = int(time.time())
