"""收件 and numbering: registering an application at the window, with its gapless number."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from forms.validators import parse_resident_id, validate_phone, validate_uscc
from workflows.calendar.api import get_calendar
from workflows.cases import errors, locks, numbering, permissions, txn
from workflows.cases.clock import deemed_acceptance_deadline, local_date
from workflows.cases.errors import InvalidRequest
from workflows.cases.events import record_event
from workflows.cases.models import Case, CaseMaterial, IdempotentReceipt, IdType
from workflows.cases.services._clock import clock_state
from workflows.cases.services._transition import _now
from workflows.cases.services.inputs import SHORT_TEXT_MAX, MaterialLine, Party, _bounded
from workflows.catalog.models import Center, ItemMaterial, ServiceItem

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _receipt_key(actor: User, key: str) -> str:
    """A receive request's key, scoped to the clerk: another user's equal key is another key."""
    scoped = f"u{actor.pk}:{key}"
    return scoped if len(scoped) <= 100 else "h:" + hashlib.sha256(scoped.encode()).hexdigest()


def _replayed_receipt(
    key: str, *, center: Center, item: ServiceItem, applicant: Party
) -> Case | None:
    """The case this exact receive request created; a key reused for another one is refused."""
    # Nearly every key is new: look for its case's id alone, and read the case on a replay.
    case_id = IdempotentReceipt.objects.filter(key=key).values_list("case_id", flat=True).first()
    if case_id is None:
        return None
    case = Case.objects.get(pk=case_id)
    if (case.center_id, case.item_id, case.applicant_id_number, case.applicant_name) != (
        center.pk,
        item.pk,
        applicant.id_number,
        applicant.name,
    ):
        raise InvalidRequest(errors.IDEMPOTENCY_KEY_REUSED % {"number": case.number})
    return case


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
            txn.note_written(Case._meta.db_table, case.pk)  # nobody else sees it before commit
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
            # The row is this transaction's alone until commit: the outcome that
            # follows in the same transaction steps on this instance (txn).
            txn.mark_current(case, events={idempotency_key: "receive"} if idempotency_key else {})
            return case
    except IntegrityError:
        if idempotency_key:
            done = _replayed_receipt(idempotency_key, center=center, item=item, applicant=applicant)
            if done is not None:
                return done
        raise
