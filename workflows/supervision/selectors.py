"""Reads of the supervisor's desk: scope, overdue and due-soon lists, statistics, 督办, trail.

Every list is an indexed walk: open cases are found through partial indexes on
their due dates (migration 0002), paged with a keyset cursor (never OFFSET),
and counted with a capped count, so a page costs the same on 1,000,000 cases
as on 1,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from workflows.calendar.api import get_calendar
from workflows.cases.actions import action_label
from workflows.cases.alerts import Light, due_level
from workflows.cases.clock import end_of_day, local_date, start_of_day
from workflows.cases.models import RUNNING, Case, CaseEvent, OverdueReason, Status, Suspension
from workflows.cases.permissions import is_admin
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import HEAD, SUPERVISOR, display_name, has_role, profile_of
from workflows.supervision.models import ORDER_LEVELS, Escalation, EscalationNote

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

PAGE_SIZE = 50
COUNT_CAP = 10_000
BADGE_CAP = 99

# ---------------------------------------------------------------- who is told


def heads_by_department(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active department heads of each department: {department id: [user id, …]}."""
    ids = set(department_ids)
    if not ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=HEAD, staff__department_id__in=ids)
        .order_by("pk")
        .values_list("pk", "staff__department_id")
        .distinct()
    )
    heads: dict[int, list[int]] = {}
    for user_id, department_id in rows:
        heads.setdefault(department_id, []).append(user_id)
    return heads


def supervisors_by_center(center_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active supervisors whose center is each center or above it: {center id: [user id, …]}."""
    ids = set(center_ids)
    if not ids:
        return {}
    paths = dict(Center.objects.filter(pk__in=ids).values_list("pk", "path"))
    supervisors = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISOR, staff__center__isnull=False)
        .order_by("pk")
        .values_list("pk", "staff__center__path")
        .distinct()
    )
    return {
        center_id: [user_id for user_id, prefix in supervisors if path.startswith(prefix)]
        for center_id, path in paths.items()
    }


# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class DeskScope:
    """What a desk user may see: centers (None = all) and a department (None = all)."""

    center_ids: tuple[int, ...] | None
    department_id: int | None
    label: str

    def q(self, prefix: str = "") -> Q:
        """The scope as a filter on cases (``prefix`` for a related case, e.g. ``case__``)."""
        q = Q()
        if self.center_ids is not None:
            q &= Q(**{f"{prefix}center_id__in": self.center_ids})
        if self.department_id is not None:
            q &= Q(**{f"{prefix}department_id": self.department_id})
        return q


def centers_under(center: Center) -> tuple[int, ...] | None:
    """Ids of ``center`` and everything below it; None when that is every center."""
    ids = tuple(Center.objects.filter(path__startswith=center.path).values_list("pk", flat=True))
    return None if len(ids) == Center.objects.count() else ids


def desk_scope(user: User) -> DeskScope | None:
    """The desk scope of ``user``; None means no access (officers, clerks)."""
    if is_admin(user):
        return DeskScope(None, None, str(_("全部")))
    profile = profile_of(user)
    if profile is None:
        return None
    if has_role(user, SUPERVISOR) and profile.center is not None:
        return DeskScope(centers_under(profile.center), None, profile.center.name)
    if has_role(user, HEAD) and profile.department is not None:
        return DeskScope(None, profile.department_id, profile.department.name)
    return None


def escalation_in_supervisor_scope(user: User, escalation: Escalation) -> bool:
    """A supervisor whose center is the escalated case's center or above it."""
    if not has_role(user, SUPERVISOR):
        return False
    profile = profile_of(user)
    if profile is None or profile.center is None:
        return False
    return escalation.center.path.startswith(profile.center.path)


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class CaseFilters:
    """The desk's filters (all optional); ``center`` includes the centers below it."""

    department_id: int | None = None
    center_id: int | None = None
    item_id: int | None = None
    officer_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    # Only the chosen center itself, not the centers below it (the dashboard's bars).
    center_only: bool = False
    # Set when the filter form was invalid: show nothing rather than a list that ignores it.
    invalid: bool = False

    def q(self) -> Q:
        """The filters as a Q on cases."""
        if self.invalid:
            return Q(pk__in=[])
        q = Q()
        if self.department_id:
            q &= Q(department_id=self.department_id)
        if self.center_id:
            center = Center.objects.filter(pk=self.center_id).first()
            if center is None:
                return Q(pk__in=[])
            if self.center_only:
                q &= Q(center_id=center.pk)
            else:
                q &= Q(center_id__in=centers_under(center) or [c.pk for c in Center.objects.all()])
        if self.item_id:
            q &= Q(item_id=self.item_id)
        if self.officer_id:
            q &= Q(handler_id=self.officer_id)
        if self.due_from:
            q &= Q(promised_due_at__gte=start_of_day(self.due_from))
        if self.due_to:
            q &= Q(promised_due_at__lte=end_of_day(self.due_to))
        return q

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for links that keep them)."""
        values = {
            "department": self.department_id,
            "center": self.center_id,
            "item": self.item_id,
            "officer": self.officer_id,
            "from": self.due_from.isoformat() if self.due_from else None,
            "to": self.due_to.isoformat() if self.due_to else None,
            "center_only": "1" if self.center_only and self.center_id else None,
        }
        return {k: str(v) for k, v in values.items() if v}


# ---------------------------------------------------------------- overdue / due soon

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
        # A list of up to COUNT_CAP rows has page numbers: the ids by offset (an
        # index-only scan of at most COUNT_CAP entries), then the page's rows.
        return _numbered_ids_page(qs, sort, page, size, now, mode, total)
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


def _numbered_ids_page(
    qs: QuerySet[Case],
    sort: str,
    page: str | int | None,
    size: int,
    now: datetime,
    mode: str,
    total: int,
) -> DeskPage:
    number, num_pages = _page_number(page, total, size)
    offset = (number - 1) * size
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


def _numbered_page(
    qs: QuerySet[Case],
    sort: str,
    page: str | int | None,
    size: int,
    now: datetime,
    mode: str,
    total: int,
) -> DeskPage:
    number, num_pages = _page_number(page, total, size)
    offset = (number - 1) * size
    cases = list(_with_display(qs.order_by(*GROUP_SORTS[sort][0]))[offset : offset + size])
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


def task_holders(case_ids: Sequence[int]) -> dict[int, str]:
    """Who holds each case's open human task in viewflow (claimed tasks only)."""
    if not case_ids:
        return {}
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    holders: dict[int, str] = {}
    rows = (
        Task.objects.filter(
            process__caseprocess__case_id__in=list(case_ids),
            flow_task_type="HUMAN",
            status=STATUS.ASSIGNED,
            owner__isnull=False,
        )
        .select_related("owner")
        .order_by("created")
        .values_list(
            "process__caseprocess__case_id",
            "owner__username",
            "owner__last_name",
            "owner__first_name",
        )
    )
    for case_id, username, last, first in rows:
        holders[case_id] = f"{last}{first}".strip() or username
    return holders


def desk_rows(cases: Sequence[Case], *, now: datetime, mode: str) -> list[DeskRow]:
    """Display rows for ``cases``: light, working days late or left, holder."""
    cal = get_calendar()
    today = local_date(now)
    holders = task_holders([c.pk for c in cases])
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
                holder=holders.get(case.pk) or display_name(case.handler),
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


# ---------------------------------------------------------------- statistics

GROUPS: dict[str, tuple[str, Any]] = {
    "department": ("department_id", _("部门")),
    "center": ("center_id", _("受理中心")),
    "item": ("item_id", _("事项")),
    "officer": ("handler_id", _("经办人")),
}


class Percentile90(Aggregate):
    """PostgreSQL's continuous 90th percentile."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.9) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class StatRow:
    """On-time figures of one department, center, item or officer in a period."""

    key: int | None
    label: str
    decided: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    avg_days: float | None = None
    p90_days: float | None = None
    extensions: int = 0
    suspensions: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """按时办结率: closed on time / (closed + open overdue)."""
        denominator = self.decided + self.open_overdue
        return self.on_time / denominator if denominator else None

    @property
    def late_without_reason(self) -> int:
        return max(self.late - sum(self.reasons.values()), 0)


@dataclass(frozen=True)
class Period:
    """A period of local dates, both ends included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return start_of_day(self.start)

    @property
    def end_at(self) -> datetime:
        return end_of_day(self.end)


def default_period(now: datetime) -> Period:
    """This month so far."""
    today = local_date(now)
    return Period(today.replace(day=1), today)


def _labels(group: str, keys: Iterable[int | None]) -> dict[int | None, str]:
    ids = [k for k in keys if k is not None]
    if group == "department":
        names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif group == "center":
        names = dict(Center.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif group == "item":
        names = dict(ServiceItem.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        names = {u.pk: display_name(u) for u in get_user_model().objects.filter(pk__in=ids)}
    labels: dict[int | None, str] = {k: names.get(k, str(k)) for k in ids}
    labels[None] = str(_("（未指定经办人）")) if group == "officer" else "—"
    return labels


def on_time_statistics(
    *, scope: DeskScope, filters: CaseFilters, group: str, period: Period, now: datetime
) -> list[StatRow]:
    """On-time rate, working days to decision, extensions, suspensions and overdue reasons.

    Closed = decided in the period (decided or delivered since); on time =
    decided_at <= promised_due_at; open overdue = still running, its promised
    date in the period and already past (so each case counts in one period).
    """
    column = GROUPS.get(group, GROUPS["department"])[0]
    base = Case.objects.filter(scope.q()).filter(filters.q())
    decided = base.filter(
        decided_at__gte=period.start_at, decided_at__lte=period.end_at, accepted_at__isnull=False
    )
    rows: dict[int | None, StatRow] = {}

    def row(key: int | None) -> StatRow:
        return rows.setdefault(key, StatRow(key=key, label=""))

    for values in (
        decided.order_by()
        .values(column)
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(decided_at__lte=F("promised_due_at"))),
            avg_days=Avg("decision_working_days"),
            p90=Percentile90("decision_working_days"),
            extensions=Count("pk", filter=Q(extension_days__gt=0)),
        )
    ):
        r = row(values[column])
        r.decided = values["n"]
        r.on_time = values["on_time"]
        r.late = values["n"] - values["on_time"]
        r.avg_days = values["avg_days"]
        r.p90_days = values["p90"]
        r.extensions = values["extensions"]
    overdue_until = min(period.end_at, now)
    for values in (
        base.filter(
            status__in=list(RUNNING),
            promised_due_at__gte=period.start_at,
            promised_due_at__lt=overdue_until,
        )
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
    ):
        row(values[column]).open_overdue = values["n"]
    for values in (
        Suspension.objects.filter(case__in=decided.values("pk"))
        .order_by()
        .values(f"case__{column}")
        .annotate(n=Count("pk"))
    ):
        row(values[f"case__{column}"]).suspensions = values["n"]
    for values in (
        decided.filter(decided_at__gt=F("promised_due_at"))
        .exclude(overdue_reason="")
        .order_by()
        .values(column, "overdue_reason")
        .annotate(n=Count("pk"))
    ):
        row(values[column]).reasons[values["overdue_reason"]] = values["n"]
    labels = _labels(group, rows)
    for key, r in rows.items():
        r.label = labels.get(key, str(key))
    return sorted(rows.values(), key=lambda r: (r.rate is None, r.rate or 0, r.label))


def statistics_totals(rows: Sequence[StatRow]) -> StatRow:
    """The sum of ``rows`` (averages and percentiles are not summable: left empty)."""
    total = StatRow(key=None, label=str(_("合计")))
    for r in rows:
        total.decided += r.decided
        total.on_time += r.on_time
        total.late += r.late
        total.open_overdue += r.open_overdue
        total.extensions += r.extensions
        total.suspensions += r.suspensions
        for reason, n in r.reasons.items():
            total.reasons[reason] = total.reasons.get(reason, 0) + n
    return total


REASON_LABELS = dict(OverdueReason.choices)


# ---------------------------------------------------------------- escalations


def escalations_for(user: User) -> QuerySet[Escalation] | None:
    """The 督办 a user may see: supervisors their centers, heads their department; None = none."""
    qs = Escalation.objects.select_related(
        "case", "case__item", "center", "department", "handler", "first_responder", "responded_by"
    )
    if is_admin(user):
        return qs
    profile = profile_of(user)
    if profile is None:
        return None
    q = Q(pk__in=[])
    allowed = False
    if has_role(user, SUPERVISOR) and profile.center is not None:
        q |= Q(center__path__startswith=profile.center.path)
        allowed = True
    if has_role(user, HEAD) and profile.department_id:
        q |= Q(department_id=profile.department_id)
        allowed = True
    return qs.filter(q) if allowed else None


def unanswered(qs: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Breaches (red or worse) the department head has not answered."""
    return qs.filter(level__in=list(ORDER_LEVELS), responded_at__isnull=True)


def unanswered_badge(user: User) -> int | None:
    """The menu badge: unanswered 督办 in the user's scope (capped at 99)."""
    qs = escalations_for(user)
    if qs is None:
        return None
    n = unanswered(qs).order_by().values("pk")[: BADGE_CAP + 1].count()
    return min(n, BADGE_CAP) or None


def escalation_notes(escalation: Escalation) -> QuerySet[EscalationNote]:
    """Follow-ups and responses, oldest first."""
    return escalation.notes.select_related("author").order_by("created_at", "pk")


# ---------------------------------------------------------------- trail


@dataclass
class TrailStep:
    """One event of a case's audit trail, in words."""

    seq: int
    at: datetime
    action: str
    actor: str
    from_status: str
    to_status: str
    payload: dict[str, Any]
    clock: dict[str, Any]


def _status_label(value: str) -> str:
    if not value:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def case_trail(case: Case) -> list[TrailStep]:
    """Every event of ``case`` with who, when, from → to and the clock after it."""
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq")
    steps = []
    for e in events:
        steps.append(
            TrailStep(
                seq=e.seq,
                at=e.created_at,
                action=action_label(e.action),
                actor=display_name(e.actor) if e.actor else str(_("系统")),
                from_status=_status_label(e.from_status),
                to_status=_status_label(e.to_status),
                payload=e.payload,
                clock=e.clock,
            )
        )
    return steps
