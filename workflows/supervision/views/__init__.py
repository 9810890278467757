"""The supervisor's desk: overdue and due-soon lists, statistics, 督办 and a case's trail.

Thin views: forms clean the filters, selectors read, services write. The desk
is for supervisors (their center and below), department heads (their
department) and admins; anyone else gets 403. Every list exports as CSV
(streamed) or XLSX (capped) with exactly the columns shown.
"""

from workflows.supervision.views.common import EXPORT_FORMATS, desk_view, page_links
from workflows.supervision.views.escalations import (
    escalation_detail,
    escalation_follow_up,
    escalation_header,
    escalation_respond,
    escalation_values,
    escalations,
    order_documents,
)
from workflows.supervision.views.lists import desk_header, desk_values, due_soon, index, overdue
from workflows.supervision.views.statistics import (
    statistics,
    statistics_header,
    statistics_values,
)
from workflows.supervision.views.trail import case_trail, trail_header, trail_values

__all__ = [
    "EXPORT_FORMATS",
    "case_trail",
    "desk_header",
    "desk_values",
    "desk_view",
    "due_soon",
    "escalation_detail",
    "escalation_follow_up",
    "escalation_header",
    "escalation_respond",
    "escalation_values",
    "escalations",
    "index",
    "order_documents",
    "overdue",
    "page_links",
    "statistics",
    "statistics_header",
    "statistics_values",
    "trail_header",
    "trail_values",
]
