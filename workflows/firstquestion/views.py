"""Staff pages of 首问负责制: 咨询登记, 我的首问, referrals, and the supervisor's 改派.

Thin views: forms validate, ``services`` write, ``selectors`` read. A service
refusal is shown on the page with what was typed (never a 500); a wrong role
is a 403 page that says who may act; an invisible consultation or case a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from documents.masking import mask_phone
from workflows.cases import services as case_services
from workflows.cases.errors import CaseError
from workflows.cases.models import Case
from workflows.cases.permissions import is_admin, is_supervisor_in_scope
from workflows.cases.selectors import cases_visible_to
from workflows.catalog.roles import CLERK, display_name, has_role, profile_of
from workflows.firstquestion import errors, hours, selectors, services
from workflows.firstquestion.forms import (
    AnswerForm,
    ConsultationForm,
    DeclineForm,
    ReassignForm,
    ReferForm,
)
from workflows.firstquestion.models import (
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralState,
)
from workflows.firstquestion.services import LogOutcome
from workflows.web.case_action import case_action

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


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _consultation_or_404(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.visible_consultation(request.user, pk)
    if consultation is None:
        raise Http404
    return consultation


def _intake_url(consultation: Consultation) -> str:
    """The window's intake prefilled from the consultation (item chooser when no item)."""
    query = "?" + urlencode({"consultation": consultation.pk})
    if consultation.item_id is not None and consultation.item.is_active:  # type: ignore[union-attr]
        return reverse("window:intake", kwargs={"code": consultation.item.code}) + query  # type: ignore[union-attr]
    return reverse("window:choose_item") + query


# ---------------------------------------------------------------- 咨询登记


@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """咨询登记 in a few keystrokes; the outcome buttons answer, refer or open the intake."""
    user = _user(request)
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
                    return redirect(_intake_url(consultation))
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


# ---------------------------------------------------------------- one consultation


def _detail(
    request: HttpRequest,
    consultation: Consultation,
    *,
    status: int = 200,
    refusal: str = "",
    **forms: Any,
) -> HttpResponse:
    """The consultation page with the actions this user may take (and any bound forms)."""
    user = _user(request)
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
        "intake_url": _intake_url(consultation),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "referral_answer_form": forms.get("referral_answer_form") or AnswerForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "refusal": refusal,
        "now": timezone.now(),
    }
    return render(request, "firstquestion/consultation.html", context, status=status)


@require_http_methods(["GET"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One consultation: the facts, its referrals and trail, and what can be done now."""
    return _detail(request, _consultation_or_404(request, pk))


@require_POST
def consultation_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """转办 by the first responder (after a refusal, or instead of an application)."""
    consultation = _consultation_or_404(request, pk)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _detail(request, consultation, status=400, refer_form=form)
    try:
        referral = services.consultation_refer(
            consultation=consultation,
            actor=_user(request),
            target=form.target(),
            note=form.cleaned_data.get("note") or "",
        )
    except CaseError as exc:
        return _detail(
            request, consultation, status=exc.status_code, refusal=exc.message, refer_form=form
        )
    messages.success(request, REFERRED % {"due": _local(referral.ack_due_at)})
    return redirect("firstquestion:consultation", pk=consultation.pk)


@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The first responder answers the citizen (ends any open referral)."""
    consultation = _consultation_or_404(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, consultation, status=400, answer_form=form)
    try:
        services.consultation_answer(
            consultation=consultation, actor=_user(request), answer=form.cleaned_data["answer"]
        )
    except CaseError as exc:
        return _detail(
            request, consultation, status=exc.status_code, refusal=exc.message, answer_form=form
        )
    messages.success(request, ANSWERED)
    return redirect("firstquestion:consultation", pk=consultation.pk)


@require_POST
def consultation_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A returned consultation becomes an application: on to the window's intake."""
    consultation = _consultation_or_404(request, pk)
    try:
        consultation = services.consultation_to_application(
            consultation=consultation, actor=_user(request)
        )
    except CaseError as exc:
        return _detail(request, consultation, status=exc.status_code, refusal=exc.message)
    return redirect(_intake_url(consultation))


# ---------------------------------------------------------------- referrals (receivers)


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
        services.referral_acknowledge(referral=referral, actor=_user(request))
    except CaseError as exc:
        return _detail(request, referral.consultation, status=exc.status_code, refusal=exc.message)
    messages.success(request, ACKNOWLEDGED)
    return redirect("firstquestion:consultation", pk=referral.consultation_id)


@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiver's answer to the citizen."""
    referral = _referral_or_404(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral.consultation, status=400, referral_answer_form=form)
    try:
        services.referral_answer(
            referral=referral, actor=_user(request), answer=form.cleaned_data["answer"]
        )
    except CaseError as exc:
        return _detail(
            request,
            referral.consultation,
            status=exc.status_code,
            refusal=exc.message,
            referral_answer_form=form,
        )
    messages.success(request, ANSWERED)
    return redirect("firstquestion:consultation", pk=referral.consultation_id)


@require_POST
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """退回 with a reason: back to the first responder."""
    referral = _referral_or_404(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral.consultation, status=400, decline_form=form)
    try:
        services.referral_decline(
            referral=referral, actor=_user(request), reason=form.cleaned_data["reason"]
        )
    except CaseError as exc:
        return _detail(
            request,
            referral.consultation,
            status=exc.status_code,
            refusal=exc.message,
            decline_form=form,
        )
    messages.success(request, DECLINED)
    return redirect("firstquestion:referrals")


# ---------------------------------------------------------------- 我的首问


@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """我的首问: what I am accountable for, who holds it, its light, what changed since I looked."""
    user = _user(request)
    show_all = request.GET.get("show") == "all"
    now = timezone.now()
    since = selectors.last_seen(user)  # a GET only reads; 标为已查看 (POST) moves it
    cases_page = Paginator(selectors.my_cases(user, open_only=not show_all), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    consultations = list(selectors.my_consultations(user, open_only=not show_all)[:PAGE_SIZE])
    case_rows = selectors.case_rows(list(cases_page.object_list), since=since, now=now)
    consultation_rows = selectors.consultation_rows(consultations, since=since)
    return render(
        request,
        "firstquestion/mine.html",
        {
            "since": since,
            "show_all": show_all,
            "cases_page": cases_page,
            "case_rows": case_rows,
            "consultation_rows": consultation_rows,
            "changed": sum(1 for r in case_rows if r.changes)
            + sum(1 for r in consultation_rows if r.changes),
        },
    )


@require_POST
def mark_seen(request: HttpRequest) -> HttpResponse:
    """标为已查看: what changed until now is no longer marked new, and the badge clears."""
    services.first_question_mark_seen(user=_user(request))
    query = "?show=all" if request.POST.get("show") == "all" else ""
    return redirect(reverse("firstquestion:mine") + query)


# ---------------------------------------------------------------- 改派首问责任人


def _visible_case(request: HttpRequest, number: str) -> Case:
    case = (
        cases_visible_to(
            request.user, Case.objects.select_related("center", "first_responder", "item")
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _may_reassign(user: User, case: Case) -> bool:
    return is_admin(user) or is_supervisor_in_scope(user, case)


@require_http_methods(["GET", "POST"])
@case_action(
    find=_visible_case,
    allowed=_may_reassign,
    forbidden=lambda case: PermissionDenied(NOT_SUPERVISOR),
)
def reassign(request: HttpRequest, case: Case) -> HttpResponse:
    """改派首问责任人: a supervisor of the case's center, with a reason, kept in the trail."""
    user = _user(request)
    refusal, status = "", 200
    if request.method == "POST":
        form = ReassignForm(request.POST, exclude=case.first_responder_id, actor=user)
        if form.is_valid():
            old = display_name(case.first_responder)
            new_user = form.cleaned_data["new_first_responder"]
            try:
                with transaction.atomic():
                    case_services.case_reassign_first_responder(
                        case=case,
                        actor=user,
                        new_first_responder=new_user,
                        reason=form.cleaned_data["reason"],
                    )
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, REASSIGNED % {"old": old, "new": display_name(new_user)})
                return redirect("window:case_detail", number=case.number)
    else:
        form = ReassignForm(exclude=case.first_responder_id, actor=user)
    history = case.events.filter(action="reassign_first_responder").select_related("actor")
    return render(
        request,
        "firstquestion/reassign.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "current": display_name(case.first_responder),
            "history": [
                {
                    "at": e.created_at,
                    "actor": display_name(e.actor),
                    "old": e.payload.get("from_name", ""),
                    "new": e.payload.get("to_name", ""),
                    "reason": e.payload.get("reason", ""),
                }
                for e in history.order_by("seq")
            ],
        },
        status=status,
    )
