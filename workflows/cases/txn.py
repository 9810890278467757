"""Facts that hold until the current transaction ends: a row it wrote, a read it made.

A case row this transaction inserted is invisible to every other transaction
until commit, so nobody else can lock it, change it or append to its chain;
a transition on it needs neither the row lock's wait nor a re-read nor a
replay check against concurrent writers (``services._transition``). Likewise
a case instance a transition just wrote under the row lock is the row as it
stands until commit.

The mark is an ``on_commit`` marker, as in ``numbering``: Django drops the
marker when the savepoint it was registered in rolls back and clears all of
them when the transaction commits or rolls back, so a mark never outlives
the transaction (or savepoint) whose write it vouches for. Outside a
transaction nothing is ever marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import connection, transaction

T = TypeVar("T")

_CURRENT = "_onewindow_current_in"
_CACHE = "_onewindow_transaction_reads"


def _alive(marker: object) -> bool:
    return any(entry[1] is marker for entry in connection.run_on_commit)


def _new_marker() -> Callable[[], None]:
    def marker() -> None:
        """Only tracks its savepoint (see the module docstring)."""

    transaction.on_commit(marker)
    return marker


def mark_current(instance: Any, *, events: dict[str, str] | None = None) -> None:
    """Vouch that ``instance`` is its row as this transaction wrote it (until it ends).

    ``events`` maps the idempotency keys of the events this transaction
    recorded for it to their actions (the replay check of a later step).
    """
    if connection.in_atomic_block:
        setattr(instance, _CURRENT, (_new_marker(), dict(events or {})))


def forget(instance: Any) -> None:
    """Withdraw the mark (the instance is about to be changed)."""
    if hasattr(instance, _CURRENT):
        delattr(instance, _CURRENT)


def current_events(instance: Any) -> dict[str, str] | None:
    """The marked instance's recorded keys and actions; None when it is not current."""
    mark = getattr(instance, _CURRENT, None)
    if mark is None or not connection.in_atomic_block or not _alive(mark[0]):
        return None
    events: dict[str, str] = mark[1]
    return events


def is_current(instance: Any) -> bool:
    """True when ``instance`` was marked in this transaction and the mark still holds."""
    return current_events(instance) is not None


def forget_read(key: str) -> None:
    """Drop a cached read (its source was just written in this process)."""
    reads = getattr(connection, _CACHE, None)
    if reads:
        reads.pop(key, None)


def once_per_transaction(key: str, read: Callable[[], T]) -> T:
    """``read()`` once per transaction (per savepoint that stays); outside one, every time.

    For reads of configuration that the transaction does not write (webhook
    subscriptions): two events of one request see the same answer, as if the
    configuration changed only after the transaction.
    """
    if not connection.in_atomic_block:
        return read()
    reads: dict[str, tuple[Callable[[], None], Any]] = getattr(connection, _CACHE, None) or {}
    hit = reads.get(key)
    if hit is not None and _alive(hit[0]):
        value: T = hit[1]
        return value
    value = read()
    reads = {k: v for k, v in reads.items() if _alive(v[0])}
    reads[key] = (_new_marker(), value)
    setattr(connection, _CACHE, reads)
    return value


_WRITTEN = "_onewindow_rows_written"
_LOCKED = "_onewindow_rows_locked"


def _note(registry: str, table: str, pks: Iterable[int]) -> None:
    if not connection.in_atomic_block:
        return
    rows: dict[tuple[str, int], Callable[[], None]] = getattr(connection, registry, None) or {}
    rows = {k: m for k, m in rows.items() if _alive(m)}
    marker = _new_marker()
    for pk in pks:
        rows[(table, pk)] = marker
    setattr(connection, registry, rows)


def _noted(registry: str, table: str, pk: int) -> bool:
    if not connection.in_atomic_block:
        return False
    rows: dict[tuple[str, int], Callable[[], None]] = getattr(connection, registry, None) or {}
    marker = rows.get((table, pk))
    return marker is not None and _alive(marker)


def note_written(table: str, pk: int) -> None:
    """Record that this transaction inserted row ``pk`` of ``table`` (until it ends)."""
    _note(_WRITTEN, table, [pk])


def written_here(table: str, pk: int) -> bool:
    """True when this transaction inserted row ``pk`` of ``table`` and has not ended."""
    return _noted(_WRITTEN, table, pk)


def note_locked(table: str, pks: Iterable[int]) -> None:
    """Record that this transaction holds ``SELECT … FOR UPDATE`` on these rows.

    PostgreSQL keeps a row lock until the transaction ends, except that rolling
    back to a savepoint releases the locks taken after it; the marker is dropped
    with that savepoint, so the record follows the lock exactly.
    """
    _note(_LOCKED, table, pks)


def holds_row(table: str, pk: int) -> bool:
    """True when no other transaction can change row ``pk`` before this one ends.

    Either this transaction row-locked it, or it inserted it (nobody else sees it).
    """
    return _noted(_LOCKED, table, pk) or _noted(_WRITTEN, table, pk)
