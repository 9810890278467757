"""Signals of the working-day calendar."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that changed the calendar, after the change is
# written, so a receiver's own writes (e.g. recomputed deadlines) commit or roll
# back with it. Arguments: ``years`` (sorted list of the years changed) and
# ``calendar`` (the new WorkingCalendar, which ``api.get_calendar()`` also
# returns inside that transaction). Receivers must not import this app's models
# to filter by year: ``years`` says everything they need.
calendar_changed = Signal()
