"""Staff pages of 好差评: the counter pad, the case panel, rectifications, the desk."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.cases.errors import CaseError
from workflows.cases.selectors import cases_visible_to
from workflows.rating import errors, selectors, services
from workflows.rating.forms import (
    AppealDecisionForm,
    AppealForm,
    CallBackForm,
    FeedBackForm,
    RatingForm,
    ResolveForm,
    StatisticsForm,
)
from workflows.rating.models import Appeal, Channel, Rating, RatingInvitation, Rectification
from workflows.rating.services._base import _may_start_counter

DEVICE_COOKIE = "ow_rating_device"


def case_panel(request: HttpRequest, number: str) -> HttpResponse:
    """A case's ratings: invitations, the counter pad and the SMS link, every rating."""
    case = get_object_or_404(cases_visible_to(request.user).select_related("item"), number=number)
    invitations = list(case.rating_invitations.order_by("created_at"))
    ratings = list(
        Rating.objects.filter(case=case).select_related("rectification").order_by("rated_at")
    )
    return render(
        request,
        "rating/case.html",
        {
            "case": case,
            "invitations": invitations,
            "ratings": ratings,
            "may_start": _may_start_counter(request.user, case),
        },
    )


@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, pk: int) -> HttpResponse:
    """评价器: the tablet at the counter, started by the clerk for the case in front of them."""
    invitation = get_object_or_404(RatingInvitation.objects.select_related("case__item"), pk=pk)
    case = invitation.case
    if not _may_start_counter(request.user, case):
        return HttpResponseForbidden(str(errors.NOT_YOUR_CENTER % {"center": case.center.name}))
    device = request.COOKIES.get(DEVICE_COOKIE) or f"pad-{secrets.token_hex(6)}"
    context: dict[str, Any] = {"invitation": invitation, "case": case, "public": False}
    status = 200
    form = RatingForm()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating = services.rating_submit(
                    invitation=invitation,
                    level=form.cleaned_data["level"] or None,
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                    channel=Channel.WINDOW,
                    actor=request.user,
                    device_id=device,
                )
            except CaseError as exc:
                context["problem"], status = exc.message, exc.status_code
            else:
                response = render(request, "rating/thanks.html", {"rating": rating, "pad": True})
                response.set_cookie(DEVICE_COOKIE, device, max_age=10 * 365 * 86400)
                return response
    context.update({"form": form, "refusal": services.may_rate(invitation)})
    response = render(request, "rating/rate.html", context, status=status)
    response.set_cookie(DEVICE_COOKIE, device, max_age=10 * 365 * 86400)
    return response


@require_POST
def send_sms(request: HttpRequest, pk: int) -> HttpResponse:
    """Text the applicant the rating link."""
    invitation = get_object_or_404(RatingInvitation.objects.select_related("case"), pk=pk)
    try:
        services.rating_send_sms(invitation=invitation, actor=request.user)
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评价短信已排队发送。"))
    return redirect("rating:case", number=invitation.case.number)


def rectifications(request: HttpRequest) -> HttpResponse:
    """差评整改: open ones first, with their lights."""
    show = request.GET.get("show", "open")
    qs = selectors.rectifications_visible_to(request.user)
    if show == "open":
        qs = qs.exclude(state=Rectification.State.CLOSED)
    now = timezone.now()
    rows = [(r, *selectors.light_of(r, now)) for r in qs.order_by("rectify_due_at")[:500]]
    return render(request, "rating/rectifications.html", {"rows": rows, "show": show})


ACTIONS = {
    "call_back": CallBackForm,
    "resolve": ResolveForm,
    "feed_back": FeedBackForm,
    "appeal": AppealForm,
    "decide_appeal": AppealDecisionForm,
}


@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """One 差评 and its 整改: the steps so far and the next step's form."""
    r = get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)
    forms: dict[str, Any] = {name: cls(prefix=name) for name, cls in ACTIONS.items()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        form = ACTIONS[action](request.POST, prefix=action)
        forms[action] = form
        if form.is_valid():
            try:
                _act(request, r, action, form.cleaned_data)
            except CaseError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("已记录。"))
                return redirect("rating:rectification", pk=r.pk)
        else:
            status = 400
    pending = r.appeals.filter(state=Appeal.State.PENDING).first()
    context = {
        "r": r,
        "rating": r.rating,
        "light": selectors.light_of(r),
        "events": r.events.select_related("actor").order_by("created_at", "pk"),
        "appeals": r.appeals.order_by("filed_at"),
        "pending_appeal": pending,
        "forms": forms,
        "assignee": services.is_assignee(request.user, r),
    }
    return render(request, "rating/rectification.html", context, status=status)


def _act(request: HttpRequest, r: Rectification, action: str, data: dict[str, Any]) -> None:
    user = request.user
    if action == "call_back":
        services.rectification_call_back(rectification=r, actor=user, note=data["note"])
    elif action == "resolve":
        services.rectification_resolve(
            rectification=r,
            actor=user,
            finding=data["finding"],
            resolution=data["resolution"],
            text=data["text"],
        )
    elif action == "feed_back":
        services.rectification_feed_back(rectification=r, actor=user, text=data["text"])
    elif action == "appeal":
        services.appeal_file(
            rectification=r, actor=user, grounds=data["grounds"], evidence=data["evidence"]
        )
    else:
        appeal = r.appeals.filter(state=Appeal.State.PENDING).first()
        if appeal is None:
            raise Http404
        services.appeal_decide(
            appeal=appeal, actor=user, upheld=data["upheld"], reason=data["reason"]
        )


def statistics(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """好差评统计: counts and rates per dimension, reasons ranked, on-time rates; export."""
    if not selectors.may_see_desk(request.user):
        return HttpResponseForbidden(_("只有效能督查人员和部门负责人可以查看好差评统计。"))
    form = StatisticsForm(request.GET or None)
    by, start, end = "center", None, None
    if form.is_valid():
        by = form.cleaned_data["by"] or "center"
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = selectors.statistics(request.user, by=by, start=start, end=end)
    total = selectors.totals(rows)
    label = selectors.DIMENSIONS[by][0]
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        from workflows.web.exports import export_response

        header = [
            str(label),
            _("评价总数"),
            _("好评"),
            _("基本满意"),
            _("差评"),
            _("其中默认评价"),
            _("好评率"),
            _("差评率"),
        ]
        lines = [
            [r.label, r.total, r.good, r.basic, r.bad, r.defaulted, r.good_rate, r.bad_rate]
            for r in [*rows, total]
        ]
        return export_response(fmt, f"rating-{by}", header, lines)
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "label": label,
        "reasons": selectors.reasons_ranked(request.user, start=start, end=end),
        "on_time": selectors.on_time(request.user, start=start, end=end),
        "open_count": selectors.rectifications_visible_to(request.user)
        .exclude(state=Rectification.State.CLOSED)
        .count(),
        "query": request.GET.urlencode(),
    }
    return render(request, "rating/statistics.html", context)
