"""The dashboard's figures: every one read with the desk's own scope, filters and selectors.

Each ``*_figures`` function computes one chart's data for a ``DeskScope`` as
plain JSON-able values, so the same dict is cached (``Snapshot``), drawn by
ECharts and printed as the table under the chart. ``figures()`` returns a
chart's data from the cache when it is fresher than ``MAX_AGE`` and computes
it otherwise; the chart shows ``computed_at``.

Definitions are the desk's: overdue and due soon are ``desk_cases`` (running
cases past the promised date / in the yellow band); the weekly on-time rate
is ``on_time_statistics``' (on time ÷ (decided + open overdue), each case in
the week its decision or its promised date falls in).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import Aggregate, Count, F, FloatField, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from workflows.cases.clock import local_date, start_of_day
from workflows.cases.models import OPEN, RUNNING, Case, Status
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.dashboard.models import Snapshot
from workflows.supervision.models import Escalation
from workflows.supervision.selectors import (
    DUE_SOON,
    OVERDUE,
    CaseFilters,
    DeskScope,
    desk_cases,
    unanswered,
)

# A page recomputes a chart when its cached figures are older than this. The refresh
# job (Celery beat or cron, every 5 minutes) keeps them younger, so with the job
# running no page ever waits for a computation; the chart says how old its figures are.
MAX_AGE = timedelta(minutes=10)
WEEKS = 12
TOP_ITEMS = 12
LOCAL = ZoneInfo(settings.TIME_ZONE)


def scope_key(scope: DeskScope) -> str:
    """A short stable key of a desk scope (centers and department)."""
    centers = "all" if scope.center_ids is None else ",".join(map(str, sorted(scope.center_ids)))
    raw = f"{centers}|{scope.department_id or 'all'}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cases(scope: DeskScope) -> Any:
    return Case.objects.filter(scope.q())


# ---------------------------------------------------------------- today


def _flows(scope: DeskScope, start: datetime, end: datetime) -> dict[str, int]:
    """Cases accepted, decided and delivered in [start, end)."""
    return _cases(scope).aggregate(
        accepted=Count("pk", filter=Q(accepted_at__gte=start, accepted_at__lt=end)),
        decided=Count("pk", filter=Q(decided_at__gte=start, decided_at__lt=end)),
        delivered=Count(
            "pk", filter=Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
        ),
    )


def _stocks(scope: DeskScope, now: datetime) -> dict[str, int]:
    """Open, overdue (promised / statutory), due soon and unanswered escalations at ``now``."""
    none = CaseFilters()
    overdue = desk_cases(scope=scope, filters=none, mode=OVERDUE, now=now)
    return {
        "open": _cases(scope).filter(status__in=list(OPEN)).count(),
        "overdue": overdue.count(),
        "overdue_statutory": _cases(scope)
        .filter(status__in=list(RUNNING), statutory_due_at__lt=now)
        .count(),
        "due_soon": desk_cases(scope=scope, filters=none, mode=DUE_SOON, now=now).count(),
        "escalations": unanswered(Escalation.objects.filter(scope.q("case__"))).count(),
    }


def today_figures(scope: DeskScope, now: datetime) -> dict[str, Any]:
    """Today's flows and stocks, with yesterday's flows (the stocks' yesterday is the snapshot)."""
    today = local_date(now)
    midnight = start_of_day(today)
    return {
        "today": {**_flows(scope, midnight, now), **_stocks(scope, now)},
        "yesterday": _flows(scope, start_of_day(today - timedelta(days=1)), midnight),
    }


# ---------------------------------------------------------------- on time by week


def week_starts(now: datetime, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last ``weeks`` local weeks, this week last."""
    monday = local_date(now) - timedelta(days=local_date(now).weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def on_time_by_week(scope: DeskScope, now: datetime, weeks: int = WEEKS) -> dict[str, Any]:
    """按时办结率 per department and local week, as ``on_time_statistics`` counts a week."""
    mondays = week_starts(now, weeks)
    start = start_of_day(mondays[0])
    base = _cases(scope)
    cells: dict[tuple[int, date], dict[str, int]] = {}

    def cell(dept: int, week: datetime) -> dict[str, int]:
        key = (dept, timezone.localtime(week, LOCAL).date())
        return cells.setdefault(key, {"decided": 0, "on_time": 0, "open_overdue": 0})

    for row in (
        base.filter(decided_at__gte=start, decided_at__lte=now, accepted_at__isnull=False)
        .annotate(week=TruncWeek("decided_at", tzinfo=LOCAL))
        .order_by()
        .values("week", "department_id")
        .annotate(
            n=Count("pk"), on_time=Count("pk", filter=Q(decided_at__lte=F("promised_due_at")))
        )
    ):
        c = cell(row["department_id"], row["week"])
        c["decided"], c["on_time"] = row["n"], row["on_time"]
    for row in (
        base.filter(status__in=list(RUNNING), promised_due_at__gte=start, promised_due_at__lt=now)
        .annotate(week=TruncWeek("promised_due_at", tzinfo=LOCAL))
        .order_by()
        .values("week", "department_id")
        .annotate(n=Count("pk"))
    ):
        cell(row["department_id"], row["week"])["open_overdue"] = row["n"]
    departments = Department.objects.filter(pk__in={d for d, _w in cells}).order_by("code")
    series = []
    for dept in departments:
        points = [
            cells.get((dept.pk, monday), {"decided": 0, "on_time": 0, "open_overdue": 0})
            for monday in mondays
        ]
        series.append(
            {
                "id": dept.pk,
                "name": dept.name,
                "decided": [p["decided"] for p in points],
                "on_time": [p["on_time"] for p in points],
                "open_overdue": [p["open_overdue"] for p in points],
                "rate": [_rate(p) for p in points],
            }
        )
    return {
        "weeks": [m.isoformat() for m in mondays],
        "series": series,
        "target": settings.ONEWINDOW_ON_TIME_TARGET,
        "target_percent": f"{settings.ONEWINDOW_ON_TIME_TARGET * 100:g}",
    }


def _rate(point: dict[str, int]) -> float | None:
    denominator = point["decided"] + point["open_overdue"]
    return round(point["on_time"] / denominator, 4) if denominator else None


# ---------------------------------------------------------------- overdue by center and department


def desk_link(mode: str, *, center_id: int, department_id: int | None = None) -> str:
    """The desk list (overdue or due soon) filtered to one center (itself only) and department."""
    query: dict[str, Any] = {"center": center_id, "center_only": "1"}
    if department_id is not None:
        query["department"] = department_id
    name = "supervision:overdue" if mode == OVERDUE else "supervision:due_soon"
    return f"{reverse(name)}?{urlencode(query)}"


def overdue_by_place(scope: DeskScope, now: datetime) -> dict[str, Any]:
    """Overdue and due-soon cases per center × department (centers with none are left out)."""
    counts: dict[str, dict[tuple[int, int], int]] = {}
    for mode in (OVERDUE, DUE_SOON):
        qs = desk_cases(scope=scope, filters=CaseFilters(), mode=mode, now=now)
        counts[mode] = {
            (r["center_id"], r["department_id"]): r["n"]
            for r in qs.order_by().values("center_id", "department_id").annotate(n=Count("pk"))
        }
    center_ids = {c for mode in counts.values() for c, _d in mode}
    dept_ids = {d for mode in counts.values() for _c, d in mode}
    centers = list(Center.objects.filter(pk__in=center_ids).order_by("path"))
    departments = list(Department.objects.filter(pk__in=dept_ids).order_by("code"))
    rows: list[dict[str, Any]] = []
    for center in centers:
        cells: list[dict[str, Any]] = [
            {
                "overdue": counts[OVERDUE].get((center.pk, d.pk), 0),
                "due_soon": counts[DUE_SOON].get((center.pk, d.pk), 0),
                "overdue_url": desk_link(OVERDUE, center_id=center.pk, department_id=d.pk),
                "due_soon_url": desk_link(DUE_SOON, center_id=center.pk, department_id=d.pk),
            }
            for d in departments
        ]
        rows.append(
            {
                "id": center.pk,
                "name": center.name,
                "overdue": sum(c["overdue"] for c in cells),
                "due_soon": sum(c["due_soon"] for c in cells),
                "overdue_url": desk_link(OVERDUE, center_id=center.pk),
                "due_soon_url": desk_link(DUE_SOON, center_id=center.pk),
                "cells": cells,
            }
        )
    rows.sort(key=lambda r: (-r["overdue"], -r["due_soon"], r["name"]))
    return {
        "departments": [{"id": d.pk, "name": d.name} for d in departments],
        "rows": rows,
    }


# ---------------------------------------------------------------- working days to decision


class Quartiles(Aggregate):
    """PostgreSQL's min, quartiles and max of a column, as one array."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(FloatField())


def decision_days(scope: DeskScope, now: datetime, weeks: int = WEEKS) -> dict[str, Any]:
    """Working days to decision per item (the busiest), decided in the last ``weeks`` weeks."""
    start = start_of_day(week_starts(now, weeks)[0])
    rows = list(
        _cases(scope)
        .filter(
            decided_at__gte=start,
            decided_at__lte=now,
            accepted_at__isnull=False,
            decision_working_days__isnull=False,
        )
        .order_by()
        .values("item_id")
        .annotate(n=Count("pk"), q=Quartiles("decision_working_days"))
        .order_by("-n", "item_id")[:TOP_ITEMS]
    )
    items = ServiceItem.objects.in_bulk([r["item_id"] for r in rows])
    return {
        "since": local_date(start).isoformat(),
        "items": [
            {
                "id": r["item_id"],
                "name": items[r["item_id"]].name,
                "n": r["n"],
                "box": [round(v, 1) for v in r["q"]],
                "promised": items[r["item_id"]].promised_limit_days,
            }
            for r in rows
        ],
    }


# ---------------------------------------------------------------- 好差评 and the hall


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


# ---------------------------------------------------------------- cache

CHARTS: dict[str, Callable[[DeskScope, datetime], dict[str, Any]]] = {
    "today": today_figures,
    "on_time": on_time_by_week,
    "overdue": overdue_by_place,
    "decision_days": decision_days,
    "ratings": ratings_by_center,
    "hall": hall_today,
}


def figures(
    kind: str, scope: DeskScope, now: datetime, *, max_age: timedelta = MAX_AGE
) -> tuple[dict[str, Any], datetime]:
    """One chart's figures and when they were computed: cached for ``max_age``."""
    snapshot = Snapshot.objects.filter(
        kind=kind, scope_key=scope_key(scope), day=local_date(now)
    ).first()
    return _fresh_or_computed(kind, scope, now, snapshot, max_age)


def _fresh_or_computed(
    kind: str, scope: DeskScope, now: datetime, snapshot: Snapshot | None, max_age: timedelta
) -> tuple[dict[str, Any], datetime]:
    if snapshot is not None and now - max_age <= snapshot.computed_at <= now:
        return snapshot.data, snapshot.computed_at
    data = CHARTS[kind](scope, now)
    Snapshot.objects.update_or_create(
        kind=kind,
        scope_key=scope_key(scope),
        day=local_date(now),
        defaults={"computed_at": now, "data": data},
    )
    return data, now


def dashboard(scope: DeskScope, now: datetime) -> dict[str, Any]:
    """Every chart's figures and freshness, and yesterday's stocks, in one read of the cache."""
    today = local_date(now)
    found = {
        (s.kind, s.day): s
        for s in Snapshot.objects.filter(
            scope_key=scope_key(scope), day__in=[today, today - timedelta(days=1)]
        )
    }
    charts: dict[str, Any] = {}
    computed: dict[str, datetime] = {}
    for kind in CHARTS:
        charts[kind], computed[kind] = _fresh_or_computed(
            kind, scope, now, found.get((kind, today)), MAX_AGE
        )
    before = found.get(("today", today - timedelta(days=1)))
    return {
        "charts": charts,
        "computed": computed,
        "yesterday_stocks": before.data["today"] if before is not None else None,
    }


def yesterday_stocks(scope: DeskScope, now: datetime) -> dict[str, int] | None:
    """The last stocks recorded yesterday for this scope (None when nobody looked yesterday)."""
    snapshot = Snapshot.objects.filter(
        kind="today", scope_key=scope_key(scope), day=local_date(now) - timedelta(days=1)
    ).first()
    return snapshot.data["today"] if snapshot is not None else None


HEADLINES = (
    ("accepted", "flow"),
    ("decided", "flow"),
    ("delivered", "flow"),
    ("open", "stock"),
    ("overdue", "stock"),
    ("overdue_statutory", "stock"),
    ("due_soon", "stock"),
    ("escalations", "stock"),
)


def headline(
    today: dict[str, Any], stocks_yesterday: dict[str, int] | None
) -> list[dict[str, Any]]:
    """Each big number with its change since yesterday (None when yesterday is unknown)."""
    out = []
    for name, kind in HEADLINES:
        value = today["today"][name]
        if kind == "flow":
            before: int | None = today["yesterday"][name]
        else:
            before = stocks_yesterday.get(name) if stocks_yesterday else None
        out.append(
            {"name": name, "value": value, "change": None if before is None else value - before}
        )
    return out


def refresh_all(now: datetime | None = None) -> int:
    """Recompute every chart for the county, each center's subtree and each department."""
    from workflows.supervision.selectors import centers_under

    now = now or timezone.now()
    scopes = [DeskScope(None, None, "")]
    scopes += [DeskScope(centers_under(c), None, c.name) for c in Center.objects.all()]
    scopes += [DeskScope(None, d.pk, d.name) for d in Department.objects.all()]
    done = 0
    for scope in {scope_key(s): s for s in scopes}.values():
        for kind in CHARTS:
            figures(kind, scope, now, max_age=timedelta(0))
            done += 1
    return done
