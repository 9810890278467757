"""The clerk's desk (叫号台): the window's counters, 叫下一位, the called ticket's actions, 收件."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from documents import masking
from workflows.catalog.models import Center, ServiceItem, StaffProfile
from workflows.hall import errors, selectors, services
from workflows.hall.forms import DeskForm
from workflows.hall.models import Counter, Ticket
from workflows.hall.views import base

NOT_A_CLERK = gettext_lazy("只有窗口受理员可以叫号。")
NO_CENTER = gettext_lazy("您的账号尚未设置所在服务中心，不能叫号；请联系系统管理员。")
DESK_SAVED = gettext_lazy("已保存本窗口的设置。")
QUEUE_EMPTY = gettext_lazy("所选窗口组暂无等候的号码。")

ViewFunc = Callable[..., HttpResponse]


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
            if not base.is_clerk(request):
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
    current = selectors.current_ticket(request.user, base.today())  # type: ignore[arg-type]
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
            "rows": base.with_waiting(all_counters),
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
