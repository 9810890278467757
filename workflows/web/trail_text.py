"""A case event in words: what the trails, the case page and 我的首问 show of it.

Shown by the window, the supervisor's trail and first-question lists alike, so it
lives in the web kit rather than in one of them (issue 12: no app cycle for labels).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import DocumentKind, Variant
from workflows.cases.lights import Light as LightLevel
from workflows.cases.models import (
    CaseEvent,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    OverdueReason,
    Suspension,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


REVEAL_FIELD_LABELS: dict[str, StrOrPromise] = {
    "applicant_id_number": gettext_lazy("申请人证件号码"),
    "applicant_phone": gettext_lazy("申请人联系电话"),
    "agent_id_number": gettext_lazy("代理人证件号码"),
    "agent_phone": gettext_lazy("代理人电话"),
}


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
    if action in ("print", "reprint"):
        text = _choice(DocumentKind, p.get("kind"))
        if p.get("variant") == Variant.TICKET:
            text = _("%(title)s（回执小票）") % {"title": text}
        return f"{text} {p.get('document', '')}".strip()
    if action == "alert":
        level = p.get("level")
        return LightLevel(level).label if level in set(LightLevel) else ""
    if action == "reveal_personal_data":
        return _("%(field)s；用途：%(purpose)s") % {
            "field": REVEAL_FIELD_LABELS.get(p.get("field", ""), p.get("field", "")),
            "purpose": p.get("purpose", ""),
        }
    if action in ("recompute_clock", "deem_accept"):
        return str(p.get("reason") or p.get("rule") or "")
    return ""
