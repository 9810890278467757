"""大厅: 预约办理, 排队叫号, 延时服务 and 节假日轮岗 (issue 15)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "workflows.hall"
    label = "hall"
    verbose_name = _("预约与叫号")

    def ready(self) -> None:
        """Put 叫号 in the clerks' menu (Alt+H) and 大厅统计 in the supervisors' (Alt+Y)."""
        from workflows.catalog.roles import CLERK, SUPERVISOR
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("叫号"),
                url_name="hall:window",
                roles=(CLERK,),
                order=15,
                accesskey="h",
            )
        )
        register(
            NavEntry(
                label=_("大厅统计"),
                url_name="hall:stats",
                roles=(SUPERVISOR,),
                order=62,
                accesskey="y",
            )
        )
