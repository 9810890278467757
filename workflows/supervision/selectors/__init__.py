"""Reads of the supervisor's desk: scope, overdue and due-soon lists, statistics, 督办.

The package: ``recipients`` (who is told of a breach), ``scope`` (what a desk
user may see, the filters), ``desk`` (the overdue and due-soon lists: indexed
walks, keyset pages, capped counts), ``statistics`` (on-time figures) and
``escalations`` (督办 as the desk reads them). A case's trail is
``workflows.cases.selectors.case_trail``; who holds a case's task is
``workflows.tasks.selectors.task_holders``. The public names are re-exported
here; the page size and count cap are ``desk.PAGE_SIZE`` and ``desk.COUNT_CAP``.
"""

from workflows.supervision.selectors.desk import (
    DUE_SOON,
    GROUP_SORTS,
    KEYSET_SORTS,
    OVERDUE,
    SORTS,
    DeskPage,
    DeskRow,
    capped_count,
    desk_cases,
    desk_page,
    desk_rows,
    iter_desk_rows,
)
from workflows.supervision.selectors.escalations import (
    BADGE_CAP,
    escalation_notes,
    escalations_for,
    unanswered,
    unanswered_badge,
    unanswered_badge_rows,
)
from workflows.supervision.selectors.recipients import heads_by_department, supervisors_by_center
from workflows.supervision.selectors.scope import (
    CaseFilters,
    DeskScope,
    centers_under,
    desk_scope,
    escalation_in_supervisor_scope,
)
from workflows.supervision.selectors.statistics import (
    GROUPS,
    REASON_LABELS,
    Percentile90,
    Period,
    StatRow,
    default_period,
    on_time_statistics,
    statistics_totals,
)

__all__ = [
    "BADGE_CAP",
    "DUE_SOON",
    "GROUPS",
    "GROUP_SORTS",
    "KEYSET_SORTS",
    "OVERDUE",
    "REASON_LABELS",
    "SORTS",
    "CaseFilters",
    "DeskPage",
    "DeskRow",
    "DeskScope",
    "Percentile90",
    "Period",
    "StatRow",
    "capped_count",
    "centers_under",
    "default_period",
    "desk_cases",
    "desk_page",
    "desk_rows",
    "desk_scope",
    "escalation_in_supervisor_scope",
    "escalation_notes",
    "escalations_for",
    "heads_by_department",
    "iter_desk_rows",
    "on_time_statistics",
    "statistics_totals",
    "supervisors_by_center",
    "unanswered",
    "unanswered_badge",
    "unanswered_badge_rows",
]
