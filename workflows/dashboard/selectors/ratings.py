"""The 好差评 chart by center and the hall's queue today."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from workflows.cases.clock import local_date
from workflows.catalog.models import Center
from workflows.dashboard.selectors.cases import WEEKS, week_starts
from workflows.supervision.selectors import (
    DeskScope,
)


def ratings_by_center(scope: DeskScope, now: datetime, weeks: int = WEEKS) -> dict[str, Any]:
    """好评率 and 差评 per center over the last ``weeks`` weeks, and open rectifications.

    Counted as the rating desk counts (``rating.selectors.counted_ratings_in``):
    current ratings, not taken out by an upheld appeal.
    """
    from workflows.rating.models import BAD_LEVELS, GOOD_LEVELS, Rectification
    from workflows.rating.selectors import counted_ratings_in

    start = week_starts(now, weeks)[0]
    rows = (
        counted_ratings_in(scope.q(), start=start, end=local_date(now))
        .order_by()
        .values("center_id")
        .annotate(
            total=Count("pk"),
            good=Count("pk", filter=Q(level__in=GOOD_LEVELS)),
            bad=Count("pk", filter=Q(level__in=BAD_LEVELS)),
        )
    )
    open_fixes = dict(
        Rectification.objects.filter(scope.q())
        .exclude(state=Rectification.State.CLOSED)
        .order_by()
        .values("center_id")
        .annotate(n=Count("pk"))
        .values_list("center_id", "n")
    )
    counts = {r["center_id"]: r for r in rows}
    names = dict(
        Center.objects.filter(pk__in=set(counts) | set(open_fixes)).values_list("pk", "name")
    )
    out = []
    for center_id, name in names.items():
        r = counts.get(center_id, {"total": 0, "good": 0, "bad": 0})
        out.append(
            {
                "name": name,
                "total": r["total"],
                "good": r["good"],
                "bad": r["bad"],
                "good_rate": round(r["good"] / r["total"], 4) if r["total"] else None,
                "open_rectifications": open_fixes.get(center_id, 0),
            }
        )
    out.sort(key=lambda r: (-(r["open_rectifications"]), -(r["bad"]), r["name"]))
    return {"since": start.isoformat(), "rows": out}


def hall_today(scope: DeskScope, now: datetime) -> dict[str, Any]:
    """Today's hall per center (``hall.selectors.day_stats``) and waiting time by hour."""
    from workflows.hall.selectors import day_stats, hall_centers

    today = local_date(now)
    if scope.department_id is not None:  # the hall belongs to centers, not to departments
        return {"day": today.isoformat(), "rows": [], "hours": [], "wait_by_hour": []}
    centers = hall_centers()
    if scope.center_ids is not None:
        centers = centers.filter(pk__in=scope.center_ids)
    rows = []
    waits_by_hour: dict[str, list[float]] = {}
    for center in centers.order_by("path"):
        stats = day_stats(center, today)
        if not stats.total.tickets and not stats.bookings:
            continue
        rows.append(
            {
                "name": center.name,
                "tickets": stats.total.tickets,
                "booked": stats.total.booked,
                "walk_in": stats.total.walk_in,
                "priority": stats.total.priority,
                "bookings": stats.bookings,
                "no_shows": stats.no_shows,
                "wait_avg": _minutes(stats.total.wait_avg),
                "wait_p90": _minutes(stats.total.wait_p90),
            }
        )
        for hour in stats.by_hour:
            waits_by_hour.setdefault(hour.label, []).extend(hour.waits)
    hours = sorted(waits_by_hour)
    return {
        "day": today.isoformat(),
        "rows": rows,
        "hours": hours,
        "wait_by_hour": [
            _minutes(sum(waits_by_hour[h]) / len(waits_by_hour[h])) if waits_by_hour[h] else None
            for h in hours
        ],
    }


def _minutes(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None
