from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CombinedConfig(AppConfig):
    name = "workflows.combined"
    label = "combined"
    verbose_name = _("一件事")

    def ready(self) -> None:
        from workflows.catalog.roles import CLERK, SUPERVISOR
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("一件事"),
                url_name="combined:index",
                roles=(CLERK, SUPERVISOR),
                order=36,
                accesskey="b",
            )
        )
