"""Review at the window: accept-and-route, correct or reject a received case; 补正; replays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from workflows.cases import services
from workflows.cases.locks import lock_case
from workflows.cases.models import Case, CaseEvent
from workflows.tasks import routing
from workflows.window.keys import service_key, service_key_prefix
from workflows.window.outcomes import DOCUMENT, Outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Received:
    """What an intake or a review did: the case, the document to show, and if it was a replay."""

    case: Case
    document: str
    replayed: bool = False


def window_replayed(*, case: Case, actor: User, key: str) -> bool:
    """Whether a form with this key already acted on ``case`` (a double click or a resubmit)."""
    prefix = service_key_prefix(actor.pk, key)
    return CaseEvent.objects.filter(case_id=case.pk, idempotency_key__startswith=prefix).exists()


def accept_and_route(*, case: Case, actor: User, key: str, replayed: bool | None = None) -> Case:
    """受理 and start the department's back-office flow, in the caller's transaction.

    A replayed ``key`` (the service key; a double click) accepts nothing and
    starts no second flow; ``replayed`` is that answer when the caller has just read it.
    """
    if replayed is None:
        replayed = CaseEvent.objects.filter(case_id=case.pk, idempotency_key=key).exists()
    already = replayed
    case = services.case_accept(case=case, actor=actor, idempotency_key=key)
    if not already:
        routing.start_department_flow(case=case, actor=actor)
    return case


def decide_outcome(
    *,
    case: Case,
    actor: User,
    outcome: str,
    key: str,
    correction: Sequence[services.CorrectionLine],
    rejection_reason: str,
    competent_organ: str,
    replayed: bool | None = None,
) -> Received:
    """The clerk's outcome on a received case, in the caller's transaction.

    ``key`` is the service key of the outcome; ``replayed`` as for accept_and_route.
    """
    if outcome == Outcome.ACCEPT:
        case = accept_and_route(case=case, actor=actor, key=key, replayed=replayed)
    elif outcome == Outcome.CORRECT:
        case = services.case_request_correction(
            case=case, actor=actor, lines=correction, idempotency_key=key
        )
    else:
        case = services.case_reject(
            case=case,
            actor=actor,
            reason=rejection_reason,
            competent_organ=competent_organ,
            idempotency_key=key,
        )
    return Received(case=case, document=DOCUMENT[Outcome(outcome)])


def window_review(
    *,
    case: Case,
    actor: User,
    key: str,
    outcome: str,
    correction: Sequence[services.CorrectionLine],
    rejection_reason: str = "",
    competent_organ: str = "",
) -> Received:
    """A received case (e.g. after a partial supplement): accept, notice, or not accept.

    ``key`` is the form's idempotency key; ``correction`` what the notice lists.
    """
    with transaction.atomic():
        lock_case(case.pk)  # before anything is read: a second click sees the first one's result
        return decide_outcome(
            case=case,
            actor=actor,
            outcome=outcome,
            key=service_key(actor.pk, key, outcome),
            correction=correction,
            rejection_reason=rejection_reason,
            competent_organ=competent_organ,
        )


def window_supplement(
    *, case: Case, actor: User, key: str, lines: Sequence[services.MaterialLine], accept: bool
) -> Case:
    """补正: register what the applicant brought; with ``accept``, 受理 in the same step."""
    with transaction.atomic():
        lock_case(case.pk)
        case = services.case_supplement(
            case=case,
            actor=actor,
            lines=lines,
            idempotency_key=service_key(actor.pk, key, "supplement"),
        )
        if accept:
            case = accept_and_route(
                case=case, actor=actor, key=service_key(actor.pk, key, "accept")
            )
    return case


__all__ = [
    "Received",
    "accept_and_route",
    "decide_outcome",
    "window_replayed",
    "window_review",
    "window_supplement",
]
