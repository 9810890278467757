"""我的首问: a staff member's own cases and consultations, and marking them seen."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from workflows.firstquestion import selectors, services
from workflows.firstquestion.views.common import (
    PAGE_SIZE,
    user_of,
)


@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """我的首问: what I am accountable for, who holds it, its light, what changed since I looked."""
    user = user_of(request)
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
    services.first_question_mark_seen(user=user_of(request))
    query = "?show=all" if request.POST.get("show") == "all" else ""
    return redirect(reverse("firstquestion:mine") + query)
