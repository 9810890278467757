from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CombinedConfig(AppConfig):
    name = "workflows.combined"
    label = "combined"
    verbose_name = _("一件事")

    def ready(self) -> None:
        from workflows.catalog.roles import CLERK, SUPERVISOR
        from workflows.combined.receivers import wake_bundle
        from workflows.tasks.signals import sub_case_finished
        from workflows.web.nav import NavEntry, register

        sub_case_finished.connect(wake_bundle, dispatch_uid="combined.wake_bundle")

        register(
            NavEntry(
                label=_("一件事"),
                url_name="combined:index",
                roles=(CLERK, SUPERVISOR),
                order=36,
                accesskey="b",
            )
        )
