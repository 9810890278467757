"""How the window shows a case: masked ID numbers, plain-word status, the light, the trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import masking
from documents.models import Document
from workflows.cases.actions import action_label
from workflows.cases.lights import Light as LightLevel
from workflows.cases.lights import decided_on_time, due_level
from workflows.cases.models import (
    OPEN,
    Case,
    IdType,
    Status,
)
from workflows.catalog.roles import display_name
from workflows.web.trail_text import (  # noqa: F401 -- re-exported for the window's pages
    REVEAL_FIELD_LABELS,
    clock_summary,
    payload_summary,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django_stubs_ext import StrOrPromise


def mask_id_number(value: str, id_type: str = IdType.RESIDENT_ID) -> str:
    """An ID number as staff screens show it (``documents.masking``, audience ``SCREEN``)."""
    return masking.mask_id_number(value, masking.Audience.SCREEN, id_type=id_type)


def mask_phone(value: str) -> str:
    """A phone number as staff screens show it (``documents.masking``, audience ``SCREEN``)."""
    return masking.mask_phone(value, masking.Audience.SCREEN)


STATUS_EXPLAINED: dict[str, StrOrPromise] = {
    Status.RECEIVED: gettext_lazy(
        "已收件，尚未受理。须在收件后 5 个工作日内受理、一次性告知补正或不予受理，"
        "逾期不告知的依法视为受理。"
    ),
    Status.AWAITING_CORRECTION: gettext_lazy(
        "已一次性告知补正，等待申请人补交材料；补正期间办理时限不起算。"
    ),
    Status.ACCEPTED: gettext_lazy("已受理，办理时限已开始计算，等待部门开始办理。"),
    Status.IN_PROGRESS: gettext_lazy("部门正在办理。"),
    Status.SUSPENDED: gettext_lazy(
        "处于特别程序中（如听证、检测、鉴定、专家评审），特别程序所需时间不计入办理时限。"
    ),
    Status.DECIDED: gettext_lazy("已作出决定，等待将结果送达申请人（出件）。"),
    Status.CLOSED: gettext_lazy("结果已送达申请人，办件已完结。"),
    Status.REJECTED: gettext_lazy("不予受理，已书面告知理由。"),
    Status.WITHDRAWN: gettext_lazy("申请已撤回，办件终止。"),
}


def person_name(user: AbstractBaseUser | None) -> str:
    """A staff member's display name; the system when nobody."""
    if user is None:
        return _("系统")
    return display_name(user)


def staff_phone(user: AbstractBaseUser | None) -> str:
    """The phone on a staff member's profile, or ''."""
    profile = getattr(user, "staff", None) if user is not None else None
    return profile.phone if profile is not None else ""


def status_label(value: str) -> str:
    """A status code in words ('' stays '')."""
    if not value:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


# ---------------------------------------------------------------- the light


@dataclass(frozen=True)
class Light:
    """The traffic light of a case: CSS level and words."""

    level: str
    label: str


def current_level(case: Case, moment: datetime) -> LightLevel:
    """The warning level by the due dates now, never below what was already raised."""
    return LightLevel(max(int(due_level(case, moment)), case.alert_level))


def traffic_light(case: Case, moment: datetime | None = None) -> Light:
    """Green, yellow, red or statutory red while the clock runs; grey otherwise."""
    now = moment or timezone.now()
    if case.status in OPEN:
        level = current_level(case, now)
        if case.status == Status.SUSPENDED:
            return Light(level.css, _("%(light)s（特别程序中，暂停计时）") % {"light": level.label})
        return Light(level.css, level.label)
    if case.status in (Status.DECIDED, Status.CLOSED) and case.decided_at:
        if not decided_on_time(case):
            return Light("red", _("超期办结"))
        return Light("green", _("按时办结"))
    if case.status in (Status.RECEIVED, Status.AWAITING_CORRECTION):
        return Light("none", _("未受理，尚未计时"))
    return Light("none", _("不计时"))


# ---------------------------------------------------------------- the trail


@dataclass(frozen=True)
class TrailRow:
    """One line of the event trail as shown."""

    seq: int
    at: datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    summary: str
    clock: str


def trail_rows(events: Any) -> list[TrailRow]:
    """The events of a case as table rows."""
    return [
        TrailRow(
            seq=event.seq,
            at=event.created_at,
            actor=person_name(event.actor),
            action=action_label(event.action),
            from_status=status_label(event.from_status),
            to_status=status_label(event.to_status),
            summary=payload_summary(event),
            clock=clock_summary(event.clock),
        )
        for event in events
    ]


# ---------------------------------------------------------------- documents


# The kinds are documents.models.DocumentKind values, so the receipts team's URLs fit.
DOCUMENT_TITLES: dict[str, StrOrPromise] = {
    "acceptance": gettext_lazy("受理通知书"),
    "correction": gettext_lazy("补正材料通知书（一次性告知书）"),
    "rejection": gettext_lazy("不予受理决定书"),
    "extension": gettext_lazy("延期办理告知书"),
    "special": gettext_lazy("特别程序告知书"),
    "completion": gettext_lazy("办结通知书"),
    "supervision": gettext_lazy("督办单"),
}


def documents_for(case: Case) -> list[str]:
    """Every document the case has: those issued, in issue order, then any its outcomes imply.

    The issued ones come from the case's ``documents.Document`` rows, so a notice
    issued by a department (延期办理告知书, 特别程序告知书) or the supervisor is
    reachable from the window as well; the implied ones cover a case whose notice
    is still being issued.
    """
    implied: list[str] = []
    if case.correction_items:
        implied.append("correction")
    if case.status == Status.REJECTED:
        implied.append("rejection")
    if case.accepted_at:
        implied.append("acceptance")
    if case.decided_at:
        implied.append("completion")
    issued = Document.objects.filter(case_id=case.pk).order_by("issued_at", "pk")
    kinds: list[str] = []
    for kind in [*issued.values_list("kind", flat=True), *implied]:
        if kind in DOCUMENT_TITLES and kind not in kinds:
            kinds.append(kind)
    return kinds


def default_document(case: Case) -> str:
    """The document of the latest outcome."""
    if case.status == Status.AWAITING_CORRECTION:
        return "correction"
    kinds = [k for k in documents_for(case) if k != "supervision"]
    return kinds[-1] if kinds else ""
