"""Signals other layers listen to, sent inside the transaction that caused them.

Receivers run in the same transaction: what they write (a document record,
an outbox row, a notification) commits or rolls back with the case change.
Side effects outside the database belong in ``transaction.on_commit``.
"""

from django.dispatch import Signal

# kwargs: case (Case), event (CaseEvent)
case_event_recorded = Signal()
