"""The hall's writes' clock: the given ``now`` (tests, sweeps) or the current time."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()
