"""The overdue and due-soon lists (page and exports), and the desk's landing page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.supervision import selectors
from workflows.supervision.forms import (
    DeskFilterForm,
)
from workflows.supervision.selectors import DUE_SOON, OVERDUE, DeskRow
from workflows.supervision.views.common import (
    desk_view,
    export_format,
    local_text,
    page_links,
    query_with,
    scope_of,
)
from workflows.web.exports import export_response


def desk_header(mode: str) -> list[str]:
    """Column titles of the overdue / due-soon list (page and exports)."""
    days = _("超期工作日") if mode == OVERDUE else _("剩余工作日")
    return [
        _("办件编号"),
        _("事项"),
        _("部门"),
        _("受理中心"),
        _("状态"),
        _("灯色"),
        days,
        _("承诺期限"),
        _("法定期限"),
        _("受理时间"),
        _("当前办理人"),
        _("首问责任人"),
    ]


def desk_values(row: DeskRow) -> list[Any]:
    """One list row as the values of ``desk_header`` (page and exports)."""
    return [
        row.number,
        row.item,
        row.department,
        row.center,
        row.status,
        row.light.label,
        row.working_days,
        local_text(row.promised_due_at, "%Y-%m-%d") + (_("（暂定）") if row.provisional else ""),
        local_text(row.statutory_due_at, "%Y-%m-%d"),
        local_text(row.accepted_at),
        row.holder,
        row.first_responder,
    ]


def _case_list(request: HttpRequest, mode: str) -> HttpResponse | StreamingHttpResponse:
    scope = scope_of(request)
    now = timezone.now()
    form = DeskFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    sort = form.sort_key()
    qs = selectors.desk_cases(scope=scope, filters=filters, mode=mode, now=now)
    fmt = export_format(request)
    if fmt:
        rows = selectors.iter_desk_rows(qs, sort=sort, now=now, mode=mode)
        name = "overdue" if mode == OVERDUE else "due-soon"
        return export_response(
            fmt,
            f"{name}-{timezone.localdate(now):%Y%m%d}",
            desk_header(mode),
            (desk_values(r) for r in rows),
        )
    page = selectors.desk_page(
        qs,
        sort=sort,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page=request.GET.get("page"),
        now=now,
        mode=mode,
    )
    if page.page_number is not None:
        number, pages = page.page_number, page.num_pages or 1
        next_query = query_with(request, page=str(number + 1)) if number < pages else ""
        prev_query = query_with(request, page=str(number - 1)) if number > 1 else ""
        numbers = [
            (n, query_with(request, page=str(n)) if n is not None else "")
            for n in page_links(number, pages)
        ]
    else:
        numbers = []
        next_query = (
            query_with(request, after=page.next_cursor, before=None) if page.next_cursor else ""
        )
        prev_query = (
            query_with(request, before=page.prev_cursor, after=None) if page.prev_cursor else ""
        )
    context = {
        "mode": mode,
        "title": _("超期办件") if mode == OVERDUE else _("临近到期办件（黄灯）"),
        "scope": scope,
        "form": form,
        "page": page,
        "header": desk_header(mode),
        "rows": [(row, desk_values(row)) for row in page.rows],
        "next_query": next_query,
        "prev_query": prev_query,
        "page_numbers": numbers,
        "first_query": query_with(request, before=None, after=None, page=None),
        "csv_query": query_with(request, export="csv", after=None, before=None, page=None),
        "xlsx_query": query_with(request, export="xlsx", after=None, before=None, page=None),
    }
    return render(request, "supervision/case_list.html", context)


@desk_view
def overdue(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """超期办件: running cases past their promised date, longest overdue first."""
    return _case_list(request, OVERDUE)


@desk_view
def due_soon(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """临近到期: running cases on yellow (the promised date is near)."""
    return _case_list(request, DUE_SOON)


@desk_view
def index(request: HttpRequest) -> HttpResponse:
    """The desk's landing page is the overdue list."""
    scope_of(request)
    return redirect("supervision:overdue")
