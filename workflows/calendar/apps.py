"""工作日历."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _invalidate_calendar(**kwargs: Any) -> None:
    # migrate and flush (TransactionTestCase teardown) rewrite the tables
    # behind the services' back, so the cached calendar cannot be trusted.
    from workflows.calendar import api

    api.invalidate()


class WorkCalendarConfig(AppConfig):
    """The working-day calendar (app label ``workcalendar``)."""

    name = "workflows.calendar"
    label = "workcalendar"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        """Register the cache invalidation hooks."""
        from workflows.calendar import api  # noqa: F401 -- connects its setting_changed receiver

        post_migrate.connect(_invalidate_calendar, dispatch_uid="workcalendar_invalidate")
