"""The overdue and due-soon lists: indexed walks of running cases, keyset pages, capped counts.

Open cases are found through partial indexes on their due dates (migration
0002), paged with a keyset cursor (never OFFSET), and counted with a capped
count, so a page costs the same on 1,000,000 cases as on 1,000.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from workflows.calendar.api import get_calendar
from workflows.cases.alerts import Light, due_level
from workflows.cases.clock import local_date
from workflows.cases.models import RUNNING, Case
from workflows.catalog.roles import display_name
from workflows.supervision.selectors.scope import CaseFilters, DeskScope
from workflows.tasks.selectors import task_holders

PAGE_SIZE = 50
COUNT_CAP = 10_000

OVERDUE = "overdue"
DUE_SOON = "due_soon"

# Keyset sorts walk the index (promised_due_at, id) on running cases, in either
# direction: a page costs the same however long the list. Sorting by days late
# is sorting by the promised date.
KEYSET_SORTS: dict[str, tuple[str, Any]] = {
    "due": ("promised_due_at", _("超期最久在前（承诺期限最早）")),
    "-due": ("promised_due_at", _("承诺期限最晚在前")),
}
# Grouping sorts need a sort of the whole filtered list: offered up to COUNT_CAP
# rows (a sort of 10,000 rows takes milliseconds); a longer list stays in due
# order and the page says to filter first. Each would otherwise need its own
# index on cases_case, which every case the sweep turns red would pay for.
GROUP_SORTS: dict[str, tuple[tuple[str, ...], Any]] = {
    "department": (("department__code", "promised_due_at", "pk"), _("按部门")),
    "center": (("center__path", "promised_due_at", "pk"), _("按受理中心")),
    "item": (("item__code", "promised_due_at", "pk"), _("按事项")),
    "officer": (
        ("handler__last_name", "handler__first_name", "handler__username", "promised_due_at", "pk"),
        _("按经办人"),
    ),
}
SORTS: dict[str, Any] = {
    **{key: label for key, (_column, label) in KEYSET_SORTS.items()},
    **{key: label for key, (_fields, label) in GROUP_SORTS.items()},
}


def desk_cases(
    *, scope: DeskScope, filters: CaseFilters, mode: str, now: datetime
) -> QuerySet[Case]:
    """Running cases in scope that are overdue (past the promised date) or due soon (yellow)."""
    qs = Case.objects.filter(status__in=list(RUNNING))
    if mode == OVERDUE:
        qs = qs.filter(promised_due_at__lt=now)
    else:
        qs = qs.filter(warn_at__lte=now, promised_due_at__gte=now)
    return qs.filter(scope.q()).filter(filters.q())


def capped_count(qs: QuerySet[Case], cap: int | None = None) -> tuple[int, bool]:
    """How many rows (counted up to ``cap``, default COUNT_CAP) and whether there are more."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


@dataclass
class DeskRow:
    """One line of the overdue or due-soon list, as shown and exported."""

    case_id: int
    number: str
    item: str
    department: str
    center: str
    status: str
    light: Light
    holder: str
    first_responder: str
    accepted_at: datetime | None
    promised_due_at: datetime | None
    statutory_due_at: datetime | None
    working_days: int  # late (overdue) or left (due soon)
    provisional: bool


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _cursor(value: datetime, pk: int) -> str:
    """A keyset position: the sort value in exact microseconds and the id."""
    return f"{(value - EPOCH) // MICROSECOND}_{pk}"


def _parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    if not raw:
        return None
    try:
        micros, pk = (int(part) for part in raw.split("_", 1))
        return EPOCH + micros * MICROSECOND, pk
    except (ValueError, OverflowError):
        return None


@dataclass
class DeskPage:
    """One keyset page: rows plus the cursors of the next and previous pages."""

    rows: list[DeskRow]
    next_cursor: str | None
    prev_cursor: str | None
    total: int
    total_capped: bool
    sort: str = "due"
    # Page numbers (lists up to COUNT_CAP rows; longer ones have cursors instead).
    page_number: int | None = None
    num_pages: int | None = None
    # A grouping sort was asked for on a list longer than COUNT_CAP.
    sort_fallback: bool = False


def _ordered(qs: QuerySet[Case], sort: str, *, reverse: bool = False) -> QuerySet[Case]:
    column = KEYSET_SORTS[sort][0]
    descending = sort.startswith("-") != reverse
    prefix = "-" if descending else ""
    return qs.order_by(f"{prefix}{column}", f"{prefix}pk")


def _after(
    qs: QuerySet[Case], column: str, value: datetime, pk: int, descending: bool
) -> QuerySet[Case]:
    # (column, id) > (value, pk) written so PostgreSQL keeps the index range scan.
    if descending:
        return qs.filter(**{f"{column}__lte": value}).exclude(**{column: value, "pk__gte": pk})
    return qs.filter(**{f"{column}__gte": value}).exclude(**{column: value, "pk__lte": pk})


def desk_page(
    qs: QuerySet[Case],
    *,
    sort: str = "due",
    after: str | None = None,
    before: str | None = None,
    page: str | int | None = None,
    size: int | None = None,
    now: datetime,
    mode: str = OVERDUE,
    count: bool = True,
) -> DeskPage:
    """A page of ``qs``: keyset after (or before) a cursor, or numbered for a grouping sort."""
    size = PAGE_SIZE if size is None else size
    fallback = False
    if sort in GROUP_SORTS:
        total, capped = capped_count(qs)
        if not capped:
            return _numbered_page(qs, sort, page, size, now, mode, total)
        sort, fallback = "due", True
    elif count:
        total, capped = capped_count(qs)
    else:
        total, capped = 0, False
    sort = sort if sort in KEYSET_SORTS else "due"
    if count and not capped and not (_parse_cursor(after) or _parse_cursor(before)):
        # A list of up to COUNT_CAP rows has page numbers.
        return _numbered_page(qs, sort, page, size, now, mode, total)
    column = KEYSET_SORTS[sort][0]
    descending = sort.startswith("-")
    backwards = False
    page_qs = qs
    if (cursor := _parse_cursor(after)) is not None:
        page_qs = _after(qs, column, *cursor, descending)
    elif (cursor := _parse_cursor(before)) is not None:
        page_qs = _after(qs, column, *cursor, not descending)
        backwards = True
    ordered = _ordered(page_qs, sort, reverse=backwards)
    # Ids first (an index-only scan: the filters are INCLUDEd in the index), then
    # the rows: filtering while fetching rows would read the heap for every index
    # entry walked past, which for a rare item on 1M cases was 170,000 reads.
    ids = list(ordered.values_list("pk", flat=True)[: size + 1])
    found = _with_display(Case.objects.filter(pk__in=ids)).in_bulk()
    cases = [found[pk] for pk in ids if pk in found]
    more = len(cases) > size
    cases = cases[:size]
    if backwards:
        cases.reverse()
    rows = desk_rows(cases, now=now, mode=mode)
    first, last = (cases[0], cases[-1]) if cases else (None, None)
    has_next = more if not backwards else True
    has_prev = (cursor is not None) if not backwards else more
    return DeskPage(
        rows=rows,
        next_cursor=_cursor(getattr(last, column), last.pk) if last and has_next else None,
        prev_cursor=_cursor(getattr(first, column), first.pk) if first and has_prev else None,
        total=total,
        total_capped=capped,
        sort=sort,
        sort_fallback=fallback,
    )


def _page_number(page: str | int | None, total: int, size: int) -> tuple[int, int]:
    """The page asked for (clamped to the list) and the number of pages."""
    num_pages = max((total + size - 1) // size, 1)
    try:
        number = min(max(int(page or 1), 1), num_pages)
    except (TypeError, ValueError):
        number = 1
    return number, num_pages


def _numbered_page(
    qs: QuerySet[Case],
    sort: str,
    page: str | int | None,
    size: int,
    now: datetime,
    mode: str,
    total: int,
) -> DeskPage:
    """Page ``page`` of ``total`` rows, by offset.

    A grouping sort orders the rows by their group in one query; a keyset sort
    takes the page's ids by offset first (an index-only scan of at most
    COUNT_CAP entries), then reads only those rows.
    """
    number, num_pages = _page_number(page, total, size)
    offset = (number - 1) * size
    if sort in GROUP_SORTS:
        cases = list(_with_display(qs.order_by(*GROUP_SORTS[sort][0]))[offset : offset + size])
    else:
        ids = list(_ordered(qs, sort).values_list("pk", flat=True)[offset : offset + size])
        found = _with_display(Case.objects.filter(pk__in=ids)).in_bulk()
        cases = [found[pk] for pk in ids if pk in found]
    return DeskPage(
        rows=desk_rows(cases, now=now, mode=mode),
        next_cursor=None,
        prev_cursor=None,
        total=total,
        total_capped=False,
        sort=sort,
        page_number=number,
        num_pages=num_pages,
    )


def _with_display(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("item", "center", "department", "handler", "first_responder").only(
        "pk",
        "number",
        "status",
        "accepted_at",
        "warn_at",
        "promised_due_at",
        "statutory_due_at",
        "due_provisional",
        "alert_level",
        "item__name",
        "center__name",
        "department__name",
        "handler__username",
        "handler__first_name",
        "handler__last_name",
        "first_responder__username",
        "first_responder__first_name",
        "first_responder__last_name",
    )


def desk_rows(cases: Sequence[Case], *, now: datetime, mode: str) -> list[DeskRow]:
    """Display rows for ``cases``: light, working days late or left, holder."""
    cal = get_calendar()
    today = local_date(now)
    # Whoever claimed the case's open task, else its handler.
    claimed = {pk: h.owner for pk, h in task_holders([c.pk for c in cases]).items()}
    rows = []
    for case in cases:
        due = local_date(case.promised_due_at) if case.promised_due_at else today
        if mode == OVERDUE:
            days = cal.working_days_between(due, today)
        else:
            days = cal.working_days_between(today, due)
        rows.append(
            DeskRow(
                case_id=case.pk,
                number=case.number,
                item=case.item.name,
                department=case.department.name,
                center=case.center.name,
                status=str(case.get_status_display()),
                light=_light(case, now),
                holder=claimed.get(case.pk) or display_name(case.handler),
                first_responder=display_name(case.first_responder),
                accepted_at=case.accepted_at,
                promised_due_at=case.promised_due_at,
                statutory_due_at=case.statutory_due_at,
                working_days=max(days, 0),
                provisional=case.promised_due_provisional,
            )
        )
    return rows


def _light(case: Case, now: datetime) -> Light:
    return due_level(case, now)


def iter_desk_rows(
    qs: QuerySet[Case],
    *,
    sort: str,
    now: datetime,
    mode: str,
    limit: int | None = None,
    chunk: int = 1000,
) -> Iterator[DeskRow]:
    """Every row of ``qs`` in ``sort`` order, fetched in chunks (for exports)."""
    if sort in GROUP_SORTS and not capped_count(qs)[1]:
        ordered = _with_display(qs.order_by(*GROUP_SORTS[sort][0]))
        batch: list[Case] = []
        for case in ordered.iterator(chunk_size=chunk):
            batch.append(case)
            if len(batch) == chunk:
                yield from desk_rows(batch, now=now, mode=mode)
                batch = []
        yield from desk_rows(batch, now=now, mode=mode)
        return
    sort = sort if sort in KEYSET_SORTS else "due"
    cursor: str | None = None
    produced = 0
    while True:
        size = chunk if limit is None else min(chunk, limit - produced)
        if size <= 0:
            return
        page = desk_page(qs, sort=sort, after=cursor, size=size, now=now, mode=mode, count=False)
        yield from page.rows
        produced += len(page.rows)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
