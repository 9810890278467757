"""综合窗口."""

from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _delivery_badge(request: HttpRequest) -> int | None:
    """Results waiting for 出件 at the clerk's center (None hides the badge)."""
    from workflows.window.selectors import clerk_center, count_awaiting_delivery

    center = clerk_center(request.user)
    if center is None:
        return None
    return count_awaiting_delivery(center) or None


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
