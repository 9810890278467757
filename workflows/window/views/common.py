"""What every window screen shares: the page decorator, the case-action prelude, the case context.

A wrong role or center is a 403 page, an invisible case a 404 page (never a
500); which actions a page offers comes from the case's FSM, the same
transitions the prelude checks before a clerk acts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from workflows.cases.errors import ActionForbidden
from workflows.cases.models import Case, Status
from workflows.cases.permissions import is_admin, is_center_clerk
from workflows.catalog.models import Center
from workflows.catalog.roles import CLERK, has_role
from workflows.web.case_action import NumberView, available_transitions, case_action
from workflows.window import display, selectors
from workflows.window.keys import KEY_PATTERN
from workflows.window.services import window_replayed

if TYPE_CHECKING:
    from django.contrib.auth.models import User


NOT_A_CLERK = gettext_lazy("只有窗口受理员可以使用综合窗口。")
NO_CENTER = gettext_lazy("您的账号尚未设置所在服务中心，不能在窗口收件；请联系系统管理员。")
NOT_YOUR_CASE = gettext_lazy("只有本中心（%(center)s）的窗口人员可以办理此操作。")
REPLAYED_ACTION = gettext_lazy("该操作已经办理过（重复提交），未重复登记。")

ViewFunc = Callable[..., HttpResponse]

# The FSM transition (workflows.cases.models.Case) each window action performs.
REVIEW = "accept"  # with request_correction and reject: all from 已收件
SUPPLEMENT = "supplement"
DECIDE = "decide"
DELIVER = "close"
WITHDRAW = "withdraw"


def window_page(*, clerk_only: bool = True) -> Callable[[ViewFunc], ViewFunc]:
    """Role check plus zh-Hans 403/404 pages for the window's views (never a 500)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if clerk_only and not (has_role(request.user, CLERK) or is_admin(request.user)):
                    raise PermissionDenied(NOT_A_CLERK)
                return view(request, *args, **kwargs)
            except Http404:
                return render(request, "window/not_found.html", status=404)
            except PermissionDenied as exc:
                message = str(exc) or str(NOT_A_CLERK)
                return render(request, "window/forbidden.html", {"message": message}, status=403)

        return wrapped

    return decorator


def user_of(request: HttpRequest) -> User:
    return cast("User", request.user)


def center_of(request: HttpRequest) -> Center:
    """The clerk's center; 403 when the account has none."""
    center = selectors.clerk_center(request.user)
    if center is None:
        raise PermissionDenied(NO_CENTER)
    return center


def is_case_clerk(user: User, case: Case) -> bool:
    """A clerk of the case's center (or an admin): who may act on it at the window."""
    return is_admin(user) or is_center_clerk(user, case)


def outcome_url(case: Case, document: str = "") -> str:
    url = reverse("window:outcome", kwargs={"number": case.number})
    return f"{url}?doc={document}" if document else url


def detail_url(case: Case) -> str:
    return reverse("window:case_detail", kwargs={"number": case.number})


def delivery_tasks_url() -> str:
    """The window's 待出件 task list of the flows (tasks app)."""
    return reverse("tasks:delivery")


def _delivery_task_url(request: HttpRequest, case: Case) -> str:
    """The open window delivery task of a flow-driven decided case, else the task list."""
    if case.status != Status.DECIDED or selectors.has_window_delivery(case):
        return ""
    task_id = selectors.delivery_task_id(request.user, case)
    if task_id is not None:
        return reverse("tasks:task", kwargs={"task_id": task_id})
    return delivery_tasks_url()


# ---------------------------------------------------------------- the case-action prelude


def _visible(request: HttpRequest, number: str) -> Case:
    return selectors.visible_case(request.user, number)


def _not_your_case(case: Case) -> Exception:
    return ActionForbidden(NOT_YOUR_CASE % {"center": case.center.name})


def clerk_action(
    *,
    transition: str,
    wrong_status: Any,
    replay_to: Callable[[Case], str],
    guard: Callable[[Case], None] | None = None,
) -> Callable[[ViewFunc], NumberView]:
    """A window action on one case: visible → the center's clerk → replay → FSM ``transition``.

    A form posted again after it acted redirects to ``replay_to(case)``
    (changing nothing); a case whose status does not allow ``transition`` goes
    back to its page with ``wrong_status`` (a message taking ``%(status)s``).
    """

    def replayed(request: HttpRequest, case: Case) -> HttpResponse | None:
        key = request.POST.get("key", "") if request.method == "POST" else ""
        if not re.fullmatch(KEY_PATTERN, key):
            return None
        if not window_replayed(case=case, actor=user_of(request), key=key):
            return None
        messages.info(request, REPLAYED_ACTION)
        return redirect(replay_to(case))

    def refused(request: HttpRequest, case: Case) -> HttpResponse:
        """Back to the case page with the reason (the page shows what can be done now)."""
        messages.warning(request, wrong_status % {"status": case.get_status_display()})
        return redirect(detail_url(case))

    return case_action(
        find=_visible,
        allowed=is_case_clerk,
        forbidden=_not_your_case,
        replay=replayed,
        guard=guard,
        transition=transition,
        wrong_status=refused,
    )


# ---------------------------------------------------------------- what the case pages show


def case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the outcome page and the case page both show."""
    return {
        "case": case,
        "materials": list(case.materials.all()),
        "light": display.traffic_light(case),
        "status_explained": display.STATUS_EXPLAINED.get(case.status, ""),
        "applicant_id": display.mask_id_number(case.applicant_id_number, case.applicant_id_type),
        "agent_id": display.mask_id_number(case.agent_id_number, case.agent_id_type),
        "applicant_phone": display.mask_phone(case.applicant_phone),
        "agent_phone": display.mask_phone(case.agent_phone),
        "first_responder": display.person_name(case.first_responder),
        "first_responder_phone": display.staff_phone(case.first_responder),
        "handler": display.person_name(case.handler) if case.handler_id else "",
        "handler_phone": display.staff_phone(case.handler),
        "received_by": display.person_name(case.received_by),
        "decided_by": display.person_name(case.decided_by) if case.decided_by_id else "",
        "delivered_by": display.person_name(case.delivered_by) if case.delivered_by_id else "",
        "is_immediate": case.item.is_immediate,
        "window_delivery": selectors.has_window_delivery(case),
        "tasks_url": _delivery_task_url(request, case),
    }


def clerk_actions(request: HttpRequest, case: Case) -> dict[str, bool]:
    """Which window actions the page offers this user for this case (from the case's FSM)."""
    clerk = is_case_clerk(user_of(request), case)
    can = available_transitions(case) if clerk else frozenset()
    no_flow = selectors.has_window_delivery(case)
    return {
        "can_review": REVIEW in can,
        "can_supplement": SUPPLEMENT in can,
        "can_decide": case.item.is_immediate and DECIDE in can,
        "can_deliver": DELIVER in can and no_flow,
        "can_deliver_by_task": DELIVER in can and not no_flow,
        "can_withdraw": WITHDRAW in can,
    }
