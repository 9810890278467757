"""System checks of the citizens' status page (run by ``manage.py check`` and at gunicorn start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

PROXY_HEADER_MISSING = "firstquestion.E001"


@register()
def client_address_is_known(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """In production, say where the client's address comes from (a proxy header or none)."""
    if settings.DEBUG:
        return []
    if getattr(settings, "FIRSTQUESTION_CLIENT_IP_HEADER", ""):
        return []
    if getattr(settings, "FIRSTQUESTION_DIRECT_CLIENTS", False):
        return []
    return [
        Error(
            "FIRSTQUESTION_CLIENT_IP_HEADER is not set: behind a reverse proxy every "
            "citizen would have the proxy's address and share its lookup limit.",
            hint=(
                "Set FIRSTQUESTION_CLIENT_IP_HEADER to the header your proxy writes "
                "(e.g. HTTP_X_REAL_IP), or FIRSTQUESTION_DIRECT_CLIENTS=true when no proxy "
                "stands in front of the application (docs/operations.md)."
            ),
            id=PROXY_HEADER_MISSING,
        )
    ]
