"""Cached figures: each chart's ``Snapshot``, the dashboard's read, headlines, the refresh."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from workflows.cases.clock import local_date
from workflows.catalog.models import Center, Department
from workflows.dashboard.models import Snapshot
from workflows.dashboard.selectors.cases import (
    decision_days,
    on_time_by_week,
    overdue_by_place,
    today_figures,
)
from workflows.dashboard.selectors.ratings import hall_today, ratings_by_center
from workflows.supervision.selectors import (
    DeskScope,
)

# A page recomputes a chart when its cached figures are older than this. The refresh
# job (Celery beat or cron, every 5 minutes) keeps them younger, so with the job
# running no page ever waits for a computation; the chart says how old its figures are.
MAX_AGE = timedelta(minutes=10)


def scope_key(scope: DeskScope) -> str:
    """A short stable key of a desk scope (centers and department)."""
    centers = "all" if scope.center_ids is None else ",".join(map(str, sorted(scope.center_ids)))
    raw = f"{centers}|{scope.department_id or 'all'}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


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
