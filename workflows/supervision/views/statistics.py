"""The on-time statistics per department, center, item or officer (page and exports)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.cases.models import OverdueReason
from workflows.supervision import selectors
from workflows.supervision.forms import (
    StatisticsForm,
)
from workflows.supervision.selectors import StatRow
from workflows.supervision.views.common import (
    desk_view,
    export_format,
    query_with,
    scope_of,
)
from workflows.web.exports import export_response


def statistics_header() -> list[str]:
    """Column titles of the statistics table (page and exports)."""
    return [
        _("名称"),
        _("办结件数"),
        _("按时办结"),
        _("超期办结"),
        _("在办超期"),
        _("按时办结率"),
        _("平均办理工作日"),
        _("90% 分位工作日"),
        _("延期件数"),
        _("特别程序次数"),
        *[str(label) for label in OverdueReason.labels],
        _("超期未填原因"),
    ]


def statistics_values(row: StatRow) -> list[Any]:
    """One statistics row as the values of ``statistics_header``."""
    return [
        row.label,
        row.decided,
        row.on_time,
        row.late,
        row.open_overdue,
        f"{row.rate:.1%}" if row.rate is not None else "—",
        f"{row.avg_days:.1f}" if row.avg_days is not None else "—",
        f"{row.p90_days:.1f}" if row.p90_days is not None else "—",
        row.extensions,
        row.suspensions,
        *[row.reasons.get(value, 0) for value in OverdueReason.values],
        row.late_without_reason,
    ]


@desk_view
def statistics(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """按时办结统计 per department, center, item or officer, in working days."""
    scope = scope_of(request)
    now = timezone.now()
    form = StatisticsForm(request.GET or None, scope=scope)
    period = form.period(selectors.default_period(now))
    group = form.grouping()
    rows = selectors.on_time_statistics(
        scope=scope, filters=form.filters(), group=group, period=period, now=now
    )
    total = selectors.statistics_totals(rows)
    fmt = export_format(request)
    if fmt:
        values = [statistics_values(r) for r in [*rows, total]]
        return export_response(
            fmt,
            f"statistics-{group}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            statistics_header(),
            values,
        )
    context = {
        "scope": scope,
        "form": form,
        "period": period,
        "group_label": selectors.GROUPS[group][1],
        "header": statistics_header(),
        "rows": [statistics_values(r) for r in rows],
        "total": statistics_values(total),
        "csv_query": query_with(request, export="csv"),
        "xlsx_query": query_with(request, export="xlsx"),
    }
    return render(request, "supervision/statistics.html", context)
