"""咨询登记 and one consultation: log, refer, answer, turn into an application."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.cases.errors import CaseError
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import CLERK, display_name, has_role, profile_of
from workflows.firstquestion import errors, hours, services
from workflows.firstquestion.forms import (
    AnswerForm,
    ConsultationForm,
    ReferForm,
)
from workflows.firstquestion.models import (
    ConsultationStatus,
)
from workflows.firstquestion.services import LogOutcome
from workflows.firstquestion.views.common import (
    ANSWERED,
    LOGGED,
    REFERRED,
    consultation_or_404,
    consultation_page,
    intake_url,
    local_text,
    user_of,
)


@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """咨询登记 in a few keystrokes; the outcome buttons answer, refer or open the intake."""
    user = user_of(request)
    if profile_of(user) is None and not is_admin(user):
        raise PermissionDenied(errors.NOT_STAFF)
    refusal, status = "", 200
    if request.method == "POST":
        form = ConsultationForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.consultation_log(
                    actor=user,
                    channel=data["channel"],
                    citizen_name=data["citizen_name"],
                    citizen_phone=data["citizen_phone"],
                    matter=data["matter"],
                    outcome=data["outcome"],
                    item=data.get("item"),
                    present=list(data.get("present") or []),
                    answer=data.get("answer") or "",
                    target=form.target() if data["outcome"] == LogOutcome.REFER else None,
                    note=data.get("note") or "",
                    idempotency_key=f"fq:{user.pk}:{data['key']}",
                )
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if consultation.first_responder_id == user.pk:
                    messages.success(request, LOGGED)
                else:
                    messages.success(
                        request,
                        _("咨询已登记；按职级，首问责任人为 %(name)s。")
                        % {"name": display_name(consultation.first_responder)},
                    )
                if consultation.status == ConsultationStatus.APPLICATION:
                    return redirect(intake_url(consultation))
                return redirect("firstquestion:consultation", pk=consultation.pk)
    else:
        form = ConsultationForm(user=user)
    return render(
        request,
        "firstquestion/log.html",
        {
            "form": form,
            "refusal": refusal,
            "is_clerk": has_role(user, CLERK) or is_admin(user),
            "ack_minutes": hours.ack_minutes(),
        },
        status=status,
    )


@require_http_methods(["GET"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One consultation: the facts, its referrals and trail, and what can be done now."""
    return consultation_page(request, consultation_or_404(request, pk))


@require_POST
def consultation_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """转办 by the first responder (after a refusal, or instead of an application)."""
    consultation = consultation_or_404(request, pk)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return consultation_page(request, consultation, status=400, refer_form=form)
    try:
        referral = services.consultation_refer(
            consultation=consultation,
            actor=user_of(request),
            target=form.target(),
            note=form.cleaned_data.get("note") or "",
        )
    except CaseError as exc:
        return consultation_page(
            request, consultation, status=exc.status_code, refusal=exc.message, refer_form=form
        )
    messages.success(request, REFERRED % {"due": local_text(referral.ack_due_at)})
    return redirect("firstquestion:consultation", pk=consultation.pk)


@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The first responder answers the citizen (ends any open referral)."""
    consultation = consultation_or_404(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return consultation_page(request, consultation, status=400, answer_form=form)
    try:
        services.consultation_answer(
            consultation=consultation, actor=user_of(request), answer=form.cleaned_data["answer"]
        )
    except CaseError as exc:
        return consultation_page(
            request, consultation, status=exc.status_code, refusal=exc.message, answer_form=form
        )
    messages.success(request, ANSWERED)
    return redirect("firstquestion:consultation", pk=consultation.pk)


@require_POST
def consultation_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A returned consultation becomes an application: on to the window's intake."""
    consultation = consultation_or_404(request, pk)
    try:
        consultation = services.consultation_to_application(
            consultation=consultation, actor=user_of(request)
        )
    except CaseError as exc:
        return consultation_page(request, consultation, status=exc.status_code, refusal=exc.message)
    return redirect(intake_url(consultation))
