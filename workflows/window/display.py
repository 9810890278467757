"""How the window shows a case: masked ID numbers, plain-word status, the light, the trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.cases.models import (
    OPEN,
    Case,
    CaseEvent,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    IdType,
    OverdueReason,
    Status,
    Suspension,
)
from workflows.catalog.roles import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django_stubs_ext import StrOrPromise


def mask_id_number(value: str, id_type: str = IdType.RESIDENT_ID) -> str:
    """Personal document numbers masked for display: first 6 and last 4 kept (GB/T 35273 7.2).

    A unified social credit code identifies an organisation and is public; it is shown whole.
    """
    text = (value or "").strip()
    if id_type == IdType.USCC:
        return text
    if len(text) > 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if len(text) > 4:
        return text[:1] + "*" * (len(text) - 3) + text[-2:]
    return "*" * len(text)


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

ACTION_LABELS: dict[str, StrOrPromise] = {
    "receive": gettext_lazy("收件"),
    "accept": gettext_lazy("受理"),
    "deem_accept": gettext_lazy("视为受理"),
    "request_correction": gettext_lazy("一次性告知补正"),
    "supplement": gettext_lazy("补正材料"),
    "reject": gettext_lazy("不予受理"),
    "withdraw": gettext_lazy("撤回"),
    "start": gettext_lazy("开始办理"),
    "suspend": gettext_lazy("进入特别程序"),
    "resume": gettext_lazy("特别程序结束"),
    "decide": gettext_lazy("作出决定"),
    "close": gettext_lazy("出件送达"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "refuse_extension": gettext_lazy("不批准延期"),
    "reassign_first_responder": gettext_lazy("改派首问责任人"),
    "recompute_clock": gettext_lazy("重新计算期限"),
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


LIGHT_LABELS = {
    0: ("green", gettext_lazy("绿灯：时限内")),
    1: ("yellow", gettext_lazy("黄灯：临近承诺期限")),
    2: ("red", gettext_lazy("红灯：已超承诺期限")),
    3: ("statutory_red", gettext_lazy("深红：已超法定期限")),
}


def current_level(case: Case, moment: datetime) -> int:
    """The warning level by the due dates now, never below what was already raised."""
    level = 0
    if case.warn_at and moment >= case.warn_at:
        level = 1
    if case.promised_due_at and moment > case.promised_due_at:
        level = 2
    if case.statutory_due_at and moment > case.statutory_due_at:
        level = 3
    return max(level, case.alert_level)


def traffic_light(case: Case, moment: datetime | None = None) -> Light:
    """Green, yellow, red or statutory red while the clock runs; grey otherwise."""
    now = moment or timezone.now()
    if case.status in OPEN:
        level, label = LIGHT_LABELS[current_level(case, now)]
        if case.status == Status.SUSPENDED:
            return Light(level, _("%(light)s（特别程序中，暂停计时）") % {"light": label})
        return Light(level, str(label))
    if case.status in (Status.DECIDED, Status.CLOSED) and case.decided_at:
        if case.promised_due_at and case.decided_at > case.promised_due_at:
            return Light("red", _("超期办结"))
        return Light("green", _("按时办结"))
    if case.status in (Status.RECEIVED, Status.AWAITING_CORRECTION):
        return Light("none", _("未受理，尚未计时"))
    return Light("none", _("不计时"))


# ---------------------------------------------------------------- the trail


def _date(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    moment = parse_datetime(text) if "T" in text else None
    if moment is not None and timezone.is_aware(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    day = parse_date(text[:10])
    return day.isoformat() if isinstance(day, date) else text


def clock_summary(clock: dict[str, Any]) -> str:
    """The clock recorded with an event, in words."""
    if not clock:
        return ""
    parts: list[str] = []
    if "accepted_at" in clock:
        parts.append(_("受理 %(at)s") % {"at": _date(clock.get("accepted_at"))})
        if clock.get("promised_due"):
            parts.append(_("承诺期限 %(due)s") % {"due": _date(clock["promised_due"])})
        if clock.get("statutory_due"):
            parts.append(_("法定期限 %(due)s") % {"due": _date(clock["statutory_due"])})
        if clock.get("extension_days"):
            parts.append(_("已延期 %(days)s 个工作日") % {"days": clock["extension_days"]})
        if clock.get("paused"):
            parts.append(_("暂停计时"))
        if clock.get("provisional"):
            parts.append(_("期限暂定"))
    elif clock.get("deemed_acceptance_at"):
        parts.append(_("逾期视为受理时点 %(at)s") % {"at": _date(clock["deemed_acceptance_at"])})
    else:
        parts.append(_("未计时"))
    return str(_("；")).join(parts)


def _choice(choices: type[Any], value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _material_names(lines: list[dict[str, Any]], *, with_problem: bool = False) -> str:
    names = []
    for line in lines:
        name = str(line.get("name", ""))
        if with_problem and line.get("problem"):
            name = f"{name}（{line['problem']}）"
        names.append(name)
    return str(_("、")).join(names)


def payload_summary(event: CaseEvent) -> str:
    """What an event recorded, in a sentence."""
    p: dict[str, Any] = event.payload or {}
    action = event.action
    if action == "receive":
        lines = p.get("materials", [])
        received = [m for m in lines if m.get("state") == CaseMaterial.State.RECEIVED]
        text = _("事项 %(item)s；材料 %(received)s/%(total)s 项已收") % {
            "item": p.get("item", ""),
            "received": len(received),
            "total": len(lines),
        }
        if p.get("agent"):
            text += _("；由代理人代为申请")
        return text
    if action == "request_correction":
        return _("告知补正：%(items)s") % {
            "items": _material_names(p.get("items", []), with_problem=True)
        }
    if action == "supplement":
        text = _("补交：%(items)s") % {"items": _material_names(p.get("materials", []))}
        return text + (_("；材料已齐全") if p.get("complete") else _("；材料仍不齐全"))
    if action == "reject":
        text = _("理由：%(reason)s") % {"reason": p.get("reason", "")}
        if p.get("competent_organ"):
            text += _("；请向%(organ)s申请") % {"organ": p["competent_organ"]}
        return text
    if action == "withdraw":
        return _("原因：%(reason)s") % {"reason": p.get("reason", "")}
    if action == "suspend":
        return _("%(procedure)s，预计 %(days)s 个工作日%(reason)s") % {
            "procedure": _choice(Suspension.Procedure, p.get("procedure")),
            "days": p.get("expected_days", ""),
            "reason": f"；{p['reason']}" if p.get("reason") else "",
        }
    if action == "decide":
        text = _choice(Decision, p.get("decision"))
        return f"{text}；{p['reason']}" if p.get("reason") else text
    if action == "close":
        text = _choice(DeliveryMethod, p.get("delivery_method"))
        if p.get("delivery_note"):
            text += f"；{p['delivery_note']}"
        if p.get("overdue_reason"):
            text += _("；超期原因：%(reason)s") % {
                "reason": _choice(OverdueReason, p["overdue_reason"])
            }
        return text
    if action == "request_extension":
        return _("延长 %(days)s 个工作日；%(reason)s") % {
            "days": p.get("days", ""),
            "reason": p.get("reason", ""),
        }
    if action in ("approve_extension", "refuse_extension"):
        text = _("%(days)s 个工作日") % {"days": p.get("days", "")}
        return f"{text}；{p['note']}" if p.get("note") else text
    if action == "reassign_first_responder":
        return _("%(old)s → %(new)s；%(reason)s") % {
            "old": p.get("from_name", ""),
            "new": p.get("to_name", ""),
            "reason": p.get("reason", ""),
        }
    if action in ("recompute_clock", "deem_accept"):
        return str(p.get("reason") or p.get("rule") or "")
    return ""


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
            action=str(ACTION_LABELS.get(event.action, _("其他操作"))),
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
    "completion": gettext_lazy("办结通知书"),
}


def documents_for(case: Case) -> list[str]:
    """The documents the case has given rise to so far, in the order they arose."""
    kinds: list[str] = []
    if case.correction_items:
        kinds.append("correction")
    if case.status == Status.REJECTED:
        kinds.append("rejection")
    if case.accepted_at:
        kinds.append("acceptance")
    if case.decided_at:
        kinds.append("completion")
    return kinds


def default_document(case: Case) -> str:
    """The document of the latest outcome."""
    if case.status == Status.AWAITING_CORRECTION:
        return "correction"
    kinds = documents_for(case)
    return kinds[-1] if kinds else ""
