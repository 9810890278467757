"""The case charts: today's flows and stocks, on time by week, overdue by place, decision days."""

from __future__ import annotations

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
from workflows.supervision.models import Escalation
from workflows.supervision.selectors import (
    DUE_SOON,
    OVERDUE,
    CaseFilters,
    DeskScope,
    desk_cases,
    unanswered,
)

WEEKS = 12
TOP_ITEMS = 12
LOCAL = ZoneInfo(settings.TIME_ZONE)


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
