"""What the staff pages share: their messages, the signed-in user, a consultation's page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import CLERK, display_name, has_role
from workflows.firstquestion import selectors, services
from workflows.firstquestion.forms import (
    AnswerForm,
    DeclineForm,
    ReferForm,
)
from workflows.firstquestion.models import (
    Consultation,
    ConsultationStatus,
    ReferralState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 50
LOGGED = gettext_lazy("咨询已登记，您是首问责任人。")
REFERRED = gettext_lazy("已转办，对方须在 %(due)s 前签收。")
ANSWERED = gettext_lazy("已登记答复。")
ACKNOWLEDGED = gettext_lazy(
    "已签收。请尽快答复咨询人，或转为申请；不属于本职责的请退回并说明理由。"
)
DECLINED = gettext_lazy("已退回首问责任人。")
REASSIGNED = gettext_lazy("首问责任人已由 %(old)s 改派为 %(new)s，已记入办件记录。")
NOT_SUPERVISOR = gettext_lazy("只有辖区内的效能督查人员可以改派首问责任人。")


def user_of(request: HttpRequest) -> User:
    return cast("User", request.user)


def local_text(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def consultation_or_404(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.visible_consultation(request.user, pk)
    if consultation is None:
        raise Http404
    return consultation


def intake_url(consultation: Consultation) -> str:
    """The window's intake prefilled from the consultation (item chooser when no item)."""
    query = "?" + urlencode({"consultation": consultation.pk})
    if consultation.item_id is not None and consultation.item.is_active:  # type: ignore[union-attr]
        return reverse("window:intake", kwargs={"code": consultation.item.code}) + query  # type: ignore[union-attr]
    return reverse("window:choose_item") + query


def consultation_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    status: int = 200,
    refusal: str = "",
    **forms: Any,
) -> HttpResponse:
    """The consultation page with the actions this user may take (and any bound forms)."""
    user = user_of(request)
    referrals = list(
        consultation.referrals.select_related(
            "to_department", "to_center", "to_user", "referred_by", "acknowledged_by", "resolved_by"
        ).order_by("created_at", "pk")
    )
    open_referral = next((r for r in referrals if r.is_open), None)
    is_first = user.pk == consultation.first_responder_id or is_admin(user)
    receiver = open_referral is not None and services.is_receiver(user, open_referral)
    clerk = has_role(user, CLERK) or is_admin(user)
    events = consultation.events.select_related("actor").order_by("created_at", "pk")
    context = {
        "consultation": consultation,
        "present": [display_name(u) for u in consultation.present.all()],
        "first_responder": display_name(consultation.first_responder),
        "logged_by": display_name(consultation.logged_by),
        "referrals": [(r, services.target_label(r)) for r in referrals],
        "open_referral": open_referral,
        "trail": [selectors.consultation_change(e) for e in events],
        "can_refer": is_first
        and consultation.status in (ConsultationStatus.RETURNED, ConsultationStatus.APPLICATION),
        "can_answer": is_first and consultation.is_open,
        "can_apply": is_first and clerk and consultation.status == ConsultationStatus.RETURNED,
        "can_receive": clerk
        and consultation.case_id is None
        and consultation.status != ConsultationStatus.ANSWERED
        and (consultation.status == ConsultationStatus.APPLICATION or receiver),
        "is_receiver": receiver,
        "can_acknowledge": receiver
        and open_referral is not None
        and open_referral.state == ReferralState.PENDING,
        "intake_url": intake_url(consultation),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "referral_answer_form": forms.get("referral_answer_form") or AnswerForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "refusal": refusal,
        "now": timezone.now(),
    }
    return render(request, "firstquestion/consultation.html", context, status=status)
