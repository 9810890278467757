"""Late call-backs and rectifications: yellow, red, escalated exactly once (run by the sweep).

``rectifications_escalate(now=)`` raises each clock's light with one UPDATE
per clock and level (``light < L`` is re-checked on the latest row version,
so racing sweeps raise a light once) and inserts the escalation rows with
``ON CONFLICT (rectification, stage, level) DO NOTHING`` — the unique key is
the guarantee. Those it inserted are told to the department's heads, the
first responder and the supervisors above the center, through ``notify``
(deduplicated by key). Yellow: the due working day has begun (less than a
day left); red: the deadline has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.catalog.selectors import supervisors_above
from workflows.notifications.services import Message, notify
from workflows.rating.services.ratings import ratings_default_due
from workflows.rating.services.rectifications import heads_of

NOTIFICATION_KIND = "rating_escalation"

# stage → (due column, done column, light column)
CLOCKS = {
    "call_back": ("call_back_due_at", "called_back_at", "call_back_light"),
    "rectify": ("rectify_due_at", "resolved_at", "rectify_light"),
}
THRESHOLDS = {1: "{due} - interval '1 day' <= %(now)s", 2: "{due} < %(now)s"}

_RAISE = """
WITH raised AS (
    UPDATE rating_rectification SET {light} = %(level)s
     WHERE {done} IS NULL AND {light} < %(level)s AND {threshold}
       AND state <> 'closed'
    RETURNING id, {due} AS due_at
)
INSERT INTO rating_ratingescalation (rectification_id, stage, level, due_at, created_at)
SELECT id, %(stage)s, %(level)s, due_at, %(now)s FROM raised ORDER BY id
ON CONFLICT (rectification_id, stage, level) DO NOTHING
RETURNING rectification_id
"""


@dataclass(frozen=True)
class Escalated:
    """One escalation this sweep created."""

    rectification_id: int
    stage: str
    level: int


def rectifications_escalate(*, now: datetime | None = None) -> list[Escalated]:
    """Raise late clocks' lights and escalate each (rectification, clock, level) once."""
    moment = now or timezone.now()
    created: list[Escalated] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for stage, (due, done, light) in CLOCKS.items():
            for level in (1, 2):
                sql = _RAISE.format(
                    light=light, done=done, due=due, threshold=THRESHOLDS[level].format(due=due)
                )
                cursor.execute(sql, {"level": level, "stage": stage, "now": moment})
                created.extend(Escalated(row[0], stage, level) for row in cursor.fetchall())
        if created:
            _notify(created)
    return created


def _supervisors_for(center_ids: set[int]) -> dict[int, list[int]]:
    found = supervisors_above(center_ids)
    return {c: found.get(c, []) for c in center_ids}


def _notify(created: list[Escalated]) -> int:
    from workflows.rating.models import Rectification

    rows = {
        r.pk: r
        for r in Rectification.objects.select_related("case__item").filter(
            pk__in={e.rectification_id for e in created}
        )
    }
    supervisors = _supervisors_for({r.center_id for r in rows.values()})
    messages: list[Message] = []
    for e in created:
        r = rows[e.rectification_id]
        what = _("回访") if e.stage == "call_back" else _("整改")
        if e.level == 1:
            title = _("【差评%(what)s即将到期】%(number)s %(item)s")
        else:
            title = _("【差评%(what)s超期督办】%(number)s %(item)s")
        title = title % {"what": what, "number": r.case.number, "item": r.case.item.name}
        people = [*heads_of(r.department_id), r.first_responder_id]
        if e.level == 2:
            people += supervisors.get(r.center_id, [])
        messages.extend(
            Message(
                recipient_id=user_id,
                kind=NOTIFICATION_KIND,
                title=title[:200],
                url=reverse("rating:rectification", args=[r.pk]),
                dedupe_key=f"rating:escalation:{r.pk}:{e.stage}:{e.level}",
                case_id=r.case_id,
            )
            for user_id in dict.fromkeys(people)
        )
    return notify(messages)


def rating_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The 好差评 part of the minutely sweep: defaults, then late clocks."""
    defaulted = ratings_default_due(now=now)
    escalated = rectifications_escalate(now=now)
    return {"defaulted": defaulted, "escalated": len(escalated)}
