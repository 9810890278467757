"""A case reaching a rating moment opens its rating (same transaction as the case step)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from workflows.cases.clock import local_date
from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded
from workflows.rating.models import Moment
from workflows.rating.services._base import setting
from workflows.rating.services.invitations import moments_for, rating_invite, rating_url

MOMENT_FOR_ACTION = {
    "accept": Moment.ACCEPTANCE,
    "deem_accept": Moment.ACCEPTANCE,
    "decide": Moment.COMPLETION,
}


@receiver(case_event_recorded, dispatch_uid="rating.invite")
def invite(*, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """Open the rating at acceptance (if the item is rated then) and at completion."""
    moment = MOMENT_FOR_ACTION.get(event.action)
    if moment is not None and moment in moments_for(case):
        rating_invite(case=case, moment=moment, now=event.created_at)


def completion_notice_invitation(case: Case) -> dict[str, str] | None:
    """What the completion notice prints about rating: the address, the code, the last day.

    Called by ``documents`` while it builds the notice (registered in apps.py),
    so the invitation exists before the record is hashed and signed.
    """
    invitation = rating_invite(case=case, moment=Moment.COMPLETION, now=case.decided_at)
    base = str(setting("ONEWINDOW_PUBLIC_URL", "")).rstrip("/")
    return {
        "code": invitation.code,
        "url": base + reverse("rating_enter"),
        "code_url": rating_url(invitation),
        "until": local_date(timezone.localtime(invitation.default_at)).isoformat(),
    }
