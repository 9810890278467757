"""Plumbing shared by the first-question services: clock, events, locks, transitions, notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from workflows.cases.errors import TransitionRefused
from workflows.firstquestion import errors
from workflows.firstquestion.models import Consultation, ConsultationEvent, Referral
from workflows.notifications.services import Message, notify

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NOTIFICATION_KIND = "first_question"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    *,
    consultation: Consultation,
    action: str,
    actor: User | None,
    at: datetime,
    payload: dict[str, Any] | None = None,
    referral: Referral | None = None,
) -> ConsultationEvent:
    return ConsultationEvent.objects.create(
        consultation=consultation,
        referral=referral,
        action=action,
        actor=actor,
        payload=payload or {},
        created_at=at,
    )


def consultation_refusal(consultation: Consultation, action: Any) -> str:
    """The refusal of ``action`` on a consultation whose status does not allow it."""
    return errors.CONSULTATION_CLOSED % {
        "status": consultation.get_status_display(),
        "action": action,
    }


def referral_refusal(referral: Referral, action: Any) -> str:
    """The refusal of ``action`` on a referral that is no longer open."""
    return errors.REFERRAL_CLOSED % {"state": referral.get_state_display(), "action": action}


def _require_transition(method: Callable[[], None], message: str) -> None:
    """Refuse (409, ``message``) unless the django-fsm transition ``method`` may run now."""
    if not can_proceed(method):
        raise TransitionRefused(message)


def _transition(method: Callable[[], None], message: str) -> None:
    """Run the django-fsm transition ``method``, or refuse with ``message`` (never a 500)."""
    _require_transition(method, message)
    method()


def _lock_consultation(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("first_responder", "case")
        .get(pk=consultation.pk)
    )


def _lock_referral(referral: Referral) -> tuple[Consultation, Referral]:
    consultation = Consultation.objects.select_for_update().get(pk=referral.consultation_id)
    fresh = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_department", "to_center", "to_user")
        .get(pk=referral.pk)
    )
    return consultation, fresh


def _consultation_url(consultation: Consultation) -> str:
    return reverse("firstquestion:consultation", kwargs={"pk": consultation.pk})


def _tell_first_responder(
    consultation: Consultation, *, what: str, title: str, body: str = "", actor: User | None
) -> None:
    """An in-app notice to the first responder (not when they did it themselves)."""
    if actor is not None and actor.pk == consultation.first_responder_id:
        return
    notify(
        [
            Message(
                recipient_id=consultation.first_responder_id,
                kind=NOTIFICATION_KIND,
                title=title[:200],
                body=body,
                url=_consultation_url(consultation),
                dedupe_key=f"fq:{what}",
            )
        ]
    )
