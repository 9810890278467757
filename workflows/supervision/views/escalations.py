"""督办: the list, one escalation, a supervisor's follow-up and the head's answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.cases.errors import CaseError
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.supervision import errors, selectors, services
from workflows.supervision.forms import (
    EscalationFilterForm,
    FollowUpForm,
    ResponseForm,
)
from workflows.supervision.models import ORDER_LEVELS, Escalation
from workflows.supervision.selectors import desk
from workflows.supervision.views.common import (
    desk_view,
    export_format,
    local_text,
    page_links,
    query_with,
    user_of,
)
from workflows.web.exports import export_response


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
            "at": local_text(e.responded_at),
        }
    else:
        answer = _("待回复")
    if e.level not in ORDER_LEVELS:
        order = "—"
    else:
        order = e.order_number or (_("出具失败") if e.order_error else _("待出具"))
    return [
        local_text(e.created_at),
        e.get_level_display(),
        e.case.number,
        e.case.item.name,
        e.department.name,
        e.center.name,
        local_text(e.deadline_at),
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
    fmt = export_format(request)
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
            (n, query_with(request, page=str(n)) if n is not None else "")
            for n in page_links(page.number, page.paginator.num_pages)
        ],
        "prev_query": query_with(request, page=str(page.number - 1)) if page.has_previous() else "",
        "next_query": query_with(request, page=str(page.number + 1)) if page.has_next() else "",
        "header": escalation_header(),
        "rows": [(e, escalation_values(e)) for e in shown],
        "csv_query": query_with(request, export="csv", page=None),
        "xlsx_query": query_with(request, export="xlsx", page=None),
        "page_query": query_with(request, page=None),
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
                escalation=escalation, actor=user_of(request), text=form.cleaned_data["text"]
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
                actor=user_of(request),
                reason=form.cleaned_data["reason"],
                remedy=form.cleaned_data["remedy"],
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
            return _render_escalation(request, escalation, FollowUpForm(), form, exc.status_code)
        messages.success(request, _("已提交督办回复。"))
        return redirect("supervision:escalation_detail", pk=escalation.pk)
    return _render_escalation(request, escalation, FollowUpForm(), form, 400)
