"""Operators can ask whether an instance is alive and ready, and scrape its metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import CaseFactory
from workflows.catalog.models import Center
from workflows.web.observability import ACCEPTS

pytestmark = pytest.mark.django_db


def test_health_and_readiness_answer_without_login(case_factory: CaseFactory) -> None:
    case_factory(status="accepted")  # issues an acceptance notice: one PDF waits
    client = Client()

    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    ready = client.get(reverse("readyz"))
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["redis"] == "not used"
    assert body["render_backlog"] == 1


@override_settings(ONEWINDOW_USE_CELERY=True, REDIS_URL="redis://127.0.0.1:1/0")
def test_readiness_fails_when_celerys_redis_is_unreachable() -> None:
    ready = Client().get(reverse("readyz"))

    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["redis"].startswith("error")


def test_metrics_count_accepts_and_report_backlogs_to_the_monitoring_host(
    case_factory: CaseFactory,
    county: Center,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = Client()
    before = ACCEPTS.labels(center=county.code)._value.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_factory(status="accepted")
    text = client.get(reverse("prometheus-metrics"), REMOTE_ADDR="127.0.0.1").content.decode()

    assert "django_http_requests_total_by_method_total" in text
    assert "onewindow_render_backlog 1.0" in text
    assert f'onewindow_accepts_total{{center="{county.code}"}} {before + 1}' in text
    assert client.get(reverse("prometheus-metrics"), REMOTE_ADDR="203.0.113.9").status_code == 404
