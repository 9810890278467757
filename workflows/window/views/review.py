"""Review and correction at the window: a received case's outcome, and 补正."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.cases.errors import ActionForbidden, CaseError
from workflows.cases.models import Case, Status
from workflows.window import display
from workflows.window.forms import OutcomeForm, SupplementAction, SupplementForm
from workflows.window.notice import correction_lines, notice_materials
from workflows.window.services import window_review, window_supplement
from workflows.window.views.common import (
    REVIEW,
    SUPPLEMENT,
    case_context,
    clerk_action,
    outcome_url,
    user_of,
    window_page,
)

NOT_RECEIVED = gettext_lazy("办件当前状态为“%(status)s”，不需要受理审核。")
NOT_AWAITING_CORRECTION = gettext_lazy("办件当前状态为“%(status)s”，不在待补正状态。")
SUPPLEMENTED = gettext_lazy("已登记补正材料。")


def _shown_outcome(case: Case) -> str:
    return outcome_url(case, display.default_document(case))


@window_page()
@require_http_methods(["GET", "POST"])
@clerk_action(transition=REVIEW, wrong_status=NOT_RECEIVED, replay_to=_shown_outcome)
def review(request: HttpRequest, case: Case) -> HttpResponse:
    """A received case (e.g. after a partial supplement): accept, notice, or not accept."""
    lines = correction_lines(case)
    refusal, status = "", 200
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            reason, organ = form.rejection()
            try:
                received = window_review(
                    case=case,
                    actor=user_of(request),
                    key=form.cleaned_data["key"],
                    outcome=form.cleaned_data["outcome"],
                    correction=lines,
                    rejection_reason=reason,
                    competent_organ=organ,
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                return redirect(outcome_url(received.case, received.document))
    else:
        form = OutcomeForm()
    context = case_context(request, case)
    context.update(form=form, refusal=refusal, correction_lines=lines)
    return render(request, "window/review.html", context, status=status)


@window_page()
@require_http_methods(["GET", "POST"])
@clerk_action(transition=SUPPLEMENT, wrong_status=NOT_AWAITING_CORRECTION, replay_to=_shown_outcome)
def supplement(request: HttpRequest, case: Case) -> HttpResponse:
    """补正: tick what the applicant brought; then accept, in the same step if complete."""
    notice = notice_materials(case)
    refusal, status = "", 200
    if request.method == "POST":
        form = SupplementForm(request.POST, materials=notice)
        if form.is_valid():
            try:
                case = window_supplement(
                    case=case,
                    actor=user_of(request),
                    key=form.cleaned_data["key"],
                    lines=form.brought(),
                    accept=form.cleaned_data["action"] == SupplementAction.SUPPLEMENT_AND_ACCEPT,
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if case.status == Status.ACCEPTED or case.accepted_at:
                    return redirect(outcome_url(case, "acceptance"))
                messages.success(request, SUPPLEMENTED)
                return redirect("window:review", number=case.number)
    else:
        form = SupplementForm(materials=notice)
    context = case_context(request, case)
    context.update(form=form, refusal=refusal, correction_items=case.correction_items)
    return render(request, "window/supplement.html", context, status=status)
