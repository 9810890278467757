"""A bounded flow lock that works inside the case services' transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from viewflow.workflow.exceptions import FlowLockFailed

from workflows.cases import txn
from workflows.cases.errors import CaseBusy
from workflows.cases.locks import lock_rows
from workflows.cases.models import Case
from workflows.tasks.models import PROCESS_TABLE


class PgRowLock:
    """The flow lock: the case row, then the process row, each waiting at most ``lock_timeout``.

    viewflow's ``select_for_update_lock`` retries NOWAIT inside the caller's
    transaction, which PostgreSQL has already aborted (docs/design-notes/viewflow.md §3.2). Here
    both locks are ``workflows.cases.locks.lock_rows`` (a savepoint with
    ``SET LOCAL lock_timeout``), so a held lock becomes ``FlowLockFailed``
    (HTTP 409 via ConflictMiddleware) and the outer transaction stays usable.
    The case comes first because the case services lock it first: completing
    a task and withdrawing its case then queue instead of deadlocking.
    """

    def __init__(self, timeout_ms: int | None = None) -> None:
        self.timeout_ms = timeout_ms

    @contextmanager
    def __call__(self, flow_class: Any, process_pk: int) -> Iterator[None]:
        if connection.in_atomic_block and txn.written_here(PROCESS_TABLE, process_pk):
            # A process this transaction inserted (the start of a flow): nobody else
            # sees it, its tasks or its case's link to it before commit, so no one
            # can hold or wait for this lock; the accept holds the case row already.
            yield
            return
        manager = flow_class.process_class._default_manager
        # Inside a transaction already (the case services' and task services'
        # callers always are) the outer block needs no savepoint of its own: an
        # error leaves it for the caller's block to roll back. lock_rows keeps
        # its savepoint, so a lock timeout leaves the transaction usable.
        with transaction.atomic(savepoint=not connection.in_atomic_block):
            try:
                rows = [manager.filter(pk=process_pk)]
                if any(f.name == "case" for f in flow_class.process_class._meta.get_fields()):
                    case_id = manager.filter(pk=process_pk).values("case_id")
                    rows.insert(0, Case.objects.filter(pk__in=case_id))
                lock_rows(*rows, timeout_ms=self.timeout_ms)
            except CaseBusy as exc:
                raise FlowLockFailed(f"Lock failed for {flow_class} #{process_pk}") from exc
            yield


pg_row_lock = PgRowLock()
