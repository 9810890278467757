"""The window's use cases: intake, review and correction, and the case's ends at the window.

Each runs one transaction over the ``workflows.cases.services`` it needs, so a
refused step leaves nothing half-written; a double-clicked form (same
idempotency key) changes nothing the second time. Views validate and call these.
"""

from workflows.window.services.closing import window_decide, window_deliver, window_withdraw
from workflows.window.services.intake import window_intake
from workflows.window.services.review import (
    Received,
    accept_and_route,
    window_replayed,
    window_review,
    window_supplement,
)

__all__ = [
    "Received",
    "accept_and_route",
    "window_decide",
    "window_deliver",
    "window_intake",
    "window_replayed",
    "window_review",
    "window_supplement",
    "window_withdraw",
]
