"""The clerk's screens at the 综合窗口: intake, outcome, review, supplement, decision, 出件.

Views stay thin: forms validate, ``workflows.window.services`` write (every
outcome in one transaction, so a refused step leaves nothing half-written),
selectors read. A service refusal is shown on the form with what the clerk
typed; a wrong role or center is a 403 page, an invisible case a 404 page.
"""

from workflows.window.views.case_page import case_detail, outcome, reveal
from workflows.window.views.closing import decide, deliver, withdraw
from workflows.window.views.home import index
from workflows.window.views.intake import REPLAYED, choose_item, intake
from workflows.window.views.review import review, supplement

__all__ = [
    "REPLAYED",
    "case_detail",
    "choose_item",
    "decide",
    "deliver",
    "index",
    "intake",
    "outcome",
    "reveal",
    "review",
    "supplement",
    "withdraw",
]
