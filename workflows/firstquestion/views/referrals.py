"""Referrals as their receivers see them: the list, 签收, answer, 退回."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from documents.masking import mask_phone
from workflows.cases.errors import CaseError
from workflows.firstquestion import selectors, services
from workflows.firstquestion.forms import (
    AnswerForm,
    DeclineForm,
)
from workflows.firstquestion.models import (
    Referral,
    ReferralState,
)
from workflows.firstquestion.views.common import (
    ACKNOWLEDGED,
    ANSWERED,
    DECLINED,
    consultation_page,
    user_of,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _referral_or_404(request: HttpRequest, pk: int) -> Referral:
    referral = Referral.objects.select_related("consultation").filter(pk=pk).first()
    if (
        referral is None
        or selectors.visible_consultation(request.user, referral.consultation_id) is None
    ):
        raise Http404
    return referral


@require_http_methods(["GET"])
def referrals(request: HttpRequest) -> HttpResponse:
    """转办待办: open referrals to me, my department or my window, oldest deadline first."""
    rows = list(selectors.referrals_for_receiver(request.user)[:500])
    now = timezone.now()
    return render(
        request,
        "firstquestion/referrals.html",
        {
            "rows": [
                {
                    "referral": r,
                    "target": services.target_label(r),
                    "late": r.state == ReferralState.PENDING and now > r.ack_due_at,
                    "phone": mask_phone(r.consultation.citizen_phone),
                }
                for r in rows
            ]
        },
    )


@require_POST
def referral_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """签收."""
    referral = _referral_or_404(request, pk)
    try:
        services.referral_acknowledge(referral=referral, actor=user_of(request))
    except CaseError as exc:
        return consultation_page(
            request, referral.consultation, status=exc.status_code, refusal=exc.message
        )
    messages.success(request, ACKNOWLEDGED)
    return redirect("firstquestion:consultation", pk=referral.consultation_id)


def _answer_with_form(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    form_name: str,
    act: Callable[[Referral, dict[str, Any]], object],
    done: StrOrPromise,
    then: Callable[[Referral], HttpResponse],
) -> HttpResponse:
    """A receiver's POST with a form: the form's errors or the service's refusal on
    the consultation page (the form kept), else ``done`` and ``then``."""
    referral = _referral_or_404(request, pk)
    form = form_class(request.POST)
    bound: dict[str, Any] = {form_name: form}
    if not form.is_valid():
        return consultation_page(request, referral.consultation, status=400, **bound)
    try:
        act(referral, form.cleaned_data)
    except CaseError as exc:
        return consultation_page(
            request,
            referral.consultation,
            status=exc.status_code,
            refusal=exc.message,
            **bound,
        )
    messages.success(request, done)
    return then(referral)


@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiver's answer to the citizen."""
    return _answer_with_form(
        request,
        pk,
        form_class=AnswerForm,
        form_name="referral_answer_form",
        act=lambda referral, data: services.referral_answer(
            referral=referral, actor=user_of(request), answer=data["answer"]
        ),
        done=ANSWERED,
        then=lambda referral: redirect("firstquestion:consultation", pk=referral.consultation_id),
    )


@require_POST
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """退回 with a reason: back to the first responder."""
    return _answer_with_form(
        request,
        pk,
        form_class=DeclineForm,
        form_name="decline_form",
        act=lambda referral, data: services.referral_decline(
            referral=referral, actor=user_of(request), reason=data["reason"]
        ),
        done=DECLINED,
        then=lambda _referral: redirect("firstquestion:referrals"),
    )
