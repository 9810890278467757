from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "workflows.cases"
    label = "cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from workflows.cases import receivers  # noqa: F401  (connects the receivers)
