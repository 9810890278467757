"""文书."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    label = "documents"
    verbose_name = _("文书")

    def ready(self) -> None:
        from documents import checks, receivers  # noqa: F401  (registers and connects them)
