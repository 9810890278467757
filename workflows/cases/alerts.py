"""Traffic lights, raised set-based: one UPDATE per level, one event per case raised.

The sweep (workflows.supervision) calls ``cases_raise_alerts``. Exactly-once
comes from the UPDATE itself: ``alert_level < L`` is re-checked by PostgreSQL
after any concurrent UPDATE of the same row commits (READ COMMITTED), so of
several sweeps racing on one case only one sees it change. A sweep that fails
half-way rolls back whole; the next one finds the same cases again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from workflows.cases.events import NewEvent, copy_events
from workflows.cases.lights import (  # noqa: F401 -- the light's home, re-exported here
    LIGHT_LABELS,
    Light,
    decided_on_time,
    due_level,
    late_on_promise,
    light_of,
    past_statutory,
)
from workflows.cases.models import RUNNING, Case, CaseEvent

# Which cached deadline each level watches, and how it is crossed.
_THRESHOLDS = {
    Light.YELLOW: "warn_at <= %s",
    Light.RED: "promised_due_at < %s",
    Light.STATUTORY_RED: "statutory_due_at < %s",
}


@dataclass(frozen=True)
class Raised:
    """One case that just crossed ``level``."""

    case_id: int
    level: Light


def cases_raise_alerts(*, now: datetime, levels: Sequence[Light] | None = None) -> list[Raised]:
    """Mark every running case whose light changed at ``now``, writing one 'alert' event each.

    Runs in the caller's transaction if there is one (the sweep's), else its own.
    """
    raised: list[Raised] = []
    with transaction.atomic():
        for level in levels or (Light.YELLOW, Light.RED, Light.STATUTORY_RED):
            ids = _update_level(level, now)
            if ids:
                _append_alert_events(ids, level, now)
                raised.extend(Raised(case_id, level) for case_id in ids)
    return raised


# The column each threshold's partial index is ordered by.
_COLUMNS = {
    Light.YELLOW: "warn_at",
    Light.RED: "promised_due_at",
    Light.STATUTORY_RED: "statutory_due_at",
}
# Cases raised per statement; the loop goes on until a batch comes back short.
_BATCH = 5000


def _update_level(level: Light, now: datetime) -> list[int]:
    # Find the ids through the level's partial index (ORDER BY its column + LIMIT
    # makes PostgreSQL walk that index), then UPDATE them by id with the same
    # conditions re-checked. A bare "UPDATE … WHERE <threshold>" is planned from
    # column statistics that cannot know past-due cases are already raised: on
    # 1M open cases it chose a sequential scan, ~0.9 s per level, even with
    # nothing to raise (measured, docs/supervision.md).
    table = Case._meta.db_table
    statuses = [str(s) for s in RUNNING]
    where = f"status = ANY(%s) AND alert_level < %s AND {_THRESHOLDS[level]}"
    select = (
        f"SELECT id FROM {table} WHERE {where} "  # noqa: S608 -- constants
        f"ORDER BY {_COLUMNS[level]} LIMIT %s"
    )
    update = (
        f"UPDATE {table} SET alert_level = %s, updated_at = %s "  # noqa: S608 -- constants
        f"WHERE id = ANY(%s) AND {where} RETURNING id"
    )
    raised: list[int] = []
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [statuses, int(level), now, _BATCH])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                break
            cursor.execute(update, [int(level), now, ids, statuses, int(level), now])
            updated = [row[0] for row in cursor.fetchall()]
            raised.extend(updated)
            # Short batch: nothing left. None updated: a concurrent caller has them.
            if len(ids) < _BATCH or not updated:
                break
    return sorted(raised)


def _append_alert_events(case_ids: list[int], level: Light, now: datetime) -> None:
    # The UPDATE above holds these cases' row locks: nobody else can append meanwhile.
    table = CaseEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT ON (case_id) case_id, seq, hash FROM {table} "  # noqa: S608
            "WHERE case_id = ANY(%s) ORDER BY case_id, seq DESC",
            [case_ids],
        )
        last = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    statuses = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "status"))
    payload: dict[str, Any] = {"level": int(level), "light": level.name.lower()}
    events = []
    for case_id in case_ids:
        seq, prev = last.get(case_id, (0, ""))
        status = statuses[case_id]
        events.append(
            NewEvent(
                case_id=case_id,
                seq=seq + 1,
                action="alert",
                created_at=now,
                prev_hash=prev,
                from_status=status,
                to_status=status,
                payload=payload,
                # The seq makes it unique: an approved extension lowers the level,
                # and the same level may then be raised a second time.
                idempotency_key=f"alert-{int(level)}-{seq + 1}",
            )
        )
    copy_events(events)
