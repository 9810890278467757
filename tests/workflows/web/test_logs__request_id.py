"""Operators can follow one request through the logs: JSON lines carrying its request id."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from workflows.web.logs import make_formatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines() -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(make_formatter("json"))
    logger = logging.getLogger("workflows")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_a_requests_log_lines_are_json_with_its_request_id(json_lines: io.StringIO) -> None:
    # A malformed lookup is logged as nothing; a wrong guess is logged (INFO).
    response = Client().post(
        reverse("status"), {"number": "PY-2026-999999", "digits": "1111"}, REMOTE_ADDR="192.0.2.7"
    )

    request_id = response["X-Request-ID"]
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert lines, "the wrong guess was logged"
    assert {line["request_id"] for line in lines} == {request_id}
    assert lines[0]["level"] == "info"
    assert "status lookup wrong guess" in lines[0]["event"]


def test_a_proxys_request_id_is_kept_and_a_bad_one_replaced() -> None:
    kept = Client().get(reverse("healthz"), HTTP_X_REQUEST_ID="abc123-proxy-id")
    replaced = Client().get(reverse("healthz"), HTTP_X_REQUEST_ID="bad id\\nwith newline")

    assert kept["X-Request-ID"] == "abc123-proxy-id"
    assert replaced["X-Request-ID"] != "bad id\\nwith newline"
    assert len(replaced["X-Request-ID"]) == 32
