"""Counters taken last: gapless numbers whose row lock lasts only until commit.

A center's case numbers and an organ's document serials are counter rows
updated in the transaction that uses them (``INSERT … ON CONFLICT DO
UPDATE``), so a rollback gives the number back and numbers stay unique and
gapless. The price is that the row stays locked until commit: every other
window of the same center waits for the whole transaction, not just for the
counter. Inside :func:`numbers_last` the counters are taken at the very end
of the block instead, just before it commits, so they are held for the few
statements that need them rather than for the whole intake.

Code that takes a counter calls :func:`at_commit`; outside a
:func:`numbers_last` block that runs the work at once, exactly as before.
Work registered inside a savepoint that is later rolled back is dropped, the
same way Django drops its ``on_commit`` callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

_ATTR = "_onewindow_numbers_last"

# Order of the deferred work: case numbers first (documents print them).
CASE_NUMBER = 0
DOCUMENT = 1


@dataclass
class _Pending:
    order: int
    position: int
    marker: Callable[[], None]
    work: Callable[[], object]


def _pending() -> list[_Pending] | None:
    pending: list[_Pending] | None = getattr(connection, _ATTR, None)
    return pending


def deferring() -> bool:
    """True inside a :func:`numbers_last` block (counters are taken at its end)."""
    return _pending() is not None


def at_commit(order: int, work: Callable[[], object]) -> None:
    """Run ``work`` at the end of the enclosing :func:`numbers_last` block, else now."""
    pending = _pending()
    if pending is None:
        work()
        return

    def marker() -> None:
        """Tracks the savepoint the work was registered in (Django drops it on rollback)."""

    transaction.on_commit(marker)
    pending.append(_Pending(order, len(pending), marker, work))


@contextmanager
def numbers_last() -> Iterator[None]:
    """``transaction.atomic()`` whose counters are taken just before it commits."""
    if _pending() is not None:  # nested: the outer block takes the numbers
        with transaction.atomic():
            yield
        return
    pending: list[_Pending] = []
    setattr(connection, _ATTR, pending)
    try:
        with transaction.atomic():
            yield
            setattr(connection, _ATTR, None)  # from here on, counters are taken at once
            alive = {id(entry[1]) for entry in connection.run_on_commit}
            for item in sorted(pending, key=lambda p: (p.order, p.position)):
                if id(item.marker) in alive:
                    item.work()
    finally:
        setattr(connection, _ATTR, None)
