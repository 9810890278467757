"""The waiting-hall display and the calls it polls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.hall import selectors
from workflows.hall.views import base


@login_not_required
@never_cache
@require_http_methods(["GET"])
def display(request: HttpRequest, code: str) -> HttpResponse:
    """The waiting-hall screen; hall-display.js polls ``display_calls`` every few seconds."""
    center = base.hall_center(code)
    return render(
        request,
        "hall/display.html",
        {"center": center, "calls": selectors.recent_calls(center, base.today())},
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def display_calls(request: HttpRequest, code: str) -> JsonResponse:
    center = base.hall_center(code)
    return JsonResponse({"calls": selectors.recent_calls(center, base.today())})
