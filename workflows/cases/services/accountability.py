"""Audited changes that are not transitions: the first responder, revealing personal data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from workflows.cases import errors, permissions
from workflows.cases.errors import InvalidRequest
from workflows.cases.events import record_event
from workflows.cases.models import Case
from workflows.cases.services._transition import _lock_case, _now
from workflows.cases.services.inputs import REASON_MAX, _bounded
from workflows.catalog.roles import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def case_reassign_first_responder(
    *,
    case: Case,
    actor: User,
    new_first_responder: User,
    reason: str,
    now: datetime | None = None,
) -> Case:
    """改派首问责任人: a supervisor's action, with a reason, kept in the trail."""
    _bounded(reason=(reason, REASON_MAX))
    moment = _now(now)
    if not reason.strip():
        raise InvalidRequest(errors.REASON_REQUIRED)
    with transaction.atomic():
        fresh = _lock_case(case)
        permissions.require_supervisor(actor, fresh)
        permissions.require_staff_in_scope(actor, new_first_responder)
        if fresh.first_responder_id == new_first_responder.pk:
            raise InvalidRequest(errors.SAME_FIRST_RESPONDER)
        old = fresh.first_responder
        fresh.first_responder = new_first_responder
        fresh.save(update_fields=["first_responder", "updated_at"])
        record_event(
            case=fresh,
            action="reassign_first_responder",
            actor=actor,
            from_status=fresh.status,
            to_status=fresh.status,
            payload={
                "from": old.pk,
                "from_name": display_name(old),
                "to": new_first_responder.pk,
                "to_name": display_name(new_first_responder),
                "reason": reason.strip(),
            },
            at=moment,
        )
        return fresh


REVEALABLE_FIELDS = ("applicant_id_number", "applicant_phone", "agent_id_number", "agent_phone")


REVEAL_PURPOSE_MAX = 200


def case_reveal_personal_data(
    *, case: Case, actor: User, field: str, purpose: str, now: datetime | None = None
) -> str:
    """Show one full ID number or phone, logged as an event: who, when, which case, why.

    Staff screens mask personal data (documents.masking, audience SCREEN); this is the
    one explicit way to see it whole (PIPL arts. 28 and 51, GB/T 35273 §7.2). The caller
    has already checked that ``actor`` may see ``case``; the event is in the case's trail,
    where supervisors see it.
    """
    if field not in REVEALABLE_FIELDS:
        raise InvalidRequest(errors.REVEAL_FIELD_INVALID)
    reason = " ".join((purpose or "").split())
    if not reason:
        raise InvalidRequest(errors.REVEAL_PURPOSE_REQUIRED)
    if len(reason) > REVEAL_PURPOSE_MAX:
        raise InvalidRequest(errors.REVEAL_PURPOSE_TOO_LONG % {"max": REVEAL_PURPOSE_MAX})
    with transaction.atomic():
        record_event(
            case=case,
            action="reveal_personal_data",
            actor=actor,
            payload={"field": field, "purpose": reason},
            at=_now(now),
        )
    return str(getattr(case, field) or "")
