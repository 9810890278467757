"""The hall's pages: citizens' booking (phone-first, no login), kiosk, display, clerk, supervisor.

Views stay thin: forms validate, ``services`` write, ``selectors`` read. A
refusal (``errors.HallError``) is shown on the page with what was typed.
"""

from __future__ import annotations

import csv
import ipaddress
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from documents import masking
from workflows.cases.permissions import is_admin
from workflows.catalog.models import Center, ServiceItem, StaffProfile
from workflows.catalog.roles import CLERK, has_role, profile_of
from workflows.hall import errors, schedule, selectors, services
from workflows.hall.forms import (
    CheckInForm,
    ClosureForm,
    DeskForm,
    LookupForm,
    PeriodForm,
    PersonForm,
    PriorityForm,
    RotaForm,
)
from workflows.hall.models import Booking, Counter, Ticket
from workflows.web import limits

TICKET_SALT = "hall-ticket"
NOT_A_CLERK = gettext_lazy("只有窗口受理员可以叫号。")
NO_CENTER = gettext_lazy("您的账号尚未设置所在服务中心，不能叫号；请联系系统管理员。")
NOT_A_SUPERVISOR = gettext_lazy("只有效能督查员可以查看大厅统计。")
NO_SLOT_CHOSEN = gettext_lazy("请选择一个预约时段。")
DESK_SAVED = gettext_lazy("已保存本窗口的设置。")
QUEUE_EMPTY = gettext_lazy("所选窗口组暂无等候的号码。")
CANCELLED = gettext_lazy("预约已取消，短信通知已发送。")
MOVED = gettext_lazy("预约已改期，短信通知已发送。")

ViewFunc = Callable[..., HttpResponse]


def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _center(code: str) -> Center:
    center = selectors.hall_centers().filter(code=code).first()
    if center is None:
        raise Http404
    return center


def _slot_time(raw: str) -> datetime | None:
    try:
        naive = datetime.strptime(raw, "%Y-%m-%dT%H:%M")  # noqa: DTZ007  (local wall time)
        return timezone.make_aware(naive)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the per-address limit (the proxy header of first-question)."""
    header = getattr(settings, "FIRSTQUESTION_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    candidate = value.split(",")[0].strip() if value else ""
    address = candidate or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _is_clerk(request: HttpRequest) -> bool:
    return has_role(request.user, CLERK) or is_admin(request.user)


# ---------------------------------------------------------------- citizens: booking


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
    center = _center(code)
    today = _today()
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
    center = _center(code)
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
        starts_at = _slot_time(chosen)
        if starts_at is None:
            refusal, status = str(NO_SLOT_CHOSEN), 400
        else:
            staff = request.user if _is_clerk(request) else None
            try:
                booking = services.booking_create(
                    counter=counter,
                    item=service_item,
                    starts_at=starts_at,
                    ip=None if staff else client_ip(request),
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
    days = selectors.free_slots(counter, _now())
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
            "on_behalf": _is_clerk(request),
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
                ip=client_ip(request) or "0.0.0.0",  # noqa: S104
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
                    starts_at = _slot_time(request.POST.get("slot", ""))
                    if starts_at is None:
                        raise errors.HallError(NO_SLOT_CHOSEN)
                    booking = services.booking_move(booking=booking, starts_at=starts_at)
                    context["done"] = MOVED
            except errors.HallError as exc:
                context["refusal"] = exc.message
                status = exc.status_code
            context["booking"] = booking
            if booking.status == Booking.Status.BOOKED:
                context["days"] = selectors.free_slots(booking.counter, _now())
    response = render(request, "hall/manage.html", context, status=status)
    if refusal is not None:
        response["Retry-After"] = str(refusal.retry_after())
    return response


# ---------------------------------------------------------------- kiosk and display


def _with_waiting(counters: list[Counter]) -> list[tuple[Counter, int]]:
    waiting = selectors.waiting_by_counter(counters, _today())
    return [(c, waiting.get(c.pk, 0)) for c in counters]


def _ticket_url(ticket: Ticket) -> str:
    token = signing.dumps(ticket.pk, salt=TICKET_SALT)
    return reverse("hall:ticket", kwargs={"code": ticket.center.code, "token": token})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """取号机: walk-in, 帮办代办 priority, or check-in with a booking."""
    center = _center(code)
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
            "rows": _with_waiting(counters),
            "open_now": schedule.period_at(center, _now()) is not None,
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


@login_not_required
@never_cache
@require_http_methods(["GET"])
def display(request: HttpRequest, code: str) -> HttpResponse:
    """The waiting-hall screen; hall-display.js polls ``display_calls`` every few seconds."""
    center = _center(code)
    return render(
        request,
        "hall/display.html",
        {"center": center, "calls": selectors.recent_calls(center, _today())},
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def display_calls(request: HttpRequest, code: str) -> JsonResponse:
    center = _center(code)
    return JsonResponse({"calls": selectors.recent_calls(center, _today())})


# ---------------------------------------------------------------- clerk


def _profile_with_center(request: HttpRequest) -> StaffProfile | None:
    """The clerk's profile with center and department in one statement.

    Assigned to ``user.staff`` (the reverse one-to-one cache), so ``profile_of``
    and the menu's place read it without a query of their own.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    profile = (
        StaffProfile.objects.select_related("center", "department").filter(user_id=user.pk).first()
    )
    user.staff = profile
    return profile


def clerk_page(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not _is_clerk(request):
                raise PermissionDenied(NOT_A_CLERK)
            profile = _profile_with_center(request)
            if profile is None or profile.center is None:
                raise PermissionDenied(NO_CENTER)
            return view(request, profile.center, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "window/forbidden.html", {"message": str(exc)}, status=403)

    return wrapped


def _desk(
    request: HttpRequest, center: Center, counters: list[Counter] | None = None
) -> tuple[str, list[Counter]]:
    """The window name and counters saved in the session (only active ones of ``center``)."""
    saved = request.session.get("hall_desk", {})
    wanted = set(saved.get("counters", []))
    if counters is None:
        chosen = list(Counter.objects.filter(center=center, is_active=True, pk__in=wanted))
    else:
        chosen = [c for c in counters if c.pk in wanted]
    return saved.get("window", ""), chosen


@clerk_page
@require_http_methods(["GET", "POST"])
def window(request: HttpRequest, center: Center) -> HttpResponse:
    """叫号台: this window's name and counters, the called ticket and what to do with it.

    The page a clerk sees after every 叫下一位, so it reads little: the counters
    (with their items, which also give the intake choice), the current ticket,
    the waiting counts; the menu is drawn without badges (``nav_badges``).
    """
    request.nav_badges = False  # type: ignore[attr-defined]
    all_counters = list(selectors.active_counters(center))
    window_name, counters = _desk(request, center, all_counters)
    choices = [(str(c.pk), str(c)) for c in all_counters]
    if request.method == "POST":
        desk = DeskForm(request.POST)
        desk.fields["counters"].choices = choices  # type: ignore[attr-defined]
        if desk.is_valid():
            request.session["hall_desk"] = {
                "window": desk.cleaned_data["window"].strip(),
                "counters": [int(pk) for pk in desk.cleaned_data["counters"]],
            }
            messages.success(request, DESK_SAVED)
            return redirect("hall:window")
    else:
        desk = DeskForm(initial={"window": window_name, "counters": [str(c.pk) for c in counters]})
        desk.fields["counters"].choices = choices  # type: ignore[attr-defined]
    current = selectors.current_ticket(request.user, _today())  # type: ignore[arg-type]
    intake_items: list[ServiceItem] = []
    if current is not None and current.item is None:
        own = next((c for c in all_counters if c.pk == current.counter_id), None)
        if own is not None:  # prefetched with the counters
            intake_items = [i for i in own.items.all() if i.is_active]
        else:  # transferred here from a counter no longer active
            intake_items = list(current.counter.items.filter(is_active=True))
    return render(
        request,
        "hall/window.html",
        {
            "center": center,
            "desk": desk,
            "desk_ready": bool(window_name and counters),
            "counters": all_counters,
            "rows": _with_waiting(all_counters),
            "current": current,
            "current_id": masking.mask_id_number(current.id_number, masking.Audience.SCREEN)
            if current
            else "",
            "intake_items": intake_items,
            "transfer_to": [c for c in all_counters if current and c.pk != current.counter_id],
        },
    )


@clerk_page
@require_POST
def call_next(request: HttpRequest, center: Center) -> HttpResponse:
    """叫下一位, then back to the desk (POST–redirect–GET: a reload never calls again).

    Statements: the session, the user, their roles, profile and center, the
    desk's counters, and the one call statement (tests/workflows/hall/
    test_views__call_budget.py holds the count).
    """
    window_name, counters = _desk(request, center)
    try:
        called = services.ticket_call_next(
            counters=counters,
            clerk=request.user,  # type: ignore[arg-type]
            window=window_name,
        )
    except errors.HallError as exc:
        messages.error(request, exc.message)
    else:
        if called is None:
            messages.info(request, QUEUE_EMPTY)
    return redirect("hall:window")


@clerk_page
@require_POST
def ticket_action(request: HttpRequest, center: Center, pk: int, action: str) -> HttpResponse:
    """重呼 / 过号 / 办结 / 转窗口 on the ticket this clerk called."""
    the_ticket = get_object_or_404(Ticket, pk=pk, center=center)
    clerk = request.user
    try:
        if action == "recall":
            services.ticket_recall(ticket=the_ticket, clerk=clerk)  # type: ignore[arg-type]
        elif action == "skip":
            services.ticket_skip(ticket=the_ticket, clerk=clerk)  # type: ignore[arg-type]
        elif action == "finish":
            services.ticket_finish(ticket=the_ticket, clerk=clerk)  # type: ignore[arg-type]
        elif action == "transfer":
            chosen = request.POST.get("counter", "")
            if not (chosen.isascii() and chosen.isdigit() and len(chosen) <= 18):
                raise Http404  # not a counter's id: as unknown as a counter elsewhere
            target = get_object_or_404(Counter, pk=chosen, center=center, is_active=True)
            services.ticket_transfer(
                ticket=the_ticket,
                counter=target,
                clerk=clerk,  # type: ignore[arg-type]
            )
        else:
            raise Http404
    except errors.HallError as exc:
        messages.error(request, exc.message)
    return redirect("hall:window")


@clerk_page
@require_http_methods(["GET"])
def start_intake(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """收件 for the called person: the window's intake with their details filled in."""
    the_ticket = get_object_or_404(
        Ticket, pk=pk, center=center, called_by_id=request.user.pk, status=Ticket.Status.CALLED
    )
    code = the_ticket.item.code if the_ticket.item else request.GET.get("item", "")
    if not the_ticket.counter.items.filter(code=code).exists() and the_ticket.item is None:
        raise Http404
    url = reverse("window:intake", kwargs={"code": code})
    return redirect(f"{url}?ticket={the_ticket.pk}")


# ---------------------------------------------------------------- supervisors


def _stats_context(request: HttpRequest) -> dict[str, Any]:
    centers = selectors.stats_centers(request.user)
    if not centers.exists():
        raise PermissionDenied(NOT_A_SUPERVISOR)
    center = centers.filter(code=request.GET.get("center", "")).first()
    if center is None:
        profile = profile_of(request.user)
        own = profile.center if profile else None
        center = own if own is not None and centers.filter(pk=own.pk).exists() else centers.first()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = _today()
    if center is None:
        raise PermissionDenied(NOT_A_SUPERVISOR)
    no_shows = selectors.repeated_no_shows(center, since=day - timedelta(days=90))
    return {
        "centers": centers,
        "center": center,
        "day": day,
        "stats": selectors.day_stats(center, day),
        "no_shows": [
            {
                "id": masking.mask_id_number(row["id_number"], masking.Audience.SCREEN),
                "count": row["n"],
            }
            for row in no_shows
        ],
    }


@require_http_methods(["GET"])
def stats(request: HttpRequest) -> HttpResponse:
    """大厅统计 per center and day."""
    try:
        context = _stats_context(request)
    except PermissionDenied as exc:
        return render(request, "window/forbidden.html", {"message": str(exc)}, status=403)
    return render(request, "hall/stats.html", context)


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@require_http_methods(["GET"])
def stats_export(request: HttpRequest) -> HttpResponse:
    """The day's statistics as CSV: per counter and hour, the day's summary, repeated no-shows."""
    try:
        context = _stats_context(request)
    except PermissionDenied as exc:
        return render(request, "window/forbidden.html", {"message": str(exc)}, status=403)
    day_stats = context["stats"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"hall-{context['center'].code}-{context['day']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("分组"),
            _("名称"),
            _("取号数"),
            _("预约"),
            _("现场"),
            _("优先"),
            _("平均等候（分钟）"),
            _("90% 等候（分钟）"),
            _("平均办理（分钟）"),
            _("90% 办理（分钟）"),
        ]
    )
    groups = [(_("合计"), [day_stats.total]), (_("窗口组"), day_stats.by_counter)]
    groups.append((_("时段"), day_stats.by_hour))
    for group, rows in groups:
        for row in rows:
            writer.writerow(
                [
                    group,
                    row.label,
                    row.tickets,
                    row.booked,
                    row.walk_in,
                    row.priority,
                    _minutes(row.wait_avg),
                    _minutes(row.wait_p90),
                    _minutes(row.service_avg),
                    _minutes(row.service_p90),
                ]
            )
    summary = _("汇总")
    writer.writerow([summary, _("当日预约"), day_stats.bookings])
    writer.writerow([summary, _("爽约"), day_stats.no_shows])
    writer.writerow([summary, _("延时服务取号"), day_stats.by_period.get("extended", 0)])
    writer.writerow([summary, _("节假日轮岗取号"), day_stats.by_period.get("rota", 0)])
    for row in context["no_shows"]:
        writer.writerow([_("多次爽约（近 90 天）"), row["id"], row["count"]])
    return response


# ---------------------------------------------------------------- hours


HOURS_SAVED = gettext_lazy("已保存。")
HOURS_FORMS = {"period": PeriodForm, "rota": RotaForm, "closure": ClosureForm}


@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    """办公时间, 延时服务, 节假日轮岗 and closures of a center, for supervisors and admins."""
    centers = selectors.stats_centers(request.user)
    center = centers.filter(code=request.GET.get("center", "")).first() or centers.first()
    if center is None:
        return render(
            request, "window/forbidden.html", {"message": str(NOT_A_SUPERVISOR)}, status=403
        )
    bound = request.POST.get("kind", "") if request.method == "POST" else ""
    forms_by_kind = {
        kind: form_class(request.POST if kind == bound else None, prefix=kind)
        for kind, form_class in HOURS_FORMS.items()
    }
    forms_by_kind["period"].fields["counter"].queryset = Counter.objects.filter(center=center)  # type: ignore[attr-defined]
    forms_by_kind["rota"].fields["staff"].queryset = (  # type: ignore[attr-defined]
        forms_by_kind["rota"].fields["staff"].queryset.filter(staff__center=center)  # type: ignore[attr-defined]
    )
    refusal = ""
    status = 200
    if request.method == "POST":
        target = f"{reverse('hall:hours')}?center={center.code}"
        form = forms_by_kind.get(bound)
        if remove := request.POST.get("remove", ""):
            try:
                services.hours_remove(center=center, kind=bound, pk=remove)
            except errors.HallError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, HOURS_SAVED)
                return redirect(target)
        elif form is not None and form.is_valid():
            try:
                services.hours_add(center=center, form=form)
            except errors.HallError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, HOURS_SAVED)
                return redirect(target)
        else:
            status = 400
    today = _today()
    return render(
        request,
        "hall/hours.html",
        {
            "centers": centers,
            "center": center,
            "forms": forms_by_kind,
            "refusal": refusal,
            "periods": center.hall_hours.select_related("counter"),
            "rota": center.hall_rota.filter(date__gte=today).prefetch_related("staff"),
            "closures": center.hall_closures.filter(date__gte=today),
        },
        status=status,
    )
