"""我的首问: when a staff member last looked (what changed is shown from there)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from workflows.firstquestion.models import LastSeen
from workflows.firstquestion.services.common import _now

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def first_question_mark_seen(*, user: User, now: datetime | None = None) -> datetime | None:
    """Remember that ``user`` looked at 我的首问 now; return when they looked before."""
    moment = _now(now)
    previous = LastSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    LastSeen.objects.update_or_create(user=user, defaults={"seen_at": moment})
    return previous
