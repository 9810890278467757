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

from workflows.dashboard.selectors.cache import (
    CHARTS,
    HEADLINES,
    MAX_AGE,
    dashboard,
    figures,
    headline,
    refresh_all,
    scope_key,
    yesterday_stocks,
)
from workflows.dashboard.selectors.cases import (
    LOCAL,
    TOP_ITEMS,
    WEEKS,
    Quartiles,
    decision_days,
    desk_link,
    on_time_by_week,
    overdue_by_place,
    today_figures,
    week_starts,
)
from workflows.dashboard.selectors.ratings import hall_today, ratings_by_center

__all__ = [
    "CHARTS",
    "HEADLINES",
    "LOCAL",
    "MAX_AGE",
    "TOP_ITEMS",
    "WEEKS",
    "Quartiles",
    "dashboard",
    "decision_days",
    "desk_link",
    "figures",
    "hall_today",
    "headline",
    "on_time_by_week",
    "overdue_by_place",
    "ratings_by_center",
    "refresh_all",
    "scope_key",
    "today_figures",
    "week_starts",
    "yesterday_stocks",
]
