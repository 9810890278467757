"""The case's ends at the window: 当场办结 of a 即办件, 出件, and 撤回."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from viewflow.workflow.exceptions import FlowLockFailed

from workflows.cases import errors, services
from workflows.cases.locks import lock_case
from workflows.cases.models import Case
from workflows.tasks import routing
from workflows.window.keys import service_key

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def window_decide(
    *,
    case: Case,
    actor: User,
    key: str,
    decision: str,
    reason: str,
    deliver: bool = False,
    delivery_method: str = "",
    delivery_note: str = "",
) -> Case:
    """当场办结 of a 即办件; with ``deliver`` (当场办结并出件) both in one transaction."""
    with transaction.atomic():
        lock_case(case.pk)
        case = services.case_decide(
            case=case,
            actor=actor,
            decision=decision,
            reason=reason,
            idempotency_key=service_key(actor.pk, key, "decide"),
        )
        if deliver:
            case = services.case_close(
                case=case,
                actor=actor,
                delivery_method=delivery_method,
                delivery_note=delivery_note,
                idempotency_key=service_key(actor.pk, key, "close"),
            )
    return case


def window_deliver(
    *,
    case: Case,
    actor: User,
    key: str,
    delivery_method: str,
    delivery_note: str = "",
    overdue_reason: str = "",
    overdue_reason_text: str = "",
) -> Case:
    """出件 at the window of a decided case without a back-office delivery task."""
    with transaction.atomic():
        lock_case(case.pk)
        return services.case_close(
            case=case,
            actor=actor,
            delivery_method=delivery_method,
            delivery_note=delivery_note,
            overdue_reason=overdue_reason,
            overdue_reason_text=overdue_reason_text,
            idempotency_key=service_key(actor.pk, key, "close"),
        )


def window_withdraw(*, case: Case, actor: User, key: str, reason: str) -> Case:
    """撤回 with the applicant's reason; a running back-office flow is cancelled with it.

    A flow held by someone else's transaction is CaseBusy (409), and nothing is written.
    """
    try:
        with transaction.atomic():
            lock_case(case.pk)
            case = services.case_withdraw(
                case=case,
                actor=actor,
                reason=reason,
                idempotency_key=service_key(actor.pk, key, "withdraw"),
            )
            # The department's open tasks end with the case, in the same transaction.
            routing.cancel_department_flow(case=case)
    except FlowLockFailed:
        raise errors.CaseBusy(errors.LOCK_TIMEOUT) from None
    return case


__all__ = ["window_decide", "window_deliver", "window_withdraw"]
