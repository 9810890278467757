"""A case's pages at the window: the outcome document, the case page, 查看完整个人信息."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from documents.selectors import latest_document
from workflows.cases import services
from workflows.cases.errors import CaseError
from workflows.cases.models import Status
from workflows.window import display, selectors
from workflows.window.forms import DecideForm, RevealForm
from workflows.window.views.common import case_context, clerk_actions, user_of, window_page


@window_page(clerk_only=False)
@require_http_methods(["GET"])
def outcome(request: HttpRequest, number: str) -> HttpResponse:
    """The document of an outcome: its data now, and the slot for the print button."""
    case = selectors.visible_case(request.user, number)
    available = display.documents_for(case)
    document = request.GET.get("doc", "")
    if document not in available:
        document = display.default_document(case)
    context = case_context(request, case)
    actions = clerk_actions(request, case)
    context.update(actions)
    context.update(
        document=document,
        document_title=display.DOCUMENT_TITLES.get(document, ""),
        documents=[(kind, display.DOCUMENT_TITLES[kind]) for kind in available],
        correction_items=case.correction_items,
        center_organ=case.center.organ_name or case.center.name,
        issued_document=latest_document(case.pk, document) if document else None,
    )
    if actions["can_decide"]:
        context["decide_form"] = DecideForm(item=case.item)
    return render(request, "window/outcome.html", context)


@window_page(clerk_only=False)
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Everything about one case: status, parties, materials, clock, people, trail."""
    case = selectors.visible_case(request.user, number)
    context = case_context(request, case)
    context.update(clerk_actions(request, case))
    context.update(
        trail=display.trail_rows(selectors.trail(case)),
        suspensions=list(case.suspensions.select_related("started_by", "ended_by")),
        extensions=list(case.extensions.select_related("requested_by", "decided_by")),
        documents=[(kind, display.DOCUMENT_TITLES[kind]) for kind in display.documents_for(case)],
        correction_items=case.correction_items,
    )
    if case.status == Status.RECEIVED and case.deemed_acceptance_at:
        context["deemed_acceptance_at"] = case.deemed_acceptance_at
    context["reveal_form"] = RevealForm()
    return render(request, "window/case_detail.html", context)


@window_page(clerk_only=False)
@require_http_methods(["POST"])
def reveal(request: HttpRequest, number: str) -> HttpResponse:
    """查看完整个人信息: one full ID number or phone, with a purpose, logged in the trail."""
    case = selectors.visible_case(request.user, number)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "window/revealed.html", {"case": case, "form": form}, status=400)
    field = form.cleaned_data["field"]
    try:
        value = services.case_reveal_personal_data(
            case=case,
            actor=user_of(request),
            field=field,
            purpose=form.cleaned_data["purpose"],
        )
    except CaseError as exc:
        form.add_error(None, exc.message)
        return render(
            request, "window/revealed.html", {"case": case, "form": form}, status=exc.status_code
        )
    response = render(
        request,
        "window/revealed.html",
        {
            "case": case,
            "label": display.REVEAL_FIELD_LABELS[field],
            "value": value,
            "purpose": form.cleaned_data["purpose"],
        },
    )
    response["Cache-Control"] = "no-store"
    return response
