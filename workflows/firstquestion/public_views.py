"""The citizens' status page: no login, no personal data, rate-limited, never cached.

A case number plus the last four characters of the applicant's phone or ID
number shows the item, the stage in plain words, the promised due date and
whether it is late. "No such case" and "wrong digits" get the same answer;
too many wrong guesses per case number lock it for a few minutes (doubling
while the guessing goes on), a noisy address is slowed down for a minute
(``workflows.web.limits``, docs/limits.md); every refusal says when to try
again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from workflows.firstquestion import errors, selectors
from workflows.firstquestion.forms import StatusForm
from workflows.firstquestion.services import lookup

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (a setting)."""
    header = getattr(settings, "FIRSTQUESTION_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    if not header:
        _warn_if_proxied(request)
    # A proxy's header may carry a chain: the first entry is the client.
    candidate = value.split(",")[0].strip() if value else ""
    return candidate or request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104


_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
_warned: list[bool] = []


def _warn_if_proxied(request: HttpRequest) -> None:
    """Say once per process that a proxy is in front but its client header is not configured.

    Every citizen would then share the proxy's address, and its limit.
    """
    if _warned or not any(request.META.get(h) for h in _PROXY_HEADERS):
        return
    _warned.append(True)
    logger.error(
        "status lookups arrive through a reverse proxy (%s is set) but "
        "FIRSTQUESTION_CLIENT_IP_HEADER is empty: every citizen counts as the proxy's "
        "address; set it to the header the proxy writes (see docs/operations.md)",
        next(h for h in _PROXY_HEADERS if request.META.get(h)),
    )


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """办件进度查询 for citizens."""
    context: dict[str, Any] = {}
    code, retry_after = 200, 0
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            number = lookup.normalize_case_number(form.cleaned_data["number"])
            digits = lookup.normalize_digits(form.cleaned_data["digits"])
            if not lookup.is_valid_lookup(number, digits):
                context["problem"] = errors.STATUS_FORMAT
                code = 400
            else:
                ip = client_ip(request)
                outcome = lookup.status_lookup(
                    ip=ip if _is_ip(ip) else "0.0.0.0",  # noqa: S104
                    case_number=number,
                    digits=digits,
                )
                if outcome.refusal is not None:
                    template = (
                        errors.STATUS_SLOW_DOWN if outcome.throttled else errors.STATUS_TOO_MANY
                    )
                    context["problem"] = template % {"until": outcome.refusal.until_text()}
                    retry_after = outcome.refusal.retry_after()
                    code = 429
                elif outcome.case is None:
                    context["problem"] = errors.STATUS_NOT_FOUND
                    code = 404
                else:
                    context["found"] = selectors.public_status(outcome.case, now=timezone.now())
        else:
            context["problem"] = errors.STATUS_FORMAT
            code = 400
        # The digits are never sent back; the number stays for another try.
        form = StatusForm(initial={"number": request.POST.get("number", "")[:40]})
    else:
        form = StatusForm(initial={"number": request.GET.get("number", "")[:40]})
    context["form"] = form
    response = render(request, "firstquestion/status.html", context, status=code)
    if code == 429:
        response["Retry-After"] = str(retry_after)
    # Not "no-referrer": Chromium would then post this page's own form with
    # "Origin: null" and the CSRF check refuses it (403). Other sites still get nothing.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
