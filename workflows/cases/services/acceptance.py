"""Before acceptance: 受理, 视为受理, 一次性告知 and 补正, 不予受理, 撤回."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from workflows.calendar.api import get_calendar
from workflows.cases import errors, permissions
from workflows.cases.clock import deemed_acceptance_deadline, local_date
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import BEFORE_ACCEPTANCE, OPEN, Case, CaseMaterial, Status
from workflows.cases.services._clock import _end_pauses, _start_clock
from workflows.cases.services._transition import _now, _Step, _transition
from workflows.cases.services.inputs import (
    REASON_MAX,
    SHORT_TEXT_MAX,
    CorrectionLine,
    MaterialLine,
    _bounded,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _missing(case: Case) -> list[CaseMaterial]:
    return list(case.materials.filter(required=True).exclude(state=CaseMaterial.State.RECEIVED))


def case_accept(
    *,
    case: Case,
    actor: User,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """受理: the materials are complete; the legal clock starts now.

    Past the deemed-acceptance deadline (第三十二条) the acceptance dates from the
    receipt or the completed supplement, whoever clicks and whenever the sweep runs.
    """
    moment = _now(now)
    step = _Step("accept", "accept")

    def check(fresh: Case) -> None:
        permissions.require_clerk(actor, fresh)
        if is_deemed_accepted(fresh, moment):
            step.payload.update({"rule": DEEMED_ACCEPTANCE_RULE})
            return  # already accepted by law, complete or not
        if fresh.status == Status.RECEIVED and (missing := _missing(fresh)):
            raise InvalidRequest(
                errors.MATERIALS_INCOMPLETE % {"missing": "、".join(m.name for m in missing)}
            )

    def apply(fresh: Case, moment: datetime) -> None:
        if "rule" in step.payload:
            # 第三十二条 binds every path, not only the sweep: past the deadline the
            # application already stands accepted as of receipt (or supplement).
            basis = acceptance_basis(fresh)
            fresh.deemed_accepted = True
            step.payload["accepted_as_of"] = basis.isoformat()
            _start_clock(fresh, basis)
        else:
            _start_clock(fresh, moment)

    return _transition(
        case=case,
        actor=actor,
        step=step,
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )


DEEMED_ACCEPTANCE_RULE = "行政许可法第三十二条：逾期不告知的，自收到申请材料之日起即为受理"


def acceptance_basis(case: Case) -> datetime:
    """When a deemed acceptance dates from: the completed supplement, else the receipt."""
    return case.supplemented_at or case.received_at


def is_deemed_accepted(case: Case, moment: datetime) -> bool:
    """True when, at ``moment``, the law already deems the received case accepted (第三十二条)."""
    return (
        case.status == Status.RECEIVED
        and case.deemed_acceptance_at is not None
        and moment > case.deemed_acceptance_at
    )


def case_deem_accept(*, case: Case, now: datetime | None = None) -> Case:
    """视为受理: no correction notice within 5 working days; accepted as of receipt.

    Performed by the system (the sweep). Silence after a completed supplement
    counts from the supplement, which is when the materials became complete.
    """
    moment = _now(now)

    def check(fresh: Case) -> None:
        if not is_deemed_accepted(fresh, moment):
            raise TransitionRefused(
                errors.TRANSITION_NOT_ALLOWED
                % {"status": fresh.get_status_display(), "action": "deem_accept"}
            )

    def apply(fresh: Case, _moment: datetime) -> None:
        fresh.deemed_accepted = True
        _start_clock(fresh, acceptance_basis(fresh))

    return _transition(
        case=case,
        actor=None,
        step=_Step("deem_accept", "accept", {"rule": DEEMED_ACCEPTANCE_RULE}),
        check=check,
        apply=apply,
        idempotency_key="deem_accept",
        now=moment,
    )


def case_request_correction(
    *,
    case: Case,
    actor: User,
    lines: Sequence[CorrectionLine],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """一次性告知: one notice listing everything to supplement or correct."""
    moment = _now(now)
    if not lines:
        raise InvalidRequest(errors.CORRECTION_EMPTY)
    if any(not line.problem.strip() for line in lines):
        raise InvalidRequest(errors.REASON_REQUIRED)
    positions = {line.position for line in lines}

    def check(fresh: Case) -> None:
        permissions.require_clerk(actor, fresh)
        first_notice = {entry["position"] for entry in fresh.correction_items}
        if first_notice:
            extra = positions - first_notice
            if extra:
                names = fresh.materials.filter(position__in=extra).values_list("name", flat=True)
                raise InvalidRequest(
                    errors.CORRECTION_NOT_IN_FIRST_NOTICE % {"extra": "、".join(names) or extra}
                )
        elif is_deemed_accepted(fresh, moment):
            raise InvalidRequest(errors.CORRECTION_TOO_LATE)
        known = set(fresh.materials.values_list("position", flat=True))
        if positions - known:
            raise InvalidRequest(f"no material lines {sorted(positions - known)} on this case")

    step = _Step("request_correction", "request_correction")

    def apply(fresh: Case, moment: datetime) -> None:
        items: list[dict[str, Any]] = []
        rows = {m.position: m for m in fresh.materials.filter(position__in=positions)}
        for line in lines:
            row = rows[line.position]
            row.state = line.state
            row.problem = line.problem.strip()
            row.save(update_fields=["state", "problem"])
            items.append(
                {
                    "position": row.position,
                    "name": row.name,
                    "problem": row.problem,
                    "state": row.state,
                }
            )
        if not fresh.correction_items:
            fresh.correction_items = items
        fresh.correction_requested_at = moment
        fresh.deemed_acceptance_at = None
        step.payload["items"] = items

    return _transition(
        case=case,
        actor=actor,
        step=step,
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )


def case_supplement(
    *,
    case: Case,
    actor: User,
    lines: Sequence[MaterialLine],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """补正: the applicant brought what the notice asked for; back to received."""
    moment = _now(now)

    def check(fresh: Case) -> None:
        permissions.require_clerk(actor, fresh)

    step = _Step("supplement", "supplement")

    def apply(fresh: Case, moment: datetime) -> None:
        rows = list(fresh.materials.all())
        by_material = {m.material_id: m for m in rows if m.material_id}
        by_position = {m.position: m for m in rows}
        received: list[dict[str, Any]] = []
        for line in lines:
            row = (
                by_position.get(line.position)
                if line.position is not None
                else by_material.get(line.material_id or 0)
            )
            if row is None:
                raise InvalidRequest(
                    f"material {line.position or line.material_id} is not on this case"
                )
            row.state = line.state
            row.copies = line.copies
            row.pages = line.pages
            if line.form:
                row.form = line.form
            row.problem = "" if line.state == CaseMaterial.State.RECEIVED else line.problem
            row.save(update_fields=["state", "copies", "pages", "form", "problem"])
            received.append(row.as_dict())
        complete = not _missing(fresh)
        fresh.supplemented_at = moment if complete else None
        fresh.deemed_acceptance_at = (
            deemed_acceptance_deadline(local_date(moment), get_calendar()) if complete else None
        )
        step.payload.update({"materials": received, "complete": complete})

    return _transition(
        case=case,
        actor=actor,
        step=step,
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )


def case_reject(
    *,
    case: Case,
    actor: User,
    reason: str,
    competent_organ: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """不予受理: with the reason and, if outside competence, the organ to apply to."""
    moment = _now(now)
    _bounded(reason=(reason, REASON_MAX), organ=(competent_organ, SHORT_TEXT_MAX))
    if not reason.strip():
        raise InvalidRequest(errors.REASON_REQUIRED)

    def check(fresh: Case) -> None:
        permissions.require_clerk(actor, fresh)
        if is_deemed_accepted(fresh, moment):
            raise TransitionRefused(errors.REJECT_AFTER_DEEMED_ACCEPTANCE)

    def apply(fresh: Case, _moment: datetime) -> None:
        fresh.rejection_reason = reason.strip()
        fresh.competent_organ = competent_organ.strip()
        fresh.deemed_acceptance_at = None

    return _transition(
        case=case,
        actor=actor,
        step=_Step(
            "reject", "reject", {"reason": reason.strip(), "competent_organ": competent_organ}
        ),
        check=check,
        apply=apply,
        idempotency_key=idempotency_key,
        now=moment,
    )


def case_withdraw(
    *,
    case: Case,
    actor: User,
    reason: str,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """撤回: the applicant withdraws (or never supplemented); ends any special procedure.

    Withdrawing a 一件事 bundle withdraws its open sub-cases with it, in the same
    transaction (their results not yet decided go with the application).
    """
    _bounded(reason=(reason, REASON_MAX))
    if not reason.strip():
        raise InvalidRequest(errors.REASON_REQUIRED)

    def check(fresh: Case) -> None:
        # Before acceptance only the window may record it; afterwards the department too.
        if fresh.status in OPEN and permissions.is_department_staff(actor, fresh):
            return
        permissions.require_clerk(actor, fresh)

    def apply(fresh: Case, moment: datetime) -> None:
        fresh.withdrawal_reason = reason.strip()
        fresh.deemed_acceptance_at = None
        _end_pauses(fresh, actor, moment)

    moment = _now(now)
    with transaction.atomic():
        withdrawn = _transition(
            case=case,
            actor=actor,
            step=_Step("withdraw", "withdraw", {"reason": reason.strip()}),
            check=check,
            apply=apply,
            idempotency_key=idempotency_key,
            now=moment,
        )
        for child in withdrawn.children.filter(status__in=[*BEFORE_ACCEPTANCE, *OPEN]):
            _transition(
                case=child,
                actor=actor,
                step=_Step(
                    "withdraw", "withdraw", {"reason": reason.strip(), "bundle": withdrawn.number}
                ),
                check=lambda _fresh: None,  # authorised by the bundle's withdrawal
                apply=apply,
                idempotency_key=f"{idempotency_key}-{child.pk}" if idempotency_key else None,
                now=moment,
            )
        return withdrawn
