"""The REST API for other systems: catalogue, online applications, cases, webhooks, sharing."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "workflows.api"
    label = "api"
    verbose_name = _("系统对接")

    def ready(self) -> None:
        from workflows.api import receivers, schema  # noqa: F401  (outbox receiver, schema extension)
