"""The clerk's home at the window: today's intake, what waits, and case search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from workflows.cases.clock import legal_today
from workflows.window import selectors
from workflows.window.forms import SearchForm
from workflows.window.views.common import delivery_tasks_url, window_page


@window_page()
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Today's intake, what waits for correction or delivery, and case search."""
    center = selectors.clerk_center(request.user)
    search = SearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = selectors.rows(selectors.search_cases(request.user, search.cleaned_data["q"]))
    context: dict[str, Any] = {"center": center, "search": search, "found": found}
    if center is not None:
        context.update(
            today=selectors.rows(selectors.received_on(center, legal_today())),
            pending=selectors.rows(selectors.awaiting_acceptance(center)),
            correction=selectors.correction_rows(center),
            delivery=selectors.delivery_rows(center),
            tasks_url=delivery_tasks_url(),
        )
    return render(request, "window/index.html", context)
