"""Watched in production: health and readiness endpoints, and Prometheus metrics.

- ``/healthz``: the process answers (liveness; touches nothing).
- ``/readyz``: the database answers, Redis answers when Celery is used, and
  the render backlog; HTTP 503 when the instance should get no traffic.
- ``/metrics``: django-prometheus's request, response and model metrics plus
  the project's own (accepts, login lockouts, render and outbox backlogs),
  served only to the addresses in ``ONEWINDOW_METRICS_ALLOWED_IPS``.

docs/operations.md says what to alert on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

ACCEPTS = Counter("onewindow_accepts", "Cases accepted (受理), counted at commit", ["center"])
LOGIN_LOCKOUTS = Counter("onewindow_login_lockouts", "Accounts locked after failed logins")


def count_accept(case: Any) -> None:
    """Count one acceptance once its transaction has committed."""
    from django.db import transaction

    code = case.center.code if case.center_id else ""
    transaction.on_commit(lambda: ACCEPTS.labels(center=code).inc())


def _backlogs() -> dict[str, float]:
    """What waits in the outboxes, and how long the oldest has waited (seconds)."""
    from documents.models import RenderJob
    from workflows.notifications.models import OutboxMessage

    now = timezone.now()
    pending = RenderJob.objects.filter(state=RenderJob.State.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    oldest_unsent = unsent.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "render_pending": pending.count(),
        "render_failed": RenderJob.objects.filter(state=RenderJob.State.FAILED).count(),
        "render_oldest_seconds": (now - oldest).total_seconds() if oldest else 0.0,
        "outbox_pending": unsent.count(),
        "outbox_oldest_seconds": (now - oldest_unsent).total_seconds() if oldest_unsent else 0.0,
    }


class BacklogCollector(Collector):
    """Backlog gauges read from PostgreSQL at scrape time (right in every process)."""

    NAMES = (
        "onewindow_render_backlog",
        "onewindow_render_failed",
        "onewindow_render_oldest_seconds",
        "onewindow_outbox_backlog",
        "onewindow_outbox_oldest_seconds",
    )

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The names only (registering must not query the database)."""
        for name in self.NAMES:
            yield GaugeMetricFamily(name, name)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            values = _backlogs()
        except Exception:  # a scrape must not fail because the database is down
            return
        yield GaugeMetricFamily(
            "onewindow_render_backlog",
            "Documents waiting for their PDF",
            value=values["render_pending"],
        )
        yield GaugeMetricFamily(
            "onewindow_render_failed",
            "Documents whose PDF failed after every retry",
            value=values["render_failed"],
        )
        yield GaugeMetricFamily(
            "onewindow_render_oldest_seconds",
            "Age of the oldest document waiting for its PDF",
            value=values["render_oldest_seconds"],
        )
        yield GaugeMetricFamily(
            "onewindow_outbox_backlog",
            "Notifications (email, SMS) not yet sent",
            value=values["outbox_pending"],
        )
        yield GaugeMetricFamily(
            "onewindow_outbox_oldest_seconds",
            "Age of the oldest unsent notification",
            value=values["outbox_oldest_seconds"],
        )


_collector: list[BacklogCollector] = []


def register_collectors() -> None:
    """Register the backlog collector once per process."""
    if not _collector:
        _collector.append(BacklogCollector())
        REGISTRY.register(_collector[0])


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


def _redis_ok() -> bool:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    finally:
        client.close()


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: database (and Redis when Celery is used) answer; the render backlog."""
    checks: dict[str, Any] = {}
    ready = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
        ready = False
    if getattr(settings, "ONEWINDOW_USE_CELERY", False):
        try:
            checks["redis"] = "ok" if _redis_ok() else "error"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
        ready = ready and checks["redis"] == "ok"
    else:
        checks["redis"] = "not used"
    if checks["database"] == "ok":
        backlog = _backlogs()
        checks["render_backlog"] = backlog["render_pending"]
        checks["render_oldest_seconds"] = round(backlog["render_oldest_seconds"], 1)
    checks["status"] = "ok" if ready else "unavailable"
    return JsonResponse(checks, status=200 if ready else 503)


def _allowed(request: HttpRequest) -> bool:
    allowed = getattr(settings, "ONEWINDOW_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
    return request.META.get("REMOTE_ADDR", "") in allowed


@login_not_required
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, for the monitoring hosts only (404 to everyone else)."""
    if not _allowed(request):
        return HttpResponse(status=404)
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
