"""A bounded flow lock that works inside the case services' transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from viewflow.workflow.exceptions import FlowLockFailed

DEFAULT_TIMEOUT_MS = 5000


class PgRowLock:
    """``SELECT … FOR UPDATE`` on the process row, waiting at most ``lock_timeout``.

    viewflow's ``select_for_update_lock`` retries NOWAIT inside the caller's
    transaction, which PostgreSQL has already aborted (docs/design-notes/viewflow.md §3.2). Here
    the attempt runs in a savepoint with ``SET LOCAL lock_timeout``, so a held
    lock becomes ``FlowLockFailed`` (HTTP 409 via ConflictMiddleware) and the
    outer transaction stays usable.
    """

    def __init__(self, timeout_ms: int | None = None) -> None:
        self.timeout_ms = timeout_ms

    def _timeout(self) -> int:
        if self.timeout_ms is not None:
            return int(self.timeout_ms)
        return int(getattr(settings, "ONEWINDOW_FLOW_LOCK_TIMEOUT_MS", DEFAULT_TIMEOUT_MS))

    @contextmanager
    def __call__(self, flow_class: Any, process_pk: int) -> Iterator[None]:
        # Inside a transaction already (the case services' and task services'
        # callers always are) the outer block needs no savepoint of its own: an
        # error leaves it for the caller's block to roll back. The inner one keeps
        # its savepoint, so a lock timeout leaves the transaction usable.
        with transaction.atomic(savepoint=not connection.in_atomic_block):
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        # SET LOCAL takes no parameters; the value is an int we computed.
                        cursor.execute(f"SET LOCAL lock_timeout = {self._timeout()}")
                    manager = flow_class.process_class._default_manager
                    manager.filter(pk=process_pk).select_for_update().exists()
            except DatabaseError as exc:
                raise FlowLockFailed(f"Lock failed for {flow_class} #{process_pk}") from exc
            yield


pg_row_lock = PgRowLock()
