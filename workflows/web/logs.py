"""JSON logs with a request id, carried from the web request into Celery tasks.

``ONEWINDOW_LOG_FORMAT=json`` (the production default) renders every log
record, the project's and the libraries', as one JSON object per line
through structlog's ``ProcessorFormatter``; ``plain`` keeps readable lines
for development. :class:`RequestIdMiddleware` binds ``request_id`` (the
proxy's ``X-Request-ID`` when it looks like one, else a new one) for the
request and returns it in the response; tasks queued during the request
carry it in their headers and bind it while they run.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse

_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"


def make_formatter(kind: str = "json") -> logging.Formatter:
    """The log formatter (``LOGGING["formatters"]``): ``json`` or ``plain``, with the request id."""
    pre_chain: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if kind == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )


def current_request_id() -> str:
    return str(structlog.contextvars.get_contextvars().get("request_id", ""))


class RequestIdMiddleware:
    """Bind a request id for the request's logs and answer it in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        response[HEADER] = request_id
        return response


def connect_celery() -> None:
    """Carry the request id into Celery tasks queued during a request."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _send(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if headers is not None and (request_id := current_request_id()):
            headers["request_id"] = request_id

    @task_prerun.connect(weak=False)
    def _bind(task: Any = None, **kwargs: Any) -> None:
        structlog.contextvars.clear_contextvars()
        request_id = getattr(getattr(task, "request", None), "request_id", None)
        if request_id:
            structlog.contextvars.bind_contextvars(request_id=request_id)

    @task_postrun.connect(weak=False)
    def _clear(**kwargs: Any) -> None:
        structlog.contextvars.clear_contextvars()
