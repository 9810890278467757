"""The kiosk (取号机) and the printed ticket it links to."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.hall import errors, schedule, selectors, services
from workflows.hall.forms import CheckInForm, PriorityForm
from workflows.hall.models import Ticket
from workflows.hall.views import base

TICKET_SALT = "hall-ticket"


def _ticket_url(ticket: Ticket) -> str:
    token = signing.dumps(ticket.pk, salt=TICKET_SALT)
    return reverse("hall:ticket", kwargs={"code": ticket.center.code, "token": token})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """取号机: walk-in, 帮办代办 priority, or check-in with a booking."""
    center = base.hall_center(code)
    counters = list(selectors.active_counters(center))
    refusal = ""
    status = 200
    check_in = CheckInForm(request.POST if request.POST.get("action") == "check_in" else None)
    priority = PriorityForm(request.POST if request.POST.get("action") == "priority" else None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        by_id = {str(c.pk): c for c in counters}
        try:
            if action == "check_in":
                if not check_in.is_valid():
                    raise errors.HallError(errors.CHECK_IN_NOT_FOUND)
                ticket = services.ticket_check_in(center=center, **check_in.cleaned_data)
            else:
                counter = by_id.get(request.POST.get("counter", ""))
                if counter is None:
                    raise errors.HallError(errors.COUNTER_REQUIRED)
                if action == "priority":
                    if not priority.is_valid():
                        raise errors.HallError(errors.NAME_REQUIRED)
                    ticket = services.ticket_issue(
                        counter=counter, kind=Ticket.Kind.PRIORITY, **priority.cleaned_data
                    )
                else:
                    ticket = services.ticket_issue(counter=counter)
        except errors.HallError as exc:
            refusal, status = exc.message, exc.status_code
        else:
            return redirect(_ticket_url(ticket))
    return render(
        request,
        "hall/kiosk.html",
        {
            "center": center,
            "counters": counters,
            "check_in": check_in,
            "priority": priority,
            "refusal": refusal,
            "rows": base.with_waiting(counters),
            "open_now": schedule.period_at(center, base.now()) is not None,
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def ticket(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The 80 mm ticket: number, counter, people ahead, the items' materials."""
    try:
        pk = signing.loads(token, salt=TICKET_SALT, max_age=timedelta(days=1))
    except signing.BadSignature as exc:
        raise Http404 from exc
    the_ticket = get_object_or_404(
        Ticket.objects.select_related("center", "counter", "item"), pk=pk, center__code=code
    )
    items = [the_ticket.item] if the_ticket.item else list(the_ticket.counter.items.all()[:3])
    return render(
        request,
        "hall/ticket.html",
        {
            "ticket": the_ticket,
            "ahead": selectors.people_ahead(the_ticket),
            "items": [(i, list(i.materials.all())) for i in items],
            "kiosk_url": reverse("hall:kiosk", kwargs={"code": code}),
        },
    )
