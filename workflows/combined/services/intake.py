"""一件事 intake: receive the parent and a sub-case per chosen item, accept them all, or refuse."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction

from workflows.cases import services as case_services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, CaseMaterial, Status
from workflows.cases.services import MaterialLine, Party
from workflows.catalog.models import Center, ServiceItem
from workflows.combined import errors
from workflows.combined.models import Bundle, Deceased
from workflows.combined.selectors import (
    MaterialChoice,
    bundle_parts,
    missing_for,
    union_checklist,
)
from workflows.tasks.routing import start_department_flow

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class DeceasedPerson:
    """Who died, as the window records it for a 公民身后一件事."""

    name: str
    id_number: str
    date_of_death: date


def lines_for(item: ServiceItem, received: Collection[str]) -> list[MaterialLine]:
    return [
        MaterialLine(material_id=m.pk, copies=m.copies)
        for m in item.materials.all()
        if m.name in received
    ]


def parent_lines(
    bundle: Bundle, union: list[MaterialChoice], received: Collection[str]
) -> list[MaterialLine]:
    """The bundle form by checklist, and every sub-item material as an extra line."""
    lines = lines_for(bundle.item, received)
    own = {m.name for m in bundle.item.materials.all()}
    for choice in union:
        if choice.name in own:
            continue
        state = (
            CaseMaterial.State.RECEIVED if choice.name in received else CaseMaterial.State.MISSING
        )
        lines.append(
            MaterialLine(
                name=choice.name,
                form=choice.form,
                copies=choice.copies if state == CaseMaterial.State.RECEIVED else 0,
                state=state,
            )
        )
    return lines


def chosen_parts(bundle: Bundle, item_ids: Collection[int]) -> list[ServiceItem]:
    """The sub-items the applicant asks for, checked against the bundle (mandatory ones kept)."""
    parts = bundle_parts(bundle)
    known = {p.item_id for p in parts}
    if set(item_ids) - known:
        raise InvalidRequest(errors.PART_UNKNOWN)
    for part in parts:
        if not part.optional and part.item_id not in item_ids:
            raise InvalidRequest(errors.PART_REQUIRED % {"item": part.item.name})
    chosen = [p.item for p in parts if p.item_id in item_ids]
    if not chosen:
        raise InvalidRequest(errors.NO_PARTS)
    return chosen


def check_bundle(bundle: Bundle, deceased: DeceasedPerson | None) -> None:
    if not bundle.is_active or not bundle.item.is_active:
        raise InvalidRequest(errors.BUNDLE_INACTIVE % {"name": bundle.name})
    if bundle.needs_deceased and deceased is None:
        raise InvalidRequest(errors.DECEASED_REQUIRED % {"name": bundle.name})


def receive_all(
    *,
    bundle: Bundle,
    items: Sequence[ServiceItem],
    center: Center,
    actor: User,
    applicant: Party,
    received: Collection[str],
    agent: Party | None,
    deceased: DeceasedPerson | None,
    idempotency_key: str | None,
    now: datetime | None,
) -> tuple[Case, bool]:
    """收件 of the main case and one sub-case per item; True when the submission was a retry."""
    union = union_checklist(bundle, items)
    parent = case_services.case_receive(
        center=center,
        item=bundle.item,
        actor=actor,
        applicant=applicant,
        agent=agent,
        materials=parent_lines(bundle, union, received),
        idempotency_key=idempotency_key,
        now=now,
    )
    if parent.children.exists():
        return parent, True  # a retried submission: this bundle was received already
    if deceased is not None:
        Deceased.objects.create(
            case=parent,
            name=deceased.name,
            id_number=deceased.id_number,
            date_of_death=deceased.date_of_death,
        )
    for item in items:
        case_services.case_receive(
            center=center,
            item=item,
            actor=actor,
            applicant=applicant,
            agent=agent,
            materials=lines_for(item, received),
            parent=parent,
            now=now,
        )
    return parent, False


def bundle_receive(
    *,
    bundle: Bundle,
    center: Center,
    actor: User,
    applicant: Party,
    item_ids: Collection[int],
    received: Collection[str],
    agent: Party | None = None,
    deceased: DeceasedPerson | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """一件事一次受理: parent case + one child per chosen sub-item, all accepted, flows started.

    A bundle that ``needs_deceased`` (公民身后) is refused without ``deceased``.
    """
    check_bundle(bundle, deceased)
    items = chosen_parts(bundle, item_ids)
    missing = missing_for([bundle.item, *items], received)
    if missing:
        text = "；".join(f"{item.name}（{'、'.join(names)}）" for item, names in missing.items())
        raise InvalidRequest(errors.MATERIALS_MISSING % {"missing": text})
    with transaction.atomic():
        parent, replayed = receive_all(
            bundle=bundle,
            items=items,
            center=center,
            actor=actor,
            applicant=applicant,
            received=received,
            agent=agent,
            deceased=deceased,
            idempotency_key=idempotency_key,
            now=now,
        )
        if replayed:
            return parent
        return bundle_accept(parent=parent, actor=actor, now=now)


def bundle_accept(
    *,
    parent: Case,
    actor: User,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """受理 a received 一件事 (after its supplement): each sub-case, the main case, its flow.

    ``case_accept`` decides each date (now, or the receipt / completed
    supplement when the law already deems the case accepted) and refuses a
    case whose materials are still incomplete; then nothing is accepted.
    """
    if idempotency_key and parent.events.filter(idempotency_key=idempotency_key).exists():
        return parent  # a double click: accepted already
    if parent.status != Status.RECEIVED:
        raise InvalidRequest(errors.NOT_RECEIVED % {"status": parent.get_status_display()})
    with transaction.atomic():
        for child in parent.children.select_related("item").order_by("pk"):
            if child.status == Status.ACCEPTED:
                continue  # deemed accepted by the sweep meanwhile; its flow starts below
            if child.status != Status.RECEIVED:
                raise InvalidRequest(
                    errors.CHILD_NOT_READY
                    % {"item": child.item.name, "status": child.get_status_display()}
                )
            try:
                case_services.case_accept(
                    case=child,
                    actor=actor,
                    idempotency_key=f"{idempotency_key}:{child.pk}" if idempotency_key else None,
                    now=now,
                )
            except InvalidRequest as exc:
                raise InvalidRequest(
                    errors.CHILD_REFUSED % {"item": child.item.name, "reason": exc.message}
                ) from exc
        parent = case_services.case_accept(
            case=parent, actor=actor, idempotency_key=idempotency_key, now=now
        )
        start_department_flow(case=parent, actor=actor)
        return parent


def bundle_reject(
    *,
    bundle: Bundle,
    center: Center,
    actor: User,
    applicant: Party,
    item_ids: Collection[int],
    received: Collection[str],
    reason: str,
    competent_organ: str = "",
    agent: Party | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """不予受理 a 一件事: the main case is received and refused with its reasons; no sub-case.

    The same law as a single item (行政许可法第三十二条): the refusal is written
    and says where to apply when the matter is outside this organ's competence.
    """
    if not bundle.is_active or not bundle.item.is_active:
        raise InvalidRequest(errors.BUNDLE_INACTIVE % {"name": bundle.name})
    items = chosen_parts(bundle, item_ids)
    union = union_checklist(bundle, items)
    with transaction.atomic():
        parent = case_services.case_receive(
            center=center,
            item=bundle.item,
            actor=actor,
            applicant=applicant,
            agent=agent,
            materials=parent_lines(bundle, union, received),
            idempotency_key=idempotency_key,
            now=now,
        )
        if parent.status != Status.RECEIVED:
            return parent  # a retried submission: already refused
        return case_services.case_reject(
            case=parent,
            actor=actor,
            reason=reason,
            competent_organ=competent_organ,
            idempotency_key=f"{idempotency_key}:reject" if idempotency_key else None,
            now=now,
        )
