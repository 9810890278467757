"""On-time statistics of the desk: per department, center, item or officer in a period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.clock import end_of_day, local_date, start_of_day
from workflows.cases.models import RUNNING, Case, OverdueReason, Suspension
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import display_name
from workflows.supervision.selectors.scope import CaseFilters, DeskScope

GROUPS: dict[str, tuple[str, Any]] = {
    "department": ("department_id", _("部门")),
    "center": ("center_id", _("受理中心")),
    "item": ("item_id", _("事项")),
    "officer": ("handler_id", _("经办人")),
}


class Percentile90(Aggregate):
    """PostgreSQL's continuous 90th percentile."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.9) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class StatRow:
    """On-time figures of one department, center, item or officer in a period."""

    key: int | None
    label: str
    decided: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    avg_days: float | None = None
    p90_days: float | None = None
    extensions: int = 0
    suspensions: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """按时办结率: closed on time / (closed + open overdue)."""
        denominator = self.decided + self.open_overdue
        return self.on_time / denominator if denominator else None

    @property
    def late_without_reason(self) -> int:
        return max(self.late - sum(self.reasons.values()), 0)


@dataclass(frozen=True)
class Period:
    """A period of local dates, both ends included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return start_of_day(self.start)

    @property
    def end_at(self) -> datetime:
        return end_of_day(self.end)


def default_period(now: datetime) -> Period:
    """This month so far."""
    today = local_date(now)
    return Period(today.replace(day=1), today)


def _labels(group: str, keys: Iterable[int | None]) -> dict[int | None, str]:
    ids = [k for k in keys if k is not None]
    if group == "department":
        names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif group == "center":
        names = dict(Center.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif group == "item":
        names = dict(ServiceItem.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        names = {u.pk: display_name(u) for u in get_user_model().objects.filter(pk__in=ids)}
    labels: dict[int | None, str] = {k: names.get(k, str(k)) for k in ids}
    labels[None] = str(_("（未指定经办人）")) if group == "officer" else "—"
    return labels


def on_time_statistics(
    *, scope: DeskScope, filters: CaseFilters, group: str, period: Period, now: datetime
) -> list[StatRow]:
    """On-time rate, working days to decision, extensions, suspensions and overdue reasons.

    Closed = decided in the period (decided or delivered since); on time =
    decided_at <= promised_due_at; open overdue = still running, its promised
    date in the period and already past (so each case counts in one period).
    """
    column = GROUPS.get(group, GROUPS["department"])[0]
    base = Case.objects.filter(scope.q()).filter(filters.q())
    decided = base.filter(
        decided_at__gte=period.start_at, decided_at__lte=period.end_at, accepted_at__isnull=False
    )
    rows: dict[int | None, StatRow] = {}

    def row(key: int | None) -> StatRow:
        return rows.setdefault(key, StatRow(key=key, label=""))

    for values in (
        decided.order_by()
        .values(column)
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(decided_at__lte=F("promised_due_at"))),
            avg_days=Avg("decision_working_days"),
            p90=Percentile90("decision_working_days"),
            extensions=Count("pk", filter=Q(extension_days__gt=0)),
        )
    ):
        r = row(values[column])
        r.decided = values["n"]
        r.on_time = values["on_time"]
        r.late = values["n"] - values["on_time"]
        r.avg_days = values["avg_days"]
        r.p90_days = values["p90"]
        r.extensions = values["extensions"]
    overdue_until = min(period.end_at, now)
    for values in (
        base.filter(
            status__in=list(RUNNING),
            promised_due_at__gte=period.start_at,
            promised_due_at__lt=overdue_until,
        )
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
    ):
        row(values[column]).open_overdue = values["n"]
    for values in (
        Suspension.objects.filter(case__in=decided.values("pk"))
        .order_by()
        .values(f"case__{column}")
        .annotate(n=Count("pk"))
    ):
        row(values[f"case__{column}"]).suspensions = values["n"]
    for values in (
        decided.filter(decided_at__gt=F("promised_due_at"))
        .exclude(overdue_reason="")
        .order_by()
        .values(column, "overdue_reason")
        .annotate(n=Count("pk"))
    ):
        row(values[column]).reasons[values["overdue_reason"]] = values["n"]
    labels = _labels(group, rows)
    for key, r in rows.items():
        r.label = labels.get(key, str(key))
    return sorted(rows.values(), key=lambda r: (r.rate is None, r.rate or 0, r.label))


def statistics_totals(rows: Sequence[StatRow]) -> StatRow:
    """The sum of ``rows`` (averages and percentiles are not summable: left empty)."""
    total = StatRow(key=None, label=str(_("合计")))
    for r in rows:
        total.decided += r.decided
        total.on_time += r.on_time
        total.late += r.late
        total.open_overdue += r.open_overdue
        total.extensions += r.extensions
        total.suspensions += r.suspensions
        for reason, n in r.reasons.items():
            total.reasons[reason] = total.reasons.get(reason, 0) + n
    return total


REASON_LABELS = dict(OverdueReason.choices)
