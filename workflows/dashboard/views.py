"""The supervisor's dashboard (数据看板) and its wall mode (大屏).

Thin views: the scope is the desk's (a supervisor sees their center and below,
a head their department), optionally narrowed to one center of it; the
figures come from ``selectors``; the page embeds them as JSON for the chart
script and prints them as tables under each chart.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center
from workflows.dashboard import selectors
from workflows.supervision import errors
from workflows.supervision.selectors import DeskScope, centers_under, desk_scope
from workflows.supervision.views import desk_view

LABELS = {
    "accepted": _("今日受理"),
    "decided": _("今日办结"),
    "delivered": _("今日送达"),
    "open": _("在办"),
    "overdue": _("超承诺期限"),
    "overdue_statutory": _("超法定期限"),
    "due_soon": _("即将到期"),
    "escalations": _("未回复督办"),
}

CHART_LABELS = {
    "rate": _("按时办结率"),
    "target": _("目标"),
    "overdue": _("超期"),
    "due_soon": _("即将到期"),
    "days": _("办结工作日"),
    "promised": _("承诺时限"),
    "good_rate": _("好评率"),
    "open_rectifications": _("整改中"),
    "wait": _("平均等候"),
    "minutes": _("分钟"),
}


def _scope(request: HttpRequest) -> tuple[DeskScope, list[Center]]:
    """The viewer's desk scope, narrowed to ``?center=`` when that center is inside it."""
    scope = desk_scope(request.user)
    if scope is None:
        raise PermissionDenied(errors.DESK_FORBIDDEN)
    choices = Center.objects.order_by("path")
    if scope.center_ids is not None:
        choices = choices.filter(pk__in=scope.center_ids)
    centers = list(choices)
    wanted = request.GET.get("center", "")
    chosen = next((c for c in centers if str(c.pk) == wanted), None)
    if chosen is not None:
        scope = DeskScope(
            centers_under(chosen) or tuple(c.pk for c in centers),
            scope.department_id,
            chosen.name,
        )
    return scope, centers


def _context(request: HttpRequest) -> dict[str, Any]:
    scope, centers = _scope(request)
    now = timezone.now()
    figures = selectors.dashboard(scope, now)
    charts = figures["charts"]
    fresh = {
        kind: timezone.localtime(moment).strftime("%H:%M")
        for kind, moment in figures["computed"].items()
    }
    headline = selectors.headline(charts["today"], figures["yesterday_stocks"])
    for figure in headline:
        figure["label"] = LABELS[figure["name"]]
    return {
        "scope": scope,
        "centers": centers,
        "center": request.GET.get("center", ""),
        "charts": charts,
        "fresh": fresh,
        "headline": headline,
        "now": now,
        "labels": {key: str(label) for key, label in CHART_LABELS.items()},
    }


@desk_view
def index(request: HttpRequest) -> HttpResponse:
    """The dashboard on a desk: big numbers, three charts, each with its table."""
    return render(request, "dashboard/index.html", _context(request))


@desk_view
def wall(request: HttpRequest) -> HttpResponse:
    """The wall display: dark, full screen, large type, reloading itself every minute."""
    return render(request, "dashboard/wall.html", _context(request))
