"""The case's ends at the window: 当场办结 of a 即办件, 出件, and 撤回."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.cases import errors as case_errors
from workflows.cases.errors import ActionForbidden, CaseError
from workflows.cases.models import Case, Status
from workflows.window import selectors
from workflows.window.forms import DecideAction, DecideForm, DeliverForm, WithdrawForm
from workflows.window.services import window_decide, window_deliver, window_withdraw
from workflows.window.views.common import (
    DECIDE,
    DELIVER,
    WITHDRAW,
    case_context,
    clerk_action,
    detail_url,
    outcome_url,
    user_of,
    window_page,
)

NOT_RUNNING = gettext_lazy("办件当前状态为“%(status)s”，不能当场办结。")
NOT_DECIDED = gettext_lazy("办件当前状态为“%(status)s”，尚无可送达的结果。")
NOT_WITHDRAWABLE = gettext_lazy("办件当前状态为“%(status)s”，不能撤回。")
WITHDRAWN = gettext_lazy("已登记撤回。")


def _completion(case: Case) -> str:
    return outcome_url(case, "completion")


def _immediate_only(case: Case) -> None:
    if not case.item.is_immediate:
        raise ActionForbidden(case_errors.IMMEDIATE_ONLY_AT_WINDOW)


@window_page()
@require_http_methods(["GET", "POST"])
@clerk_action(
    transition=DECIDE, wrong_status=NOT_RUNNING, replay_to=_completion, guard=_immediate_only
)
def decide(request: HttpRequest, case: Case) -> HttpResponse:
    """当场办结 of a 即办件; with 当场办结并出件 both services run in one transaction."""
    refusal, status = "", 200
    if request.method == "POST":
        form = DecideForm(request.POST, item=case.item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = window_decide(
                    case=case,
                    actor=user_of(request),
                    key=data["key"],
                    decision=data["decision"],
                    reason=data["reason"],
                    deliver=data["action"] == DecideAction.DECIDE_AND_DELIVER,
                    delivery_method=data["delivery_method"],
                    delivery_note=data["delivery_note"],
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if case.status == Status.DECIDED:
                    return redirect("window:deliver", number=case.number)
                return redirect(outcome_url(case, "completion"))
    else:
        form = DecideForm(item=case.item)
    context = case_context(request, case)
    context.update(form=form, refusal=refusal)
    return render(request, "window/decide.html", context, status=status)


@window_page()
@require_http_methods(["GET", "POST"])
@clerk_action(transition=DELIVER, wrong_status=NOT_DECIDED, replay_to=_completion)
def deliver(request: HttpRequest, case: Case) -> HttpResponse:
    """出件 at the window for decided cases without a back-office delivery task."""
    context = case_context(request, case)
    if not selectors.has_window_delivery(case):
        # The case's flow gives the window a delivery task; 出件 happens there.
        return render(request, "window/deliver_by_task.html", context)
    late = selectors.is_late(case, timezone.now())
    refusal, status = "", 200
    if request.method == "POST":
        form = DeliverForm(request.POST, item=case.item, late=late)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = window_deliver(
                    case=case,
                    actor=user_of(request),
                    key=data["key"],
                    delivery_method=data["delivery_method"],
                    delivery_note=data["delivery_note"],
                    overdue_reason=data.get("overdue_reason", ""),
                    overdue_reason_text=data.get("overdue_reason_text", ""),
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                return redirect(outcome_url(case, "completion"))
    else:
        form = DeliverForm(item=case.item, late=late)
    context.update(form=form, refusal=refusal, late=late)
    return render(request, "window/deliver.html", context, status=status)


@window_page()
@require_http_methods(["GET", "POST"])
@clerk_action(transition=WITHDRAW, wrong_status=NOT_WITHDRAWABLE, replay_to=detail_url)
def withdraw(request: HttpRequest, case: Case) -> HttpResponse:
    """撤回 with the applicant's reason; a running back-office flow is cancelled with it."""
    refusal, status = "", 200
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                case = window_withdraw(
                    case=case,
                    actor=user_of(request),
                    key=form.cleaned_data["key"],
                    reason=form.cleaned_data["reason"],
                )
            except ActionForbidden:
                raise
            except CaseError as exc:  # CaseBusy when the flow is locked: 409
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, WITHDRAWN)
                return redirect(detail_url(case))
    else:
        form = WithdrawForm()
    context = case_context(request, case)
    context.update(form=form, refusal=refusal)
    return render(request, "window/withdraw.html", context, status=status)
