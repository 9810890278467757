"""Processing in the department: start, suspend (特别程序), resume, decide, close (送达)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from workflows.calendar.api import get_calendar
from workflows.calendar.engine import WorkingCalendar
from workflows.cases import errors, permissions
from workflows.cases.alerts import late_on_promise
from workflows.cases.clock import local_date, working_days_used
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import Case, Decision, DeliveryMethod, OverdueReason, Status, Suspension
from workflows.cases.selectors import open_public_notice
from workflows.cases.services._clock import _apply_clock, _end_pauses, clock_input
from workflows.cases.services._transition import _now, _Step, _transition
from workflows.cases.services.inputs import REASON_MAX, SHORT_TEXT_MAX, _bounded

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def case_start(
    *, case: Case, actor: User, idempotency_key: str | None = None, now: datetime | None = None
) -> Case:
    """开始办理: an officer of the department takes the case."""

    def apply(fresh: Case, _moment: datetime) -> None:
        fresh.handler = actor

    return _transition(
        case=case,
        actor=actor,
        step=_Step("start", "start", {"handler": actor.pk}),
        check=lambda fresh: permissions.require_department(actor, fresh),
        apply=apply,
        idempotency_key=idempotency_key,
        now=now,
    )


def _require_case_officer(actor: User, case: Case, status: str) -> None:
    """Department staff only; in ``status`` (else the transition refuses), its current officer."""
    permissions.require_department(actor, case)
    if case.status == status:
        permissions.require_case_officer(actor, case)


def case_suspend(
    *,
    case: Case,
    actor: User,
    procedure: str,
    expected_days: int,
    reason: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """特别程序: pause the clock for a hearing, testing, appraisal, expert review, 公示…

    Any case in processing, by its current officer (the holder of its open task)
    or a head of its department; the 特别程序告知书 is issued in the same
    transaction (documents' receiver of the ``suspend`` event).
    """
    _bounded(reason=(reason, REASON_MAX))
    if procedure not in Suspension.Procedure.values:
        raise InvalidRequest(errors.SUSPENSION_PROCEDURE_INVALID)
    if not 1 <= expected_days <= 365:
        raise InvalidRequest(errors.SUSPENSION_DURATION_INVALID)

    def apply(fresh: Case, moment: datetime) -> None:
        Suspension.objects.create(
            case=fresh,
            procedure=procedure,
            expected_days=expected_days,
            reason=reason.strip(),
            started_at=moment,
            started_by=actor,
        )
        _apply_clock(fresh)

    return _transition(
        case=case,
        actor=actor,
        step=_Step(
            "suspend",
            "suspend",
            {"procedure": procedure, "expected_days": expected_days, "reason": reason.strip()},
        ),
        check=lambda fresh: _require_case_officer(actor, fresh, Status.IN_PROGRESS),
        apply=apply,
        idempotency_key=idempotency_key,
        now=now,
    )


PUBLIC_NOTICE_DAYS = 7  # 最低生活保障审核确认办法: 公示 7 天 (calendar days)


def public_notice_ends(case: Case) -> date | None:
    """The last day of the running 公示 (Beijing date), or None when none runs."""
    notice = open_public_notice(case)
    if notice is None:
        return None
    return local_date(notice.started_at) + timedelta(days=PUBLIC_NOTICE_DAYS)


def case_resume(
    *, case: Case, actor: User, idempotency_key: str | None = None, now: datetime | None = None
) -> Case:
    """特别程序结束: the clock runs again from the next working day.

    A 公示 cannot end before its period is over, whoever asks (the form only repeats it).
    """
    moment = _now(now)

    def check(fresh: Case) -> None:
        _require_case_officer(actor, fresh, Status.SUSPENDED)
        ends = public_notice_ends(fresh)
        if ends is not None and local_date(moment) < ends:
            raise TransitionRefused(errors.PUBLIC_NOTICE_NOT_OVER % {"end": ends.isoformat()})

    def apply(fresh: Case, moment: datetime) -> None:
        _end_pauses(fresh, actor, moment)
        _apply_clock(fresh)

    return _transition(
        case=case,
        actor=actor,
        step=_Step("resume", "resume"),
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )


def suspension_expected_end(suspension: Suspension, cal: WorkingCalendar | None = None) -> date:
    """The last day of a special procedure's expected duration (its Beijing start + N working days).

    Raises CalendarRangeError beyond the calendar's range.
    """
    cal = cal or get_calendar()
    return cal.add_working_days(local_date(suspension.started_at), suspension.expected_days)


def case_decide(
    *,
    case: Case,
    actor: User,
    decision: str,
    reason: str = "",
    proposed_by: int | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """作出决定: approve or deny (with reasons); 即办件 may be decided at the window.

    ``proposed_by`` is the user who proposed this decision (the officer's 拟办意见):
    the one who proposes never approves (four eyes), in every flow.
    """
    _bounded(reason=(reason, REASON_MAX))
    if decision not in Decision.values:
        raise InvalidRequest(errors.DECISION_INVALID)
    if decision == Decision.DENIED and not reason.strip():
        raise InvalidRequest(errors.DENIAL_NEEDS_REASON)

    def check(fresh: Case) -> None:
        if fresh.item.is_immediate and permissions.is_center_clerk(actor, fresh):
            return
        needs_head = bool(fresh.item_snapshot.get("decision_needs_head"))
        permissions.require_department(actor, fresh, head=needs_head)
        permissions.require_four_eyes(actor, proposed_by)

    def apply(fresh: Case, moment: datetime) -> None:
        fresh.decision = decision
        fresh.decision_reason = reason.strip()
        fresh.decided_at = moment
        fresh.decided_by = actor
        if fresh.accepted_at is not None:
            fresh.decision_working_days = working_days_used(
                clock_input(fresh), local_date(moment), get_calendar()
            )
        if fresh.handler_id is None:
            fresh.handler = actor
        _end_pauses(fresh, actor, moment)

    return _transition(
        case=case,
        actor=actor,
        step=_Step("decide", "decide", {"decision": decision, "reason": reason.strip()}),
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=now,
    )


def overdue_reason_problem(*, late: bool, reason: str, text: str) -> tuple[str, Any] | None:
    """What is missing from a delivery's overdue reason, as (field, message), or None.

    The rule (效能督查): a late delivery needs a reason from the list; "other"
    needs a written explanation. ``case_close`` enforces it; the window's and
    the task's DeliverForm only repeat it, through this function.
    """
    if not late:
        return None
    if not reason:
        return "overdue_reason", errors.OVERDUE_REASON_REQUIRED
    if reason == OverdueReason.OTHER and not text.strip():
        return "overdue_reason_text", errors.OVERDUE_REASON_TEXT_REQUIRED
    return None


def case_close(
    *,
    case: Case,
    actor: User,
    delivery_method: str,
    delivery_note: str = "",
    overdue_reason: str = "",
    overdue_reason_text: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """出件/送达: the citizen has the result; only now is the case closed."""
    _bounded(note=(delivery_note, SHORT_TEXT_MAX), why=(overdue_reason_text, REASON_MAX))
    moment = _now(now)
    if delivery_method not in DeliveryMethod.values:
        raise InvalidRequest(errors.DELIVERY_METHOD_REQUIRED)
    if overdue_reason and overdue_reason not in OverdueReason.values:
        raise InvalidRequest(errors.OVERDUE_REASON_REQUIRED)

    def check(fresh: Case) -> None:
        if not (
            permissions.is_admin(actor)
            or permissions.is_center_clerk(actor, fresh)
            or permissions.is_department_staff(actor, fresh)
            or fresh.first_responder_id == actor.pk
        ):
            permissions.require_clerk(actor, fresh)
        problem = overdue_reason_problem(
            late=late_on_promise(fresh, moment), reason=overdue_reason, text=overdue_reason_text
        )
        if problem is not None:
            raise InvalidRequest(problem[1])

    def apply(fresh: Case, moment: datetime) -> None:
        fresh.closed_at = moment
        fresh.delivery_method = delivery_method
        fresh.delivery_note = delivery_note.strip()
        fresh.delivered_by = actor
        if late_on_promise(fresh, moment):
            fresh.overdue_reason = overdue_reason
            fresh.overdue_reason_text = overdue_reason_text.strip()

    return _transition(
        case=case,
        actor=actor,
        step=_Step(
            "close",
            "close",
            {
                "delivery_method": delivery_method,
                "delivery_note": delivery_note.strip(),
                "overdue_reason": overdue_reason,
                "overdue_reason_text": overdue_reason_text.strip(),
            },
        ),
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )
