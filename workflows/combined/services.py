"""一件事: receive one application as a parent case plus one child case per sub-item.

The window enters the applicant once and ticks the union of the sub-items'
materials; ``bundle_receive`` receives and accepts the parent and every child
through the case services and starts the parent's flow, which starts each
child's department flow. When a child is decided its flow sends
``sub_case_finished`` and ``receivers.wake_bundle`` calls
``bundle_child_finished``; once no child is pending the parent flow moves on
to the lead department's summary and one combined delivery at the window.
The reads (checklists, progress) are in ``workflows.combined.selectors``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases import errors as case_errors
from workflows.cases import services as case_services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, CaseMaterial, Status
from workflows.cases.services import CorrectionLine, MaterialLine, Party
from workflows.catalog.models import Center, ServiceItem
from workflows.combined.models import Bundle, Deceased
from workflows.combined.selectors import (
    MaterialChoice,
    bundle_parts,
    children_pending,
    missing_for,
    union_checklist,
)
from workflows.tasks.models import CaseProcess
from workflows.tasks.routing import start_department_flow
from workflows.window.forms import missing_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NO_PARTS = _("请至少选择一个子项。")
PART_REQUIRED = _("“%(item)s”是本“一件事”的必办子项，不能取消。")
PART_UNKNOWN = _("所选子项不属于本“一件事”，请刷新页面后重试。")
MATERIALS_MISSING = _(
    "以下子项的必交材料未收齐，不能一并受理：%(missing)s。请收齐材料，或取消勾选可选子项。"
)
BUNDLE_INACTIVE = _("“%(name)s”已停用，不能受理。")
DECEASED_REQUIRED = _("“%(name)s”须登记逝者的姓名、身份证号码和死亡日期，各子项据此办理。")
NOTHING_MISSING = _("各子项的必交材料已收齐，无需补正，请选择一次受理。")
CASE_NOT_IN_BUNDLE = _("所列办件不属于本“一件事”，请刷新页面后重试。")
NOT_AWAITING_CORRECTION = _("本“一件事”当前为“%(status)s”，不在待补正状态，不能登记补正。")
NOTHING_BROUGHT = _("请勾选申请人补交的材料。")
NOT_ON_NOTICE = _("以下材料不在补正告知书中：%(names)s。请刷新页面后重试。")
NOT_RECEIVED = _("本“一件事”当前为“%(status)s”，不能受理。")
CHILD_NOT_READY = _("子项“%(item)s”当前为“%(status)s”，须补正齐全后才能一并受理。")
CHILD_REFUSED = _("子项“%(item)s”不能受理：%(reason)s")


@dataclass(frozen=True)
class DeceasedPerson:
    """Who died, as the window records it for a 公民身后一件事."""

    name: str
    id_number: str
    date_of_death: date


def _lines_for(item: ServiceItem, received: Collection[str]) -> list[MaterialLine]:
    return [
        MaterialLine(material_id=m.pk, copies=m.copies)
        for m in item.materials.all()
        if m.name in received
    ]


def _parent_lines(
    bundle: Bundle, union: list[MaterialChoice], received: Collection[str]
) -> list[MaterialLine]:
    """The bundle form by checklist, and every sub-item material as an extra line."""
    lines = _lines_for(bundle.item, received)
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
        raise InvalidRequest(PART_UNKNOWN)
    for part in parts:
        if not part.optional and part.item_id not in item_ids:
            raise InvalidRequest(PART_REQUIRED % {"item": part.item.name})
    chosen = [p.item for p in parts if p.item_id in item_ids]
    if not chosen:
        raise InvalidRequest(NO_PARTS)
    return chosen


def _check_bundle(bundle: Bundle, deceased: DeceasedPerson | None) -> None:
    if not bundle.is_active or not bundle.item.is_active:
        raise InvalidRequest(BUNDLE_INACTIVE % {"name": bundle.name})
    if bundle.needs_deceased and deceased is None:
        raise InvalidRequest(DECEASED_REQUIRED % {"name": bundle.name})


def _receive_all(
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
        materials=_parent_lines(bundle, union, received),
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
            materials=_lines_for(item, received),
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
    _check_bundle(bundle, deceased)
    items = chosen_parts(bundle, item_ids)
    missing = missing_for([bundle.item, *items], received)
    if missing:
        text = "；".join(f"{item.name}（{'、'.join(names)}）" for item, names in missing.items())
        raise InvalidRequest(MATERIALS_MISSING % {"missing": text})
    with transaction.atomic():
        parent, replayed = _receive_all(
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


# ---------------------------------------------------------------- 一次性告知 and 补正


def bundle_correction_lines(
    parent: Case, problems: Mapping[str, str] | None = None
) -> dict[int, list[CorrectionLine]]:
    """What each case of the bundle lacks (by case pk): required lines not received.

    ``problems`` gives the clerk's wording per material name; otherwise the
    notice says what is due, in which form and how many copies.
    """
    problems = problems or {}
    lines: dict[int, list[CorrectionLine]] = {}
    for case in [parent, *parent.children.order_by("pk")]:
        for row in case.materials.order_by("position"):
            if row.state == CaseMaterial.State.RECEIVED:
                continue
            if row.state == CaseMaterial.State.MISSING and not row.required:
                continue  # an optional line, or the main case's copy of a sub-item line
            problem = (problems.get(row.name) or "").strip() or row.problem or missing_problem(row)
            lines.setdefault(case.pk, []).append(
                CorrectionLine(position=row.position, problem=problem, state=row.state)
            )
    return lines


def bundle_request_correction(
    *,
    parent: Case,
    actor: User,
    lines: Mapping[int, Sequence[CorrectionLine]],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """一次性告知 for a whole 一件事: one notice on the main case, every lacking sub-case 待补正.

    ``lines`` maps a case pk (the main case or a sub-case) to what it lacks.
    Each case goes through ``case_request_correction``, so the law's rules
    (one notice, no new items in a second one, too late once deemed accepted)
    hold per case; the main case also lists every sub-case line by name, so
    its notice (the only document issued) covers them all.
    """
    children = {c.pk: c for c in parent.children.order_by("pk")}
    if set(lines) - {parent.pk, *children}:
        raise InvalidRequest(CASE_NOT_IN_BUNDLE)
    if not any(lines.values()):
        raise InvalidRequest(case_errors.CORRECTION_EMPTY)
    parent_rows = {
        m.name: m for m in parent.materials.filter(material__isnull=True).order_by("position")
    }
    parent_lines = {line.position: line for line in lines.get(parent.pk, [])}
    with transaction.atomic():
        for pk, child in children.items():
            if not lines.get(pk):
                continue
            names = dict(child.materials.values_list("position", "name"))
            for line in lines[pk]:
                row = parent_rows.get(names.get(line.position, ""))
                if row is not None and row.position not in parent_lines:
                    parent_lines[row.position] = CorrectionLine(
                        position=row.position, problem=line.problem, state=line.state
                    )
            case_services.case_request_correction(
                case=child,
                actor=actor,
                lines=lines[pk],
                idempotency_key=f"{idempotency_key}:{pk}" if idempotency_key else None,
                now=now,
            )
        return case_services.case_request_correction(
            case=parent,
            actor=actor,
            lines=sorted(parent_lines.values(), key=lambda line: line.position),
            idempotency_key=idempotency_key,
            now=now,
        )


def bundle_receive_for_correction(
    *,
    bundle: Bundle,
    center: Center,
    actor: User,
    applicant: Party,
    item_ids: Collection[int],
    received: Collection[str],
    problems: Mapping[str, str] | None = None,
    agent: Party | None = None,
    deceased: DeceasedPerson | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """收件 with materials lacking: the main case and every sub-case received, one 补正告知书."""
    _check_bundle(bundle, deceased)
    items = chosen_parts(bundle, item_ids)
    if not missing_for([bundle.item, *items], received):
        raise InvalidRequest(NOTHING_MISSING)
    with transaction.atomic():
        parent, replayed = _receive_all(
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
        return bundle_request_correction(
            parent=parent,
            actor=actor,
            lines=bundle_correction_lines(parent, problems),
            idempotency_key=f"{idempotency_key}:notice" if idempotency_key else None,
            now=now,
        )


def bundle_supplement(
    *,
    parent: Case,
    actor: User,
    brought: Collection[str],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """补正 for a whole 一件事: every case on the notice records what the applicant brought.

    ``brought`` names materials of the notice; each case in 待补正 goes back
    to 收件 through ``case_supplement``, which decides whether it is complete.
    """
    if parent.status != Status.AWAITING_CORRECTION:
        raise InvalidRequest(NOT_AWAITING_CORRECTION % {"status": parent.get_status_display()})
    waiting = [
        *parent.children.filter(status=Status.AWAITING_CORRECTION).order_by("pk"),
        parent,
    ]
    on_notice = {entry["name"] for case in waiting for entry in case.correction_items}
    if not brought:
        raise InvalidRequest(NOTHING_BROUGHT)
    if set(brought) - on_notice:
        raise InvalidRequest(NOT_ON_NOTICE % {"names": "、".join(sorted(set(brought) - on_notice))})
    with transaction.atomic():
        for case in waiting:
            rows = {m.position: m for m in case.materials.select_related("material")}
            lines = [
                MaterialLine(
                    position=row.position,
                    copies=max(row.copies, row.material.copies if row.material else 1),
                    state=CaseMaterial.State.RECEIVED,
                )
                for entry in case.correction_items
                if entry["name"] in brought and (row := rows.get(entry["position"])) is not None
            ]
            supplemented = case_services.case_supplement(
                case=case,
                actor=actor,
                lines=lines,
                idempotency_key=f"{idempotency_key}:{case.pk}" if idempotency_key else None,
                now=now,
            )
        return supplemented


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
        raise InvalidRequest(NOT_RECEIVED % {"status": parent.get_status_display()})
    with transaction.atomic():
        for child in parent.children.select_related("item").order_by("pk"):
            if child.status == Status.ACCEPTED:
                continue  # deemed accepted by the sweep meanwhile; its flow starts below
            if child.status != Status.RECEIVED:
                raise InvalidRequest(
                    CHILD_NOT_READY
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
                    CHILD_REFUSED % {"item": child.item.name, "reason": exc.message}
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
        raise InvalidRequest(BUNDLE_INACTIVE % {"name": bundle.name})
    items = chosen_parts(bundle, item_ids)
    union = union_checklist(bundle, items)
    with transaction.atomic():
        parent = case_services.case_receive(
            center=center,
            item=bundle.item,
            actor=actor,
            applicant=applicant,
            agent=agent,
            materials=_parent_lines(bundle, union, received),
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


def bundle_child_finished(*, child: Case) -> bool:
    """Wake the parent flow when ``child`` was its last pending sub-case; True if it woke.

    Runs inside the child's flow transaction. The parent's flow lock is taken
    before the siblings are read, so of two children decided at the same
    moment the second to get the lock sees the first and wakes the parent.
    """
    if child.parent_id is None:
        return False
    process = CaseProcess.objects.filter(case_id=child.parent_id).first()
    if process is None:
        return False
    flow_class = process.flow_class
    with flow_class.lock(process.pk):
        if children_pending(Case.objects.get(pk=child.parent_id)):
            return False
        waiting = Task.objects.filter(
            process_id=process.pk, flow_task=flow_class.wait_children, status=STATUS.NEW
        ).first()
        if waiting is None:
            return False
        flow_class.wait_children.run(waiting)
        return True
