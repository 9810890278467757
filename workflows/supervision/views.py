"""The supervisor's desk: overdue and due-soon lists, statistics, 督办 and a case's trail.

Thin views: forms clean the filters, selectors read, services write. The desk
is for supervisors (their center and below), department heads (their
department) and admins; anyone else gets 403. Every list exports as CSV
(streamed) or XLSX (capped) with exactly the columns shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.cases import selectors as case_selectors
from workflows.cases.errors import CaseError
from workflows.cases.models import Case, OverdueReason
from workflows.cases.permissions import is_admin
from workflows.cases.selectors import TrailStep, case_visible_to
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.supervision import errors, selectors, services
from workflows.supervision.forms import (
    DeskFilterForm,
    EscalationFilterForm,
    FollowUpForm,
    ResponseForm,
    StatisticsForm,
)
from workflows.supervision.models import ORDER_LEVELS, Escalation
from workflows.supervision.selectors import DUE_SOON, OVERDUE, DeskRow, DeskScope, StatRow, desk
from workflows.web.exports import export_response

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EXPORT_FORMATS = ("csv", "xlsx")

View = Callable[..., HttpResponse | StreamingHttpResponse]


def desk_view(view: View) -> View:
    """Render a refusal as a 403 page that says why, instead of Django's bare one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or errors.DESK_FORBIDDEN
            return render(request, "supervision/forbidden.html", {"message": message}, status=403)

    return wrapper


def _local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (LoginRequiredMiddleware keeps anonymous users out)."""
    return cast("User", request.user)


def _scope(request: HttpRequest) -> DeskScope:
    scope = selectors.desk_scope(request.user)
    if scope is None:
        raise PermissionDenied(errors.DESK_FORBIDDEN)
    return scope


def _export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def _query(request: HttpRequest, **changes: str | None) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


# ---------------------------------------------------------------- lists


def page_links(number: int, pages: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: first, last and ``around`` either side; None is a gap.

    ``page_links(6, 12)`` is ``[1, None, 4, 5, 6, 7, 8, None, 12]``.
    """
    if pages <= 1:
        return []
    shown = {1, pages, *range(max(number - around, 1), min(number + around, pages) + 1)}
    links: list[int | None] = []
    previous = 0
    for page in sorted(shown):
        if page > previous + 1:
            links.append(None)
        links.append(page)
        previous = page
    return links


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
        _local(row.promised_due_at, "%Y-%m-%d") + (_("（暂定）") if row.provisional else ""),
        _local(row.statutory_due_at, "%Y-%m-%d"),
        _local(row.accepted_at),
        row.holder,
        row.first_responder,
    ]


def _case_list(request: HttpRequest, mode: str) -> HttpResponse | StreamingHttpResponse:
    scope = _scope(request)
    now = timezone.now()
    form = DeskFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    sort = form.sort_key()
    qs = selectors.desk_cases(scope=scope, filters=filters, mode=mode, now=now)
    fmt = _export_format(request)
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
        next_query = _query(request, page=str(number + 1)) if number < pages else ""
        prev_query = _query(request, page=str(number - 1)) if number > 1 else ""
        numbers = [
            (n, _query(request, page=str(n)) if n is not None else "")
            for n in page_links(number, pages)
        ]
    else:
        numbers = []
        next_query = (
            _query(request, after=page.next_cursor, before=None) if page.next_cursor else ""
        )
        prev_query = (
            _query(request, before=page.prev_cursor, after=None) if page.prev_cursor else ""
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
        "first_query": _query(request, before=None, after=None, page=None),
        "csv_query": _query(request, export="csv", after=None, before=None, page=None),
        "xlsx_query": _query(request, export="xlsx", after=None, before=None, page=None),
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
    _scope(request)
    return redirect("supervision:overdue")


# ---------------------------------------------------------------- statistics


def statistics_header() -> list[str]:
    """Column titles of the statistics table (page and exports)."""
    return [
        _("名称"),
        _("办结件数"),
        _("按时办结"),
        _("超期办结"),
        _("在办超期"),
        _("按时办结率"),
        _("平均办理工作日"),
        _("90% 分位工作日"),
        _("延期件数"),
        _("特别程序次数"),
        *[str(label) for label in OverdueReason.labels],
        _("超期未填原因"),
    ]


def statistics_values(row: StatRow) -> list[Any]:
    """One statistics row as the values of ``statistics_header``."""
    return [
        row.label,
        row.decided,
        row.on_time,
        row.late,
        row.open_overdue,
        f"{row.rate:.1%}" if row.rate is not None else "—",
        f"{row.avg_days:.1f}" if row.avg_days is not None else "—",
        f"{row.p90_days:.1f}" if row.p90_days is not None else "—",
        row.extensions,
        row.suspensions,
        *[row.reasons.get(value, 0) for value in OverdueReason.values],
        row.late_without_reason,
    ]


@desk_view
def statistics(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """按时办结统计 per department, center, item or officer, in working days."""
    scope = _scope(request)
    now = timezone.now()
    form = StatisticsForm(request.GET or None, scope=scope)
    period = form.period(selectors.default_period(now))
    group = form.grouping()
    rows = selectors.on_time_statistics(
        scope=scope, filters=form.filters(), group=group, period=period, now=now
    )
    total = selectors.statistics_totals(rows)
    fmt = _export_format(request)
    if fmt:
        values = [statistics_values(r) for r in [*rows, total]]
        return export_response(
            fmt,
            f"statistics-{group}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            statistics_header(),
            values,
        )
    context = {
        "scope": scope,
        "form": form,
        "period": period,
        "group_label": selectors.GROUPS[group][1],
        "header": statistics_header(),
        "rows": [statistics_values(r) for r in rows],
        "total": statistics_values(total),
        "csv_query": _query(request, export="csv"),
        "xlsx_query": _query(request, export="xlsx"),
    }
    return render(request, "supervision/statistics.html", context)


# ---------------------------------------------------------------- 督办


def _escalations(request: HttpRequest) -> Any:
    qs = selectors.escalations_for(request.user)
    if qs is None:
        raise PermissionDenied(errors.ESCALATIONS_FORBIDDEN)
    return qs


def escalation_header() -> list[str]:
    """Column titles of the 督办 list."""
    return [
        _("督办时间"),
        _("级别"),
        _("办件编号"),
        _("事项"),
        _("部门"),
        _("受理中心"),
        _("届满时点"),
        _("经办人"),
        _("首问责任人"),
        _("督办单"),
        _("部门回复"),
    ]


def escalation_values(e: Escalation) -> list[Any]:
    """One 督办 as the values of ``escalation_header``."""
    from workflows.catalog.roles import display_name

    if e.level not in ORDER_LEVELS:
        answer = _("无需回复")
    elif e.responded_at:
        answer = _("%(who)s 于 %(at)s 回复") % {
            "who": display_name(e.responded_by),
            "at": _local(e.responded_at),
        }
    else:
        answer = _("待回复")
    if e.level not in ORDER_LEVELS:
        order = "—"
    else:
        order = e.order_number or (_("出具失败") if e.order_error else _("待出具"))
    return [
        _local(e.created_at),
        e.get_level_display(),
        e.case.number,
        e.case.item.name,
        e.department.name,
        e.center.name,
        _local(e.deadline_at),
        display_name(e.handler),
        display_name(e.first_responder),
        order,
        answer,
    ]


def order_documents(escalations: list[Escalation]) -> dict[int, int]:
    """The 督办单 document of each escalation that has one: escalation pk → document pk.

    One statement for a whole page; the order is the case's supervision document
    whose number the escalation recorded when it was issued.
    """
    from documents.models import Document, DocumentKind

    numbered = {(e.case_id, e.order_number): e.pk for e in escalations if e.order_number}
    if not numbered:
        return {}
    found = Document.objects.filter(
        kind=DocumentKind.SUPERVISION,
        case_id__in={case_id for case_id, _number in numbered},
        number__in={number for _case_id, number in numbered},
    ).values_list("case_id", "number", "pk")
    return {
        numbered[(case_id, number)]: pk
        for case_id, number, pk in found
        if (case_id, number) in numbered
    }


@desk_view
def escalations(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """督办事项: unanswered breaches first; heads answer from here."""
    qs = _escalations(request)
    form = EscalationFilterForm(request.GET or None)
    state, level = "unanswered", None
    if form.is_valid():
        state = form.cleaned_data.get("state") or "unanswered"
        level = form.cleaned_data.get("level")
    if state == "unanswered":
        qs = selectors.unanswered(qs)
    elif state == "answered":
        qs = qs.filter(responded_at__isnull=False)
    if level:
        qs = qs.filter(level=level)
    qs = qs.order_by("-created_at", "-pk")
    fmt = _export_format(request)
    if fmt:
        rows: Iterator[Escalation] = qs.iterator(chunk_size=2000)
        return export_response(
            fmt,
            f"escalations-{timezone.localdate():%Y%m%d}",
            escalation_header(),
            (escalation_values(e) for e in rows),
        )
    page = Paginator(qs, desk.PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page)
    orders = order_documents(shown)
    for e in shown:  # the row's 督办单 document, for the template's link
        e.order_document_pk = orders.get(e.pk)
    context = {
        "form": form,
        "page": page,
        "page_numbers": [
            (n, _query(request, page=str(n)) if n is not None else "")
            for n in page_links(page.number, page.paginator.num_pages)
        ],
        "prev_query": _query(request, page=str(page.number - 1)) if page.has_previous() else "",
        "next_query": _query(request, page=str(page.number + 1)) if page.has_next() else "",
        "header": escalation_header(),
        "rows": [(e, escalation_values(e)) for e in shown],
        "csv_query": _query(request, export="csv", page=None),
        "xlsx_query": _query(request, export="xlsx", page=None),
        "page_query": _query(request, page=None),
    }
    return render(request, "supervision/escalations.html", context)


def _escalation(request: HttpRequest, pk: int) -> Escalation:
    qs = _escalations(request)
    return get_object_or_404(qs, pk=pk)


def _can_respond(request: HttpRequest, escalation: Escalation) -> bool:
    if escalation.level not in ORDER_LEVELS:
        return False
    if is_admin(request.user):
        return True
    profile = profile_of(request.user)
    return (
        has_role(request.user, HEAD)
        and profile is not None
        and profile.department_id == escalation.department_id
    )


def _can_follow_up(request: HttpRequest, escalation: Escalation) -> bool:
    return is_admin(request.user) or selectors.escalation_in_supervisor_scope(
        request.user, escalation
    )


@desk_view
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One 督办: the case, the breach, the order, follow-ups and the head's answers."""
    escalation = _escalation(request, pk)
    return _render_escalation(request, escalation, FollowUpForm(), ResponseForm())


def _render_escalation(
    request: HttpRequest,
    escalation: Escalation,
    follow_up: FollowUpForm,
    response: ResponseForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "escalation": escalation,
        "order_document": order_documents([escalation]).get(escalation.pk),
        "order_label": _("督办单"),
        "values": dict(zip(escalation_header(), escalation_values(escalation), strict=True)),
        "notes": selectors.escalation_notes(escalation),
        "follow_up_form": follow_up if _can_follow_up(request, escalation) else None,
        "response_form": response if _can_respond(request, escalation) else None,
    }
    return render(request, "supervision/escalation_detail.html", context, status=status)


@desk_view
@require_POST
def escalation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a supervisor's follow-up."""
    escalation = _escalation(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_follow_up(
                escalation=escalation, actor=_user(request), text=form.cleaned_data["text"]
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
            return _render_escalation(request, escalation, form, ResponseForm(), exc.status_code)
        messages.success(request, _("已登记督办跟进情况。"))
        return redirect("supervision:escalation_detail", pk=escalation.pk)
    return _render_escalation(request, escalation, form, ResponseForm(), 400)


@desk_view
@require_POST
def escalation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the department head's reason and remedy."""
    escalation = _escalation(request, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_respond(
                escalation=escalation,
                actor=_user(request),
                reason=form.cleaned_data["reason"],
                remedy=form.cleaned_data["remedy"],
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
            return _render_escalation(request, escalation, FollowUpForm(), form, exc.status_code)
        messages.success(request, _("已提交督办回复。"))
        return redirect("supervision:escalation_detail", pk=escalation.pk)
    return _render_escalation(request, escalation, FollowUpForm(), form, 400)


# ---------------------------------------------------------------- trail


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
        _local(step.at, "%Y-%m-%d %H:%M:%S"),
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
    fmt = _export_format(request)
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
        "csv_query": _query(request, export="csv"),
        "xlsx_query": _query(request, export="xlsx"),
    }
    return render(request, "supervision/case_trail.html", context)
