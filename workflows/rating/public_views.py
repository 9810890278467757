"""The citizens' rating pages (no login): by the notice's QR code, the printed code or the SMS.

Each page shows what is rated (item, center, date: no personal data) and
asks for the last four characters of the applicant's phone or ID number,
checked and counted by the same guard as /status/ (rate-limited, logged).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from documents.selectors import verify_document
from documents.signing import MAX_TOKEN_CHARS
from workflows.cases.errors import CaseError
from workflows.rating import errors, services
from workflows.rating.forms import CodeForm, RatingForm
from workflows.rating.models import Channel, RatingInvitation

KIND_MOMENT = {"acceptance": "acceptance", "completion": "completion"}


def _client_ip(request: HttpRequest) -> str:
    from workflows.firstquestion.public_views import _is_ip, client_ip

    ip = client_ip(request)
    return ip if _is_ip(ip) else "0.0.0.0"  # noqa: S104


def _private(response: HttpResponse) -> HttpResponse:
    # The token or code in the address must not leak to other sites; "no-referrer" would
    # make Chromium send "Origin: null" with the form, which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """/rate/: type the 评价码 printed on the notice."""
    problem = None
    code = 200
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        invitation = services.invitation_for(code=request.POST.get("code", ""))
        if invitation is not None:
            return redirect("rating_code", code=invitation.code)
        problem, code = errors.CODE_UNKNOWN, 404
    return _private(
        render(request, "rating/enter.html", {"form": form, "problem": problem}, status=code)
    )


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def by_code(request: HttpRequest, code: str) -> HttpResponse:
    """The rating page reached with the printed code."""
    return _page(request, services.invitation_for(code=code), Channel.CODE)


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def by_sms(request: HttpRequest, code: str) -> HttpResponse:
    """The rating page reached from the SMS link."""
    return _page(request, services.invitation_for(code=code), Channel.SMS)


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The rating page reached from the notice's QR code (the /verify/ token)."""
    invitation = None
    result = verify_document(token) if len(token) <= MAX_TOKEN_CHARS else None
    if result is not None and result.authentic and result.document is not None:
        moment = KIND_MOMENT.get(result.document.kind)
        if moment is not None:
            invitation = (
                RatingInvitation.objects.select_related("case__item", "case__center")
                .filter(case_id=result.document.case_id, moment=moment)
                .first()
            )
    return _page(request, invitation, Channel.QR)


def _page(request: HttpRequest, invitation: RatingInvitation | None, channel: str) -> HttpResponse:
    if invitation is None:
        return _private(
            render(
                request,
                "rating/enter.html",
                {"form": CodeForm(), "problem": errors.CODE_UNKNOWN},
                status=404,
            )
        )
    context: dict[str, Any] = {"invitation": invitation, "case": invitation.case, "public": True}
    status = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating = services.rating_submit(
                    invitation=invitation,
                    level=form.cleaned_data["level"] or None,
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                    channel=channel,
                    digits=form.cleaned_data["digits"],
                    ip=_client_ip(request),
                )
            except CaseError as exc:
                context["problem"], status = exc.message, exc.status_code
            else:
                return _private(render(request, "rating/thanks.html", {"rating": rating}))
        else:
            context["problem"], status = next(iter(form.errors.values()))[0], 400
        # The digits are never sent back.
        data = request.POST.copy()
        data["digits"] = ""
        form = RatingForm(
            initial={k: data.getlist(k) if k == "reasons" else data.get(k) for k in data}
        )
    else:
        form = RatingForm()
    refusal = services.may_rate(invitation, now=timezone.now())
    context.update({"form": form, "refusal": refusal})
    return _private(render(request, "rating/rate.html", context, status=status))
