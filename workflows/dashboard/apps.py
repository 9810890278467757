"""数据看板: the supervisor's dashboard and the hall's wall display (大屏)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "workflows.dashboard"
    label = "dashboard"
    verbose_name = _("数据看板")

    def ready(self) -> None:
        from workflows.catalog.roles import HEAD, SUPERVISOR
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("数据看板"),
                url_name="dashboard:index",
                roles=(SUPERVISOR, HEAD),
                order=62,
                accesskey="k",
            )
        )
