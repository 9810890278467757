"""Every write to a case: one service per transition, each atomic and audited.

The pattern of each service (HackSoft/Zulip style): keyword-only arguments,
the acting user (None = the system), permission check for role and place,
the django-fsm transition (optimistic: the UPDATE only succeeds if the status
is still the one read), the clock, one CaseEvent, and side effects through
the ``case_event_recorded`` signal in the same transaction. A client-supplied
``idempotency_key`` makes a retried or double-clicked request a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from forms.validators import parse_resident_id, validate_phone, validate_uscc
from workflows.calendar.api import get_calendar
from workflows.calendar.engine import WorkingCalendar
from workflows.cases import errors, locks, numbering, permissions
from workflows.cases.alerts import due_level, late_on_promise
from workflows.cases.clock import (
    WORKING,
    Clock,
    ClockInput,
    Pause,
    compute_clock,
    deemed_acceptance_deadline,
    end_of_day,
    local_date,
    start_of_day,
    working_days_used,
)
from workflows.cases.errors import (
    CaseBusy,
    CaseConflict,
    CaseError,
    InvalidRequest,
    TransitionRefused,
)
from workflows.cases.events import record_event
from workflows.cases.models import (
    BEFORE_ACCEPTANCE,
    OPEN,
    RUNNING,
    Case,
    CaseEvent,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    Extension,
    IdempotentReceipt,
    IdType,
    OverdueReason,
    Status,
    Suspension,
)
from workflows.cases.snapshot import ItemSnapshot
from workflows.catalog.models import Center, ItemMaterial, ServiceItem
from workflows.catalog.roles import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Party:
    """An applicant or an agent, as cleaned by ``forms``."""

    name: str
    id_number: str
    phone: str
    id_type: str = "resident_id"
    address: str = ""
    kind: str = "person"
    legal_representative: str = ""
    authorisation: str = ""


@dataclass(frozen=True)
class MaterialLine:
    """What the clerk ticked for one checklist line (or an extra line)."""

    material_id: int | None = None
    position: int | None = None
    name: str = ""
    form: str = ""
    copies: int = 0
    pages: int = 0
    state: str = CaseMaterial.State.RECEIVED
    problem: str = ""


@dataclass(frozen=True)
class CorrectionLine:
    """One thing the applicant must supplement or correct."""

    position: int
    problem: str
    state: str = CaseMaterial.State.MISSING


@dataclass
class _Step:
    """What a transition service asks of ``_transition``."""

    action: str
    method: str
    payload: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- plumbing


def _is_lock_timeout(exc: BaseException) -> bool:
    return locks.is_lock_refusal(exc)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _replayed(case_id: int, action: str, key: str | None) -> bool:
    """True when this exact request already happened (same case, action and key)."""
    if not key:
        return False
    existing = CaseEvent.objects.filter(case_id=case_id, idempotency_key=key).first()
    if existing is None:
        return False
    if existing.action != action:
        raise InvalidRequest(f"idempotency key {key!r} was already used for {existing.action}")
    return True


def _receipt_key(actor: User, key: str) -> str:
    """A receive request's key, scoped to the clerk: another user's equal key is another key."""
    scoped = f"u{actor.pk}:{key}"
    return scoped if len(scoped) <= 100 else "h:" + hashlib.sha256(scoped.encode()).hexdigest()


def _replayed_receipt(
    key: str, *, center: Center, item: ServiceItem, applicant: Party
) -> Case | None:
    """The case this exact receive request created; a key reused for another one is refused."""
    done = IdempotentReceipt.objects.filter(key=key).select_related("case").first()
    if done is None:
        return None
    case = done.case
    if (case.center_id, case.item_id, case.applicant_id_number, case.applicant_name) != (
        center.pk,
        item.pk,
        applicant.id_number,
        applicant.name,
    ):
        raise InvalidRequest(errors.IDEMPOTENCY_KEY_REUSED % {"number": case.number})
    return case


def _transition(
    *,
    case: Case,
    actor: User | None,
    step: _Step,
    check: Callable[[Case], None],
    apply: Callable[[Case, datetime], None],
    idempotency_key: str | None,
    now: datetime | None,
) -> Case:
    """Run one FSM transition with its checks, clock and event, or refuse clearly."""
    moment = _now(now)
    try:
        with transaction.atomic():
            # The case row first, as everywhere (workflows.cases.locks): never a deadlock.
            locks.lock_case(case.pk)
            if _replayed(case.pk, step.action, idempotency_key):
                return Case.objects.get(pk=case.pk)
            fresh = Case.objects.select_related("center", "item", "department").get(pk=case.pk)
            check(fresh)
            method = getattr(fresh, step.method)
            if not can_proceed(method):
                raise TransitionRefused(
                    errors.TRANSITION_NOT_ALLOWED
                    % {"status": fresh.get_status_display(), "action": step.action}
                )
            from_status = fresh.status
            method()
            apply(fresh, moment)
            fresh.save()
            record_event(
                case=fresh,
                action=step.action,
                actor=actor,
                from_status=from_status,
                to_status=fresh.status,
                payload=step.payload,
                clock=clock_state(fresh) if fresh.accepted_at else {},
                idempotency_key=idempotency_key,
                at=moment,
            )
            return fresh
    except ConcurrentTransition as exc:
        if idempotency_key and _replayed(case.pk, step.action, idempotency_key):
            return Case.objects.get(pk=case.pk)
        raise CaseConflict(errors.CONCURRENT_CHANGE) from exc
    except IntegrityError as exc:
        # The same key committed by a concurrent request between our check and insert.
        if idempotency_key and _replayed(case.pk, step.action, idempotency_key):
            return Case.objects.get(pk=case.pk)
        raise CaseConflict(errors.CONCURRENT_CHANGE) from exc
    except CaseError:
        raise
    except DatabaseError as exc:
        if _is_lock_timeout(exc):
            raise CaseBusy(errors.LOCK_TIMEOUT) from exc
        raise


def _lock_case(case: Case) -> Case:
    """Row-lock the case for a change that is not a status transition."""
    locks.lock_case(case.pk)
    return Case.objects.select_related("center", "item", "department").get(pk=case.pk)


# ---------------------------------------------------------------- the clock


def clock_input(case: Case) -> ClockInput:
    """The facts the case's clock is derived from (acceptance, limits, pauses, extension)."""
    if case.accepted_at is None:
        raise ValueError(f"case {case.number} has no clock before acceptance")
    snapshot = case.item_snapshot
    pauses = [
        Pause(
            start=local_date(s.started_at),
            end=local_date(s.ended_at) if s.ended_at else None,
            expected_days=s.expected_days,
        )
        for s in case.suspensions.order_by("started_at")
    ]
    extends_promise = True
    if case.extension_days:
        granted = case.extensions.filter(state=Extension.State.APPROVED).first()
        extends_promise = granted is None or granted.extends_promise
    return ClockInput(
        accepted_on=local_date(case.accepted_at),
        acceptance_day_counts=bool(snapshot.get("acceptance_day_counts", False)),
        promised_days=case.promised_limit_days or 0,
        statutory_days=case.statutory_limit_days or 0,
        extension_days=case.extension_days,
        warning_days=int(snapshot.get("warning_days", 2)),
        pauses=pauses,
        promised_unit=str(snapshot.get("promised_limit_unit", WORKING)),
        statutory_unit=str(snapshot.get("statutory_limit_unit", WORKING)),
        extends_promise=extends_promise,
    )


def _apply_clock(case: Case, cal: WorkingCalendar | None = None) -> Clock:
    clock = compute_clock(clock_input(case), cal or get_calendar())
    case.promised_due_at = end_of_day(clock.promised_due)
    case.statutory_due_at = end_of_day(clock.statutory_due)
    case.warn_at = max(start_of_day(clock.warn_on), case.accepted_at)  # type: ignore[type-var]
    case.due_provisional = clock.provisional
    return clock


def clock_state(case: Case) -> dict[str, Any]:
    """The clock as shown in the audit trail at one step."""
    if case.accepted_at is None:
        deadline = case.deemed_acceptance_at
        return {
            "deemed_acceptance_at": deadline.isoformat() if deadline else None,
            # Labelled like a due date when the 5 working days reach an unpublished year.
            "provisional": bool(deadline)
            and get_calendar().depends_on_provisional(
                local_date(case.received_at),
                local_date(deadline),  # type: ignore[arg-type]
            ),
        }
    return {
        "accepted_at": case.accepted_at.isoformat(),
        "promised_due": local_date(case.promised_due_at).isoformat()
        if case.promised_due_at
        else None,
        "statutory_due": local_date(case.statutory_due_at).isoformat()
        if case.statutory_due_at
        else None,
        "extension_days": case.extension_days,
        "paused": case.status == Status.SUSPENDED,
        "provisional": case.due_provisional,
    }


def _snapshot(item: ServiceItem) -> dict[str, Any]:
    return ItemSnapshot.from_item(item).to_json()


def _start_clock(case: Case, accepted_at: datetime) -> None:
    case.accepted_at = accepted_at
    case.item_snapshot = _snapshot(case.item)
    limits_from = case.item
    if case.parent_id is not None and case.item.is_immediate:
        # A 即办 sub-item of a 一件事 bundle is delivered with the bundle: it runs on
        # the bundle's published limits, not on "today".
        limits_from = case.parent.item  # type: ignore[union-attr]
        case.item_snapshot["limits_from_bundle"] = limits_from.code
        case.item_snapshot["statutory_limit_unit"] = limits_from.statutory_limit_unit
        case.item_snapshot["promised_limit_unit"] = limits_from.promised_limit_unit
    case.statutory_limit_days = limits_from.statutory_limit_days
    case.promised_limit_days = limits_from.promised_limit_days
    case.deemed_acceptance_at = None
    case.alert_level = 0
    _apply_clock(case)


# ---------------------------------------------------------------- receipt


def _next_number(center: Center, year: int) -> str:
    """The next serial of ``center`` in ``year``: one statement, row-locked, gapless.

    The counter row stays locked until the receiving transaction ends, so a
    rollback gives its number back and concurrent receipts queue in order.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_casesequence (center_id, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (center_id, year) DO UPDATE SET last = cases_casesequence.last + 1
            RETURNING last
            """,
            [center.pk, year],
        )
        (serial,) = cursor.fetchone()
    return f"{center.code}-{year}-{serial:06d}"


def _assign_number(case: Case, year: int) -> None:
    """Give a case received under a placeholder its real number (see numbering.py)."""
    case.number = _next_number(case.center, year)
    Case.objects.filter(pk=case.pk).update(number=case.number)


REASON_MAX = 2000  # reasons, opinions and notes kept as TextField: one A4 page at most
SHORT_TEXT_MAX = 200  # CharField(max_length=200) texts: addresses, organs, delivery notes


def _bounded(**texts: tuple[str, int]) -> None:
    """Refuse a free text longer than its field holds (or than one printed page)."""
    for value, limit in texts.values():
        if len(value or "") > limit:
            raise InvalidRequest(errors.TEXT_TOO_LONG % {"max": limit, "length": len(value)})


def _require_party(party: Party, role: str) -> None:
    """Refuse an applicant or agent without name, valid ID number or phone."""
    label = errors.ROLE_APPLICANT if role == "applicant" else errors.ROLE_AGENT
    _bounded(
        name=(party.name, 100),
        id_number=(party.id_number, 40),
        phone=(party.phone, 32),
        address=(party.address, SHORT_TEXT_MAX),
        representative=(party.legal_representative, 100),
        authorisation=(party.authorisation, SHORT_TEXT_MAX),
    )
    if not party.name.strip():
        raise InvalidRequest(errors.PARTY_NAME_REQUIRED % {"role": label})
    if not party.id_number.strip():
        raise InvalidRequest(errors.PARTY_ID_REQUIRED % {"role": label})
    try:
        if party.id_type == IdType.RESIDENT_ID:
            parse_resident_id(party.id_number)
        elif party.id_type == IdType.USCC:
            validate_uscc(party.id_number)
        validate_phone(party.phone)
    except ValidationError as exc:
        raise InvalidRequest(f"{label}：{'；'.join(exc.messages)}") from exc


def _material_rows(
    case: Case, item: ServiceItem, lines: Sequence[MaterialLine]
) -> list[CaseMaterial]:
    by_material = {line.material_id: line for line in lines if line.material_id}
    rows: list[CaseMaterial] = []
    checklist: Iterable[ItemMaterial] = item.materials.all()
    for material in checklist:
        line = by_material.pop(material.pk, None)
        received = line is not None and line.state == CaseMaterial.State.RECEIVED
        rows.append(
            CaseMaterial(
                case=case,
                material=material,
                position=material.position,
                name=material.name,
                form=(line.form if line and line.form else material.form),
                copies=line.copies if line else 0,
                pages=line.pages if line else 0,
                required=material.required,
                state=line.state if line else CaseMaterial.State.MISSING,
                problem=line.problem if line and not received else "",
            )
        )
    if by_material:
        raise InvalidRequest(f"materials {sorted(by_material)} are not on {item.code}'s checklist")
    position = max((r.position for r in rows), default=0)
    for line in lines:
        if line.material_id:
            continue
        if not line.name:
            raise InvalidRequest("an extra material line needs a name")
        position += 1
        rows.append(
            CaseMaterial(
                case=case,
                position=position,
                name=line.name,
                form=line.form or CaseMaterial.Form.COPY,
                copies=line.copies,
                pages=line.pages,
                required=False,
                state=line.state,
                problem=line.problem,
            )
        )
    return rows


def case_receive(
    *,
    center: Center,
    item: ServiceItem,
    actor: User,
    applicant: Party,
    materials: Sequence[MaterialLine] = (),
    agent: Party | None = None,
    first_responder: User | None = None,
    parent: Case | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """收件: register an application at the window; the receiver is first responder."""
    moment = _now(now)
    probe = Case(center=center, item=item, department=item.department)
    permissions.require_clerk(actor, probe)
    if not item.is_active:
        raise InvalidRequest(f"{item.name} is not an active service item")
    _require_party(applicant, "applicant")
    if agent is not None:
        _require_party(agent, "agent")
    if idempotency_key:
        idempotency_key = _receipt_key(actor, idempotency_key)
    try:
        with transaction.atomic():
            if idempotency_key:
                done = _replayed_receipt(
                    idempotency_key, center=center, item=item, applicant=applicant
                )
                if done is not None:
                    return done
            locks.set_lock_timeout()
            year = local_date(moment).year
            deferred = numbering.deferring()
            case = Case(
                # Inside numbering.numbers_last() the center's counter is taken just
                # before commit; until then the row carries a private placeholder.
                number=f"pending-{uuid4().hex}" if deferred else _next_number(center, year),
                center=center,
                item=item,
                department=item.department,
                parent=parent,
                applicant_kind=applicant.kind,
                applicant_name=applicant.name,
                applicant_id_type=applicant.id_type,
                applicant_id_number=applicant.id_number,
                applicant_phone=applicant.phone,
                applicant_address=applicant.address,
                applicant_legal_representative=applicant.legal_representative,
                received_at=moment,
                received_by=actor,
                first_responder=first_responder or actor,
                deemed_acceptance_at=deemed_acceptance_deadline(local_date(moment), get_calendar()),
            )
            if agent is not None:
                case.agent_name = agent.name
                case.agent_id_type = agent.id_type
                case.agent_id_number = agent.id_number
                case.agent_phone = agent.phone
                case.agent_authorisation = agent.authorisation
            case.save()
            rows = _material_rows(case, item, materials)
            CaseMaterial.objects.bulk_create(rows)
            if idempotency_key:
                IdempotentReceipt.objects.create(key=idempotency_key, case=case)
            record_event(
                case=case,
                action="receive",
                actor=actor,
                to_status=case.status,
                payload={
                    "item": item.code,
                    "first_responder": case.first_responder_id,
                    "materials": [r.as_dict() for r in rows],
                    "agent": bool(agent),
                },
                clock=clock_state(case),
                idempotency_key=idempotency_key,
                at=moment,
            )
            if deferred:
                numbering.at_commit(numbering.CASE_NUMBER, lambda: _assign_number(case, year))
            return case
    except IntegrityError:
        if idempotency_key:
            done = _replayed_receipt(idempotency_key, center=center, item=item, applicant=applicant)
            if done is not None:
                return done
        raise


# ---------------------------------------------------------------- before acceptance


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
        fresh.suspensions.filter(ended_at__isnull=True).update(ended_at=moment, ended_by=actor)

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


# ---------------------------------------------------------------- back office


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


def open_public_notice(case: Case) -> Suspension | None:
    """The 公示 now running on ``case``, or None."""
    return case.suspensions.filter(
        ended_at__isnull=True, procedure=Suspension.Procedure.PUBLIC_NOTICE
    ).first()


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
        fresh.suspensions.filter(ended_at__isnull=True).update(ended_at=moment, ended_by=actor)
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


@dataclass(frozen=True)
class Overrun:
    """A special procedure the sweep found past its expected duration (warned once)."""

    suspension_id: int
    case_id: int
    number: str
    item_name: str
    procedure: str
    expected_days: int
    expected_end: date
    started_by_id: int
    handler_id: int | None
    center_id: int
    department_id: int


_MARK_OVERRUN = """
UPDATE cases_suspension SET overrun_warned_at = %(now)s
WHERE id = ANY(%(ids)s::bigint[]) AND overrun_warned_at IS NULL AND ended_at IS NULL
RETURNING id
"""


def special_procedures_mark_overrun(*, now: datetime) -> list[Overrun]:
    """Running special procedures past their expected end, each returned exactly once.

    Past = the Beijing day of ``now`` is after the expected end. The UPDATE only
    takes rows not yet warned (re-checked by PostgreSQL under the row lock), so
    two sweeps, even concurrent ones, never both return the same procedure.
    """
    today = local_date(now)
    cal = get_calendar()
    late: dict[int, tuple[Suspension, date]] = {}
    running = Suspension.objects.filter(
        ended_at__isnull=True, overrun_warned_at__isnull=True
    ).select_related("case__item")
    for suspension in running:
        try:
            end = suspension_expected_end(suspension, cal)
        except ValueError:  # beyond the calendar's range: cannot be late yet
            continue
        if today > end:
            late[suspension.pk] = (suspension, end)
    if not late:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_MARK_OVERRUN, {"now": now, "ids": sorted(late)})
        marked = sorted(row[0] for row in cursor.fetchall())
    overruns = []
    for pk in marked:
        suspension, end = late[pk]
        case = suspension.case
        overruns.append(
            Overrun(
                suspension_id=pk,
                case_id=case.pk,
                number=case.number,
                item_name=case.item.name,
                procedure=str(suspension.get_procedure_display()),
                expected_days=suspension.expected_days,
                expected_end=end,
                started_by_id=suspension.started_by_id,
                handler_id=case.handler_id,
                center_id=case.center_id,
                department_id=case.department_id,
            )
        )
    return overruns


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
        fresh.suspensions.filter(ended_at__isnull=True).update(ended_at=moment, ended_by=actor)

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


# ---------------------------------------------------------------- extension


def case_request_extension(
    *,
    case: Case,
    actor: User,
    days: int,
    reason: str,
    now: datetime | None = None,
) -> Extension:
    """申请延期 (第四十二条): once per case, capped, within the statutory limit.

    An item whose local rule is stricter (``extension_within_promise``) allows
    it only within the promised limit.
    """
    _bounded(reason=(reason, REASON_MAX))
    moment = _now(now)
    if not reason.strip():
        raise InvalidRequest(errors.REASON_REQUIRED)
    with transaction.atomic():
        fresh = _lock_case(case)
        permissions.require_department(actor, fresh)
        _require_extension_window(fresh, moment)
        cap = int(fresh.item_snapshot.get("max_extension_days", 10))
        if not 1 <= days <= cap:
            raise InvalidRequest(errors.EXTENSION_TOO_LONG % {"max": cap})
        if fresh.extensions.exists():
            raise InvalidRequest(errors.EXTENSION_ALREADY)
        extension = Extension.objects.create(
            case=fresh,
            days=days,
            reason=reason.strip(),
            state=Extension.State.REQUESTED,
            requested_by=actor,
            requested_at=moment,
        )
        record_event(
            case=fresh,
            action="request_extension",
            actor=actor,
            from_status=fresh.status,
            to_status=fresh.status,
            payload={"days": days, "reason": reason.strip(), "extension": extension.pk},
            clock=clock_state(fresh),
            at=moment,
        )
        if not fresh.item_snapshot.get("extension_needs_head", True):
            return _decide_extension(fresh, extension, actor, True, "", moment)
        return extension


def case_decide_extension(
    *,
    case: Case,
    actor: User,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
) -> Extension:
    """审批延期: the department head approves (before the deadline) or refuses."""
    _bounded(note=(note, REASON_MAX))
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_case(case)
        permissions.require_department(actor, fresh, head=True)
        extension = fresh.extensions.filter(state=Extension.State.REQUESTED).first()
        if extension is None:
            raise InvalidRequest(errors.EXTENSION_NOT_PENDING)
        permissions.require_four_eyes(actor, extension.requested_by_id, errors.FOUR_EYES_EXTENSION)
        if approve:
            _require_extension_window(fresh, moment)
        return _decide_extension(fresh, extension, actor, approve, note, moment)


def _require_extension_window(case: Case, moment: datetime) -> None:
    """Refuse an extension outside 第四十二条's window: the statutory limit (or the promise)."""
    if case.status not in OPEN or case.statutory_due_at is None or case.promised_due_at is None:
        raise TransitionRefused(errors.EXTENSION_NOT_OPEN)
    if case.item_snapshot.get("extension_within_promise") and moment > case.promised_due_at:
        raise InvalidRequest(
            errors.EXTENSION_AFTER_DEADLINE % {"due": local_date(case.promised_due_at).isoformat()}
        )
    if moment > case.statutory_due_at:
        raise InvalidRequest(
            errors.EXTENSION_AFTER_STATUTORY_DEADLINE
            % {"due": local_date(case.statutory_due_at).isoformat()}
        )


def _decide_extension(
    case: Case, extension: Extension, actor: User, approve: bool, note: str, moment: datetime
) -> Extension:
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = moment
    extension.decision_note = note.strip()
    if approve:
        # A promise already broken stays broken: only the statutory date moves.
        extension.extends_promise = case.promised_due_at is not None and (
            moment <= case.promised_due_at
        )
    extension.save()
    old = clock_state(case)
    if approve:
        case.extension_days = extension.days
        _apply_clock(case)
        case.alert_level = _level_now(case, moment)
        case.save()
    record_event(
        case=case,
        action="approve_extension" if approve else "refuse_extension",
        actor=actor,
        from_status=case.status,
        to_status=case.status,
        payload={
            "extension": extension.pk,
            "days": extension.days,
            "note": note.strip(),
            "old_clock": old,
        },
        clock=clock_state(case),
        at=moment,
    )
    return extension


def _level_now(case: Case, moment: datetime) -> int:
    """The warning level the case is at right now, never above what was raised."""
    return min(int(due_level(case, moment)), case.alert_level)


# ---------------------------------------------------------------- accountability


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


# ---------------------------------------------------------------- calendar changes


def case_recompute_clock(
    *,
    case: Case,
    reason: str,
    cal: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> bool:
    """Re-derive the due dates (e.g. a calendar was published); event only if they moved."""
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_case(case)
        calendar = cal or get_calendar()
        if fresh.status == Status.RECEIVED and fresh.deemed_acceptance_at is not None:
            basis = fresh.supplemented_at or fresh.received_at
            new = deemed_acceptance_deadline(local_date(basis), calendar)
            if new == fresh.deemed_acceptance_at:
                return False
            old_state = clock_state(fresh)
            fresh.deemed_acceptance_at = new
        elif fresh.status in OPEN and fresh.accepted_at is not None:
            old_state = clock_state(fresh)
            before = (
                fresh.promised_due_at,
                fresh.statutory_due_at,
                fresh.due_provisional,
                fresh.warn_at,
            )
            _apply_clock(fresh, calendar)
            after = (
                fresh.promised_due_at,
                fresh.statutory_due_at,
                fresh.due_provisional,
                fresh.warn_at,
            )
            if before == after:
                return False
        else:
            return False
        fresh.save()
        record_event(
            case=fresh,
            action="recompute_clock",
            actor=None,
            from_status=fresh.status,
            to_status=fresh.status,
            payload={"reason": reason, "old": old_state, "new": clock_state(fresh)},
            clock=clock_state(fresh),
            at=moment,
        )
        return True


def cases_depending_on_years(years: Iterable[int]) -> Q:
    """Open or not-yet-accepted cases whose clock window touches any of ``years``."""
    q = Q()
    for year in years:
        first = start_of_day(date(year, 1, 1))
        last = end_of_day(date(year, 12, 31))
        q |= Q(status__in=list(OPEN), accepted_at__lte=last, statutory_due_at__gte=first)
        q |= Q(status__in=list(OPEN), due_provisional=True)
        q |= Q(
            status=Status.RECEIVED,
            deemed_acceptance_at__isnull=False,
            received_at__lte=last,
            deemed_acceptance_at__gte=first,
        )
    return q


def recompute_for_years(years: Iterable[int], cal: WorkingCalendar, reason: str) -> int:
    """Recompute every open deadline that depends on ``years``; return how many moved."""
    moved = 0
    for case in Case.objects.filter(cases_depending_on_years(years)).iterator(chunk_size=500):
        if case_recompute_clock(case=case, reason=reason, cal=cal):
            moved += 1
    return moved


__all__ = [
    "RUNNING",
    "CorrectionLine",
    "MaterialLine",
    "Party",
    "case_accept",
    "case_close",
    "case_decide",
    "case_decide_extension",
    "case_deem_accept",
    "case_reassign_first_responder",
    "case_receive",
    "case_recompute_clock",
    "case_reject",
    "case_request_correction",
    "case_request_extension",
    "case_resume",
    "case_start",
    "case_supplement",
    "case_suspend",
    "case_withdraw",
    "clock_state",
    "recompute_for_years",
]


# ---------------------------------------------------------------- personal data (PIPL)

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
