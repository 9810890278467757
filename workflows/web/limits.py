"""One limiter for the public look-ups: the status page, the rating page's digits, the booking.

Each look-up proves a citizen by a target (a case number, a booking reference)
and the last four digits of a phone or ID number. Two limits, counted in
``LookupAttempt`` rows (docs/limits.md):

- **per target** (what stops guessing): after ``LOOKUP_WRONG_PER_TARGET``
  wrong guesses within ``LOOKUP_TARGET_MEMORY_HOURS``, the target is locked
  for ``LOOKUP_TARGET_LOCK_SECONDS`` after its last wrong guess; every further
  ``LOOKUP_WRONG_PER_TARGET`` wrong guesses double the lock, up to
  ``LOOKUP_TARGET_LOCK_MAX_SECONDS``. Refused attempts do not count, so a
  stranger cannot lengthen a lock by hammering it. The count and the insert
  are serialised per target (an advisory lock on the target, never on the
  address), so parallel guesses cannot slip past the limit.
- **per address** (a short slow-down): ``LOOKUP_WRONG_PER_ADDRESS`` wrong
  guesses within ``LOOKUP_ADDRESS_WINDOW_SECONDS`` slow that address down
  until the oldest of them leaves the window. Many honest citizens share one
  address (a mobile network, a proxy): they never queue on a lock and are
  never locked out for longer than that window.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.web.models import LookupAttempt, LookupResult

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULTS = {
    "LOOKUP_WRONG_PER_TARGET": 5,
    "LOOKUP_TARGET_LOCK_SECONDS": 300,
    "LOOKUP_TARGET_LOCK_MAX_SECONDS": 3600,
    "LOOKUP_TARGET_MEMORY_HOURS": 24,
    "LOOKUP_WRONG_PER_ADDRESS": 20,
    "LOOKUP_ADDRESS_WINDOW_SECONDS": 60,
}


def setting(name: str) -> int:
    """One of the limiter's numbers (settings, else the documented default)."""
    return int(getattr(settings, name, DEFAULTS[name]))


@dataclass(frozen=True)
class Refusal:
    """Why a look-up was refused and until when."""

    by_address: bool
    until: datetime
    at: datetime  # when the refused attempt came

    def retry_after(self) -> int:
        """Seconds until the look-up may be tried again (for ``Retry-After``)."""
        left = (self.until - self.at).total_seconds()
        return max(1, int(left) + (0 if left == int(left) else 1))

    def until_text(self) -> str:
        """The local time to try again at, rounded up to the minute."""
        local = timezone.localtime(self.until)
        if local.second or local.microsecond:
            local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        if local.date() == timezone.localtime(self.at).date():
            return local.strftime("%H:%M")
        return local.strftime("%Y-%m-%d %H:%M")

    def message(self) -> str:
        """A sentence for the citizen: what happened and when to try again."""
        if self.by_address:
            return _("您所在网络的查询错误次数过多，请在 %(until)s 之后再试。") % {
                "until": self.until_text()
            }
        return _("错误次数过多，为保护申请人信息，此项查询已暂停，请在 %(until)s 之后再试。") % {
            "until": self.until_text()
        }


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """A guarded look-up's outcome: what the probe found, or the refusal."""

    found: T | None = None
    refusal: Refusal | None = None


def safe_for_log(value: str) -> str:
    """A value fit for one log line (no control characters: no log injection)."""
    return re.sub(r"[^\w.:-]", "?", value)[:60]


def _lock_target(scope: str, target: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"lookup:{scope}:{target}"]
        )


def target_locked_until(scope: str, target: str, now: datetime) -> datetime | None:
    """When the target's lock ends (None when it is not locked), from its wrong guesses."""
    per_target = setting("LOOKUP_WRONG_PER_TARGET")
    memory = timedelta(hours=setting("LOOKUP_TARGET_MEMORY_HOURS"))
    seen = LookupAttempt.objects.filter(
        scope=scope, target=target, result=LookupResult.WRONG, at__gt=now - memory
    ).aggregate(n=Count("pk"), last=Max("at"))
    rounds = seen["n"] // per_target
    if rounds < 1:
        return None
    base = setting("LOOKUP_TARGET_LOCK_SECONDS")
    lock = min(base * 2 ** min(rounds - 1, 30), setting("LOOKUP_TARGET_LOCK_MAX_SECONDS"))
    until: datetime = seen["last"] + timedelta(seconds=lock)
    return until if until > now else None


def address_slowed_until(scope: str, ip: str, now: datetime) -> datetime | None:
    """When the address's slow-down ends (None when it may look up now)."""
    per_address = setting("LOOKUP_WRONG_PER_ADDRESS")
    window = timedelta(seconds=setting("LOOKUP_ADDRESS_WINDOW_SECONDS"))
    recent = list(
        LookupAttempt.objects.filter(
            scope=scope, ip=ip, result=LookupResult.WRONG, at__gt=now - window
        )
        .order_by("-at")
        .values_list("at", flat=True)[per_address - 1 : per_address]
    )
    return recent[0] + window if recent else None


def attempt(
    scope: str,
    *,
    target: str,
    ip: str,
    probe: Callable[[], T | None],
    now: datetime | None = None,
) -> Attempt[T]:
    """Run ``probe`` (the digits check) unless a limit refuses; log the attempt either way.

    ``probe`` returns what it found, or None for a wrong guess (an unknown
    target and wrong digits are the same wrong guess).
    """
    moment = now or timezone.now()
    with transaction.atomic():
        _lock_target(scope, target)
        until = target_locked_until(scope, target, moment)
        by_address = False
        if until is None:
            until = address_slowed_until(scope, ip, moment)
            by_address = until is not None
        if until is not None:
            LookupAttempt.objects.create(
                scope=scope, target=target, ip=ip, result=LookupResult.REFUSED, at=moment
            )
            logger.warning(
                "lookup refused (%s): scope=%s ip=%s target=%s until=%s",
                "address slowed down" if by_address else "target locked",
                scope,
                safe_for_log(ip),
                safe_for_log(target),
                until.isoformat(),
            )
            return Attempt(refusal=Refusal(by_address=by_address, until=until, at=moment))
        found = probe()
        LookupAttempt.objects.create(
            scope=scope,
            target=target,
            ip=ip,
            result=LookupResult.WRONG if found is None else LookupResult.FOUND,
            at=moment,
        )
        return Attempt(found=found)
