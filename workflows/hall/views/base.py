"""What the hall's pages share: the clock, the center in the URL, slot times, the client's IP."""

from __future__ import annotations

import ipaddress
from datetime import date, datetime

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone

from workflows.cases.permissions import is_admin
from workflows.catalog.models import Center
from workflows.catalog.roles import CLERK, has_role
from workflows.hall import selectors
from workflows.hall.models import Counter


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def hall_center(code: str) -> Center:
    center = selectors.hall_centers().filter(code=code).first()
    if center is None:
        raise Http404
    return center


def slot_time(raw: str) -> datetime | None:
    try:
        naive = datetime.strptime(raw, "%Y-%m-%dT%H:%M")  # noqa: DTZ007  (local wall time)
        return timezone.make_aware(naive)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the per-address limit (the proxy header of first-question)."""
    header = getattr(settings, "FIRSTQUESTION_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    candidate = value.split(",")[0].strip() if value else ""
    address = candidate or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def is_clerk(request: HttpRequest) -> bool:
    return has_role(request.user, CLERK) or is_admin(request.user)


def with_waiting(counters: list[Counter]) -> list[tuple[Counter, int]]:
    waiting = selectors.waiting_by_counter(counters, today())
    return [(c, waiting.get(c.pk, 0)) for c in counters]
