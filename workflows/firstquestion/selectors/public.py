"""The citizens' status page: a case's public facts (no names, ID numbers, phones)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from workflows.cases.models import OPEN, Case, Status
from workflows.tasks.selectors import open_step

STAGE_WORDS = {
    Status.RECEIVED: gettext_lazy("已收件，正在审查申请材料（收件后 5 个工作日内决定是否受理）。"),
    Status.AWAITING_CORRECTION: gettext_lazy(
        "需要补正材料：请按《补正材料通知书》一次性补交所列材料；补交前办理时限暂不计算。"
    ),
    Status.ACCEPTED: gettext_lazy("已受理，等待部门办理。"),
    Status.IN_PROGRESS: gettext_lazy("部门正在办理。"),
    Status.SUSPENDED: gettext_lazy(
        "正在进行特别程序（如听证、检验检测、鉴定或专家评审），所需时间不计入办理时限。"
    ),
    Status.DECIDED: gettext_lazy("已办结，等待领取或送达办理结果。"),
    Status.CLOSED: gettext_lazy("已办结，办理结果已送达。"),
    Status.REJECTED: gettext_lazy("不予受理，理由见《不予受理决定书》。"),
    Status.WITHDRAWN: gettext_lazy("申请已撤回，办理终止。"),
}


@dataclass(frozen=True)
class PublicStatus:
    """What the citizens' status page shows: no names, ID numbers, phones or addresses."""

    number: str
    item: str
    department: str
    center: str
    stage: str
    step: str
    received_on: date
    accepted_on: date | None
    promised_due: date | None
    provisional: bool
    late: bool
    finished_on: date | None
    delivery: str


def _public_step(case: Case) -> str:
    if case.status not in OPEN:
        return ""
    return open_step(case.pk)


def _local(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def public_status(case: Case, *, now: datetime | None = None) -> PublicStatus:
    """The public facts of ``case`` (nothing that identifies a person)."""
    moment = now or timezone.now()
    due = case.promised_due_at
    if case.decided_at is not None:
        late = due is not None and case.decided_at > due
    elif case.status in OPEN:
        late = due is not None and moment > due
    else:
        late = False
    finished = case.closed_at if case.status == Status.CLOSED else case.decided_at
    if case.status in (Status.REJECTED, Status.WITHDRAWN):
        finished = None
    return PublicStatus(
        number=case.number,
        item=case.item.name,
        department=case.department.full_name or case.department.name,
        center=case.center.name,
        stage=str(STAGE_WORDS.get(case.status, "")),
        step=_public_step(case),
        received_on=_local(case.received_at) or moment.date(),
        accepted_on=_local(case.accepted_at),
        promised_due=_local(due),
        provisional=bool(due and case.promised_due_provisional),
        late=late,
        finished_on=_local(finished),
        delivery=case.get_delivery_method_display() if case.status == Status.CLOSED else "",
    )
