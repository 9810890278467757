"""The one bounded row lock of cases and their flows, always taken in one order.

Lock order, everywhere: the case row first, then its flow's process row (the
tasks live under the process lock). Withdrawing (window, API) takes the case
and then cancels the flow; completing a task takes the flow lock, which takes
the case first (``workflows.tasks.locks.PgRowLock``). With one order the two
cannot wait on each other, so PostgreSQL never has to break a deadlock (a 500);
the later one waits at most ``ONEWINDOW_ROW_LOCK_TIMEOUT_MS`` and then either
finds the case changed (a clear refusal) or is told with a 409 that someone
else is at work.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from psycopg import errors as psycopg_errors

from workflows.cases import errors, txn
from workflows.cases.errors import CaseBusy

DEFAULT_TIMEOUT_MS = 5000


def lock_timeout_ms() -> int:
    """How long a request waits for a row another request holds."""
    return int(getattr(settings, "ONEWINDOW_ROW_LOCK_TIMEOUT_MS", DEFAULT_TIMEOUT_MS))


def set_lock_timeout(timeout_ms: int | None = None) -> None:
    """Bound every row-lock wait of the current transaction: busy, not a hang."""
    timeout = int(timeout_ms if timeout_ms is not None else lock_timeout_ms())
    with connection.cursor() as cursor:
        # SET LOCAL takes no parameters; the value is an int we computed.
        cursor.execute(f"SET LOCAL lock_timeout = {timeout}")


def is_lock_refusal(exc: BaseException) -> bool:
    """True for a lock wait that ran out (or, defensively, a deadlock PostgreSQL broke)."""
    cause = exc.__cause__
    return isinstance(cause, psycopg_errors.LockNotAvailable | psycopg_errors.DeadlockDetected)


def lock_rows(
    *querysets: QuerySet[Any], timeout_ms: int | None = None, savepoint: bool = True
) -> None:
    """``SELECT … FOR UPDATE`` the rows of each queryset in turn, waiting a bounded time.

    With ``savepoint`` a refusal leaves the caller's transaction usable (the
    flow lock); without it two statements are saved where the caller's own
    atomic block ends with the refusal anyway. ``lock_timeout`` stays set for
    the rest of the transaction. Raises CaseBusy (HTTP 409).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a row lock must be taken inside the transaction it protects")
    try:
        with transaction.atomic() if savepoint else nullcontext():
            set_lock_timeout(timeout_ms)
            for queryset in querysets:
                pks = list(queryset.select_for_update().values_list("pk", flat=True))
                txn.note_locked(queryset.model._meta.db_table, pks)
    except DatabaseError as exc:
        if is_lock_refusal(exc):
            raise CaseBusy(errors.LOCK_TIMEOUT) from exc
        raise


def lock_case(case_pk: int, *, timeout_ms: int | None = None, savepoint: bool = False) -> None:
    """Lock one case row (first in the lock order); a refusal ends the caller's transaction.

    Nothing to do when this transaction holds the row already (it locked or
    inserted it, ``workflows.cases.txn``): the lock and its bounded wait were
    taken then, and ``lock_timeout`` was set in the same scope.
    """
    from workflows.cases.models import Case

    if txn.holds_row(Case._meta.db_table, case_pk):
        return
    lock_rows(Case.objects.filter(pk=case_pk), timeout_ms=timeout_ms, savepoint=savepoint)


def relock_case(case_pk: int) -> None:
    """The case row lock once more, where the caller's transition usually holds it already.

    ``record_event`` takes it so that two writers cannot both claim the next
    sequence number: one statement, bounded by the transaction's ``lock_timeout``
    when a service set one (no second ``SET LOCAL``: an event is written on every
    step, and the statement budgets count it).
    """
    from workflows.cases.models import Case

    table = Case._meta.db_table
    if txn.holds_row(table, case_pk):  # locked (or inserted) earlier in this transaction
        return
    Case.objects.select_for_update().filter(pk=case_pk).values_list("pk", flat=True).get()
    txn.note_locked(table, [case_pk])
