from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "workflows.web"
    label = "web"
    verbose_name = _("工作台")

    def ready(self) -> None:
        """Connect the metrics' receivers and register the backlog collector."""
        from workflows.web import receivers  # noqa: F401  (connects the receivers)
        from workflows.web.logs import connect_celery
        from workflows.web.observability import register_collectors

        register_collectors()
        connect_celery()
