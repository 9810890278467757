"""Retention of the security logs (网络安全法 第二十一条): kept six months, then purged.

Each log is kept for its setting's number of days (never fewer than
``MIN_DAYS``, a system check refuses a shorter period) and then deleted by
``manage.py purge_retained`` / the Celery beat task ``privacy.purge_retained``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

MIN_DAYS = 180  # 网络安全法 第二十一条: 不少于六个月


@dataclass(frozen=True)
class RetainedLog:
    """One kept log: its model, the field holding each row's time, and the days setting."""

    model: str  # "app_label.ModelName"
    time_field: str
    setting: str


LOGS = (
    RetainedLog("web.LookupAttempt", "at", "RETENTION_LOOKUP_DAYS"),
    RetainedLog("axes.AccessAttempt", "attempt_time", "RETENTION_LOGIN_DAYS"),
    RetainedLog("axes.AccessFailureLog", "attempt_time", "RETENTION_LOGIN_DAYS"),
    RetainedLog("axes.AccessLog", "attempt_time", "RETENTION_LOGIN_DAYS"),
)


def retention_days(setting: str) -> int:
    """The days a log is kept (the setting; six months when unset)."""
    return int(getattr(settings, setting, MIN_DAYS))


def purge_retained(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the rows older than each log's retention period; return the count per log."""
    moment = now or timezone.now()
    purged: dict[str, int] = {}
    for log in LOGS:
        days = retention_days(log.setting)
        if days < MIN_DAYS:  # the system check refuses this too: never purge early
            raise ValueError(f"{log.setting}={days} is shorter than {MIN_DAYS} days")
        model = apps.get_model(log.model)
        cutoff = moment - timedelta(days=days)
        with transaction.atomic():
            deleted, _ = model.objects.filter(**{f"{log.time_field}__lt": cutoff}).delete()
        purged[log.model] = deleted
    return purged
