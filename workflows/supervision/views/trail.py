"""A case's full audit trail, with the clock as it stood after each step (page and exports)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from workflows.cases import selectors as case_selectors
from workflows.cases.models import Case
from workflows.cases.selectors import TrailStep, case_visible_to
from workflows.supervision import errors, selectors
from workflows.supervision.models import Escalation
from workflows.supervision.views.common import (
    desk_view,
    export_format,
    local_text,
    query_with,
)
from workflows.web.exports import export_response


def trail_header() -> list[str]:
    """Column titles of a case's trail."""
    return [
        _("序号"),
        _("时间"),
        _("操作"),
        _("操作人"),
        _("原状态"),
        _("新状态"),
        _("承诺期限"),
        _("法定期限"),
        _("已延期（工作日）"),
        _("计时"),
        _("说明"),
    ]


def _clock_cells(clock: dict[str, Any]) -> list[Any]:
    if not clock:
        return ["", "", "", "", ""]
    if "accepted_at" not in clock:
        deemed = clock.get("deemed_acceptance_at")
        note = (
            _("未受理；视为受理时点 %(at)s") % {"at": deemed[:16].replace("T", " ")}
            if deemed
            else ""
        )
        return ["", "", "", _("未计时"), note]
    running = _("暂停（特别程序）") if clock.get("paused") else _("计时中")
    return [
        (clock.get("promised_due") or "") + (_("（暂定）") if clock.get("provisional") else ""),
        clock.get("statutory_due") or "",
        clock.get("extension_days", 0),
        running,
        "",
    ]


def _payload_text(payload: dict[str, Any]) -> str:
    keep = (
        "reason",
        "decision",
        "procedure",
        "days",
        "note",
        "light",
        "delivery_method",
        "overdue_reason",
        "overdue_reason_text",
        "rule",
        "from_name",
        "to_name",
    )
    parts = [f"{k}={payload[k]}" for k in keep if payload.get(k) not in (None, "", [])]
    return "; ".join(parts)


def trail_values(step: TrailStep) -> list[Any]:
    """One trail step as the values of ``trail_header``."""
    clock = _clock_cells(step.clock)
    note = " ".join(x for x in (clock[4], _payload_text(step.payload)) if x)
    return [
        step.seq,
        local_text(step.at, "%Y-%m-%d %H:%M:%S"),
        step.action,
        step.actor,
        step.from_status,
        step.to_status,
        *clock[:4],
        note,
    ]


@desk_view
def case_trail(request: HttpRequest, number: str) -> HttpResponse | StreamingHttpResponse:
    """A case's full audit trail, with the clock as it stood after each step."""
    case = Case.objects.select_related("item", "center", "department").filter(number=number).first()
    if case is None or not case_visible_to(request.user, case):
        raise Http404(errors.CASE_NOT_VISIBLE % {"number": number})
    steps = case_selectors.case_trail(case)
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt, f"trail-{case.number}", trail_header(), (trail_values(s) for s in steps)
        )
    case_escalations = list(
        Escalation.objects.filter(case=case).order_by("level").select_related("responded_by")
    )
    visible = selectors.escalations_for(request.user)
    context = {
        "case": case,
        "header": trail_header(),
        "rows": [trail_values(s) for s in steps],
        "escalations": case_escalations,
        "can_open_escalations": visible is not None,
        "csv_query": query_with(request, export="csv"),
        "xlsx_query": query_with(request, export="xlsx"),
    }
    return render(request, "supervision/case_trail.html", context)
