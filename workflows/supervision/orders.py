"""The 督办单: what a supervision order says, issued through ``documents.services.document_issue``.

``documents`` issues the document (gapless number, content record, signed
token, render job) inside the caller's transaction; this module only decides
what the order contains. The import is lazy so the sweep itself never depends
on the documents app being importable: without it the order stays pending on
its escalation and the next run tries again.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from workflows.calendar.api import get_calendar
from workflows.cases.clock import local_date
from workflows.supervision.models import Level

if TYPE_CHECKING:
    from workflows.supervision.models import Escalation

logger = logging.getLogger(__name__)

# Working days the department head has to answer a 督办 (printed as 反馈期限).
REPLY_WORKING_DAYS = 2


def _issuer() -> Any:
    """``documents.services.document_issue`` if it exists, else None."""
    try:
        module = importlib.import_module("documents.services")
    except ModuleNotFoundError as exc:
        if exc.name != "documents.services":
            raise
        return None
    return getattr(module, "document_issue", None)


def order_dedupe_key(escalation: Escalation) -> str:
    """One order per case and level: a retried issue returns the first document."""
    return f"escalation-{escalation.level}"


def order_extra(escalation: Escalation, now: datetime) -> dict[str, Any]:
    """The order's kind-specific facts: level, reason, instructions, reply-by date."""
    today = local_date(now)
    reply_by = get_calendar().add_working_days(today, REPLY_WORKING_DAYS)
    deadline = local_date(escalation.deadline_at).isoformat() if escalation.deadline_at else "—"
    if escalation.level == Level.STATUTORY_RED:
        reason = _("已超过法定办结期限（%(due)s），构成超法定时限办理。") % {"due": deadline}
    else:
        reason = _("已超过承诺办结期限（%(due)s），未按承诺时限办结。") % {"due": deadline}
    instructions = _(
        "请承办部门负责人立即督促办理，于反馈期限前在“督办事项”中回复超期原因和整改措施；"
        "办结送达时须登记超期原因。"
    )
    return {
        "level": str(escalation.get_level_display()),
        "reason": reason,
        "instructions": instructions,
        "reply_by": reply_by.isoformat(),
        "escalation": escalation.pk,
    }


def issue_order(*, escalation: Escalation, now: datetime) -> Any | None:
    """Issue the 督办单 of ``escalation`` in the caller's transaction; None if unavailable."""
    issue = _issuer()
    if issue is None:
        logger.warning("documents.services.document_issue is missing: 督办单 left pending")
        return None
    return issue(
        case=escalation.case,
        kind="supervision",
        actor=None,
        dedupe_key=order_dedupe_key(escalation),
        now=now,
        extra=order_extra(escalation, now),
    )
