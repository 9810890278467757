"""办事指南: the public service guide (no login) and its checklist PDF."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "workflows.guide"
    label = "guide"
    verbose_name = _("办事指南")

    def ready(self) -> None:
        from workflows.guide import receivers  # noqa: F401  (keeps the search text current)
