"""收件 screens: choose the service item, then the intake form and its 查询共享材料 step."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.api import sharing
from workflows.cases.errors import ActionForbidden, CaseError
from workflows.catalog.models import ServiceItem
from workflows.firstquestion import intake as first_question
from workflows.hall import intake as hall_ticket
from workflows.window import selectors, shared
from workflows.window.forms import Intake
from workflows.window.services import window_intake
from workflows.window.views.common import center_of, outcome_url, user_of, window_page

REPLAYED = gettext_lazy("该申请已经提交过，以下是首次提交的结果，未重复登记。")


@window_page()
@require_http_methods(["GET"])
def choose_item(request: HttpRequest) -> HttpResponse:
    """Pick the service item: search by name or code, grouped by department."""
    center_of(request)
    query = request.GET.get("q", "").strip()[:100]
    # A consultation turned into an application rides along to the intake.
    consultation = first_question.query_of(first_question.consultation_from_request(request))
    items = selectors.active_items(query)
    if query and len(items) == 1:
        return redirect(reverse("window:intake", kwargs={"code": items[0].code}) + consultation)
    return render(
        request,
        "window/choose_item.html",
        {
            "query": query,
            "groups": selectors.group_by_department(items),
            "count": len(items),
            "consultation_query": consultation,
        },
    )


@window_page()
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, code: str) -> HttpResponse:
    """收件: applicant, agent, materials checklist, then accept / correction notice / reject."""
    center = center_of(request)
    item = get_object_or_404(
        ServiceItem.objects.select_related("department").prefetch_related("materials"),
        code=code,
        is_active=True,
    )
    consultation = first_question.consultation_from_request(request)
    ticket = hall_ticket.ticket_from_request(request)
    refusal = ""
    status = 200
    results: dict[int, shared.LineResult] = {}
    share_error = ""
    if request.method == "POST" and "share" in request.POST:
        form, results, share_error = _share_step(request, item)
    elif request.method == "POST":
        found = shared.kept_for(request, item, request.POST)
        results = shared.results_of(found)
        form = Intake(item, shared.with_found(request.POST, item, found))
        if form.is_valid():
            reason, organ = form.control.rejection()
            try:
                received = window_intake(
                    center=center,
                    item=item,
                    actor=user_of(request),
                    key=form.control.cleaned_data["key"],
                    applicant=form.applicant(),
                    agent=form.agent_party(),
                    materials=form.checklist.material_lines(),
                    outcome=form.outcome,
                    correction=form.checklist.correction_lines(),
                    rejection_reason=reason,
                    competent_organ=organ,
                    consultation=consultation,
                    ticket=ticket,
                    found=found,
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if received.replayed:
                    messages.info(request, REPLAYED)
                return redirect(outcome_url(received.case, received.document))
    else:
        form = Intake(item)
        if consultation is not None:
            first_question.prefill_intake(form, consultation)
        if ticket is not None:
            hall_ticket.prefill_intake(form, ticket)
    shareable = sharing.shareable_materials(item)  # only for the page: a submit never asks
    shared.mark_lines(form, shareable, results)
    return render(
        request,
        "window/intake.html",
        {
            "item": item,
            "intake": form,
            "refusal": refusal,
            "center": center,
            "consultation": consultation,
            "ticket": ticket,
            "shareable": shareable,
            "shared": results,
            "share_error": share_error,
        },
        status=status,
    )


def _share_step(
    request: HttpRequest, item: ServiceItem
) -> tuple[Intake, dict[int, shared.LineResult], str]:
    """查询共享材料: ask the sources by the applicant's ID number; save nothing, keep the typing."""
    posted = Intake(item, request.POST)
    applicant = posted.applicant_form
    field = "uscc" if "uscc" in applicant.fields else "id_number"
    applicant.is_valid()
    if field in applicant.errors or not applicant.cleaned_data.get(field):
        errors = " ".join(str(e) for e in applicant.errors.get(field, []))
        return Intake.redisplay(item, request.POST), {}, f"{shared.ID_NEEDED} {errors}".strip()
    results = shared.lookup(request, item, applicant.cleaned_data[field])
    found = shared.kept_for(request, item, request.POST)
    return Intake.redisplay(item, shared.with_found(request.POST, item, found)), results, ""
