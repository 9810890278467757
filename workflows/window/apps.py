"""综合窗口."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _delivery_badge(request: HttpRequest) -> QuerySet[Any] | None:
    """Results waiting for 出件 at the clerk's center (None hides the badge)."""
    from workflows.window.selectors import clerk_center, delivery_backlog

    center = clerk_center(request.user)
    if center is None:
        return None
    return delivery_backlog(center)


class WindowConfig(AppConfig):
    name = "workflows.window"
    label = "window"
    verbose_name = _("综合窗口")

    def ready(self) -> None:
        """Put 综合窗口 in the clerks' menu; Alt+N (accesskey n) opens it for a new intake."""
        from workflows.catalog.roles import CLERK
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("综合窗口"),
                url_name="window:index",
                roles=(CLERK,),
                order=10,
                accesskey="n",
                badge=_delivery_badge,
            )
        )
