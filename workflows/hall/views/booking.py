"""Citizens' booking (no login): centers, a center's week, booking an item, 查询/取消/改约."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.catalog.models import ServiceItem
from workflows.hall import errors, schedule, selectors, services
from workflows.hall.forms import LookupForm, PersonForm
from workflows.hall.models import Booking
from workflows.hall.views import base
from workflows.web import limits

NO_SLOT_CHOSEN = gettext_lazy("请选择一个预约时段。")
CANCELLED = gettext_lazy("预约已取消，短信通知已发送。")
MOVED = gettext_lazy("预约已改期，短信通知已发送。")


@login_not_required
@never_cache
@require_http_methods(["GET"])
def book_centers(request: HttpRequest) -> HttpResponse:
    """预约办理: choose the center."""
    return render(request, "hall/book_centers.html", {"centers": selectors.hall_centers()})


@login_not_required
@never_cache
@require_http_methods(["GET"])
def book_center(request: HttpRequest, code: str) -> HttpResponse:
    """A center's hours for the coming days, and its items grouped by counter."""
    center = base.hall_center(code)
    today = base.today()
    week = []
    for offset in range(8):
        day = today + timedelta(offset)
        week.append({"day": day, "periods": schedule.periods_on(center, day)})
    return render(
        request,
        "hall/book_center.html",
        {"center": center, "counters": selectors.active_counters(center), "week": week},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def book_item(request: HttpRequest, code: str, item: str) -> HttpResponse:
    """Materials, free slots, and the person's details; POST books."""
    center = base.hall_center(code)
    counter = selectors.counter_for_item(center, item)
    if counter is None:
        raise Http404
    service_item = get_object_or_404(
        ServiceItem.objects.prefetch_related("materials"), code=item, is_active=True
    )
    refusal = ""
    status = 200
    chosen = request.POST.get("slot", "")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at = base.slot_time(chosen)
        if starts_at is None:
            refusal, status = str(NO_SLOT_CHOSEN), 400
        else:
            staff = request.user if base.is_clerk(request) else None
            try:
                booking = services.booking_create(
                    counter=counter,
                    item=service_item,
                    starts_at=starts_at,
                    ip=None if staff else base.client_ip(request),
                    actor=staff,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except errors.HallError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                request.session["hall_booking"] = booking.reference
                return redirect("hall:book_done")
    elif request.method == "POST":
        status = 400
    days = selectors.free_slots(counter, base.now())
    wanted = request.GET.get("day", "") or chosen[:10]
    shown = [d for d in days if d[0].isoformat() == wanted] or days[:1]
    return render(
        request,
        "hall/book_item.html",
        {
            "center": center,
            "counter": counter,
            "item": service_item,
            "days": shown,
            "day_links": [
                {"day": day, "free": sum(s.free for s in slots), "current": shown[0][0] == day}
                for day, slots in days
            ],
            "form": form,
            "chosen": chosen,
            "refusal": refusal,
            "on_behalf": base.is_clerk(request),
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def book_done(request: HttpRequest) -> HttpResponse:
    """The booking reference, once, right after booking."""
    reference = request.session.get("hall_booking", "")
    booking = (
        Booking.objects.select_related("center", "counter", "item")
        .filter(reference=reference)
        .first()
    )
    if booking is None:
        return redirect("hall:manage")
    return render(
        request,
        "hall/book_done.html",
        {
            "booking": booking,
            "materials": booking.item.materials.all(),
            "no_show": schedule.setting("HALL_NO_SHOW_MINUTES", 30),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """查询、取消或改约 with the reference and the last four digits (checked on every POST)."""
    form = LookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    refusal: limits.Refusal | None = None
    if request.method == "POST":
        booking = None
        if form.is_valid():
            found = services.booking_find(
                form.cleaned_data["reference"],
                form.cleaned_data["digits"],
                ip=base.client_ip(request) or "0.0.0.0",  # noqa: S104
            )
            booking, refusal = found.found, found.refusal
        if refusal is not None:
            context["refusal"] = refusal.message()
            status = 429
        elif booking is None:
            context["refusal"] = errors.BOOKING_NOT_FOUND
            status = 404
        else:
            action = request.POST.get("action", "find")
            try:
                if action == "cancel":
                    booking = services.booking_cancel(booking=booking)
                    context["done"] = CANCELLED
                elif action == "move":
                    starts_at = base.slot_time(request.POST.get("slot", ""))
                    if starts_at is None:
                        raise errors.HallError(NO_SLOT_CHOSEN)
                    booking = services.booking_move(booking=booking, starts_at=starts_at)
                    context["done"] = MOVED
            except errors.HallError as exc:
                context["refusal"] = exc.message
                status = exc.status_code
            context["booking"] = booking
            if booking.status == Booking.Status.BOOKED:
                context["days"] = selectors.free_slots(booking.counter, base.now())
    response = render(request, "hall/manage.html", context, status=status)
    if refusal is not None:
        response["Retry-After"] = str(refusal.retry_after())
    return response
