"""The hall's pages: citizens' booking (phone-first, no login), kiosk, display, clerk, supervisor.

Views stay thin: forms validate, ``services`` write, ``selectors`` read. A
refusal (``errors.HallError``) is shown on the page with what was typed.
One module per group of pages; ``urls.py`` and callers import the views from here.
"""

from workflows.hall.views.base import client_ip
from workflows.hall.views.booking import book_center, book_centers, book_done, book_item, manage
from workflows.hall.views.desk import call_next, clerk_page, start_intake, ticket_action, window
from workflows.hall.views.display import display, display_calls
from workflows.hall.views.kiosk import TICKET_SALT, kiosk, ticket
from workflows.hall.views.staff import hours, stats, stats_export

__all__ = [
    "TICKET_SALT",
    "book_center",
    "book_centers",
    "book_done",
    "book_item",
    "call_next",
    "clerk_page",
    "client_ip",
    "display",
    "display_calls",
    "hours",
    "kiosk",
    "manage",
    "start_intake",
    "stats",
    "stats_export",
    "ticket",
    "ticket_action",
    "window",
]
