"""Reads of 好差评: who sees which rectifications, and the desk's statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.clock import end_of_day, start_of_day
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import HEAD, SUPERVISOR, display_name, has_role, profile_of
from workflows.rating.models import (
    BAD_LEVELS,
    GOOD_LEVELS,
    Rating,
    Reason,
    Rectification,
)

AnyUser = AbstractBaseUser | AnonymousUser

# The dimensions of the statistics: key → (label, the rating column grouped by).
DIMENSIONS: dict[str, tuple[Any, str]] = {
    "center": (_("受理中心"), "center__name"),
    "department": (_("实施部门"), "department__name"),
    "item": (_("服务事项"), "item__name"),
    "clerk": (_("窗口人员"), "clerk"),
    "month": (_("月份"), "month"),
}


def scope_filter(user: AnyUser, prefix: str = "") -> Q | None:
    """What a person may see on the desk: supervisors their centers, heads their department."""
    if is_admin(user):
        return None
    none = Q(pk__in=[])
    profile = profile_of(user)
    if profile is None:
        return none
    q = none
    if has_role(user, SUPERVISOR) and profile.center_id and profile.center is not None:
        q |= Q(**{f"{prefix}center__path__startswith": profile.center.path})
    if has_role(user, HEAD) and profile.department_id:
        q |= Q(**{f"{prefix}department_id": profile.department_id})
    return q


def may_see_desk(user: AnyUser) -> bool:
    """Supervisors, heads and admins."""
    return is_admin(user) or has_role(user, SUPERVISOR, HEAD)


def rectifications_visible_to(user: AnyUser) -> QuerySet[Rectification]:
    """Rectifications of the person's scope, plus those where they are first responder."""
    qs = Rectification.objects.select_related("case__item", "department", "rating")
    if not user.is_authenticated:
        return qs.none()
    q = scope_filter(user)
    if q is None:
        return qs
    return qs.filter(q | Q(first_responder_id=user.pk))


def open_rectifications_for(user: AnyUser) -> QuerySet[Rectification]:
    """Open rectifications assigned to ``user``: as the department's head or first responder."""
    qs = Rectification.objects.exclude(state=Rectification.State.CLOSED)
    if not user.is_authenticated:
        return qs.none()
    q = Q(first_responder_id=user.pk)
    profile = profile_of(user)
    if has_role(user, HEAD) and profile is not None and profile.department_id:
        q |= Q(department_id=profile.department_id)
    return qs.filter(q)


def light_of(r: Rectification, now: datetime | None = None) -> tuple[int, Any]:
    """The light of an open rectification now: (0 green / 1 yellow / 2 red, label)."""
    moment = now or timezone.now()
    if r.state == Rectification.State.CLOSED:
        return 0, ""
    due = r.call_back_due_at if r.called_back_at is None else r.rectify_due_at
    if r.called_back_at is not None and r.resolved_at is not None:
        return 0, _("待反馈")
    if due < moment:
        return 2, _("已超期")
    if (due - moment).total_seconds() < 86400:
        return 1, _("即将到期")
    return 0, _("正常")


@dataclass
class StatRow:
    """One line of the statistics."""

    label: str
    total: int
    good: int
    basic: int
    bad: int
    defaulted: int

    @property
    def good_rate(self) -> str:
        """好评率, as a percentage with one decimal."""
        return _rate(self.good, self.total)

    @property
    def bad_rate(self) -> str:
        """差评率."""
        return _rate(self.bad, self.total)


def _rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def counted_ratings(user: AnyUser, *, start: date | None, end: date | None) -> QuerySet[Rating]:
    """The ratings that count: current, not taken out by an upheld appeal, in scope and period."""
    return counted_ratings_in(scope_filter(user), start=start, end=end)


def counted_ratings_in(q: Q | None, *, start: date | None, end: date | None) -> QuerySet[Rating]:
    """The ratings that count within a filter (None: everywhere), from ``start`` to ``end``."""
    qs = Rating.objects.filter(current=True, excluded=False)
    if q is not None:
        qs = qs.filter(q)
    if start is not None:
        qs = qs.filter(rated_at__gte=start_of_day(start))
    if end is not None:
        qs = qs.filter(rated_at__lte=end_of_day(end))
    return qs


def statistics(
    user: AnyUser, *, by: str, start: date | None = None, end: date | None = None
) -> list[StatRow]:
    """Counts, 好评率 and 差评率 per center, department, item, clerk or month."""
    column = DIMENSIONS[by][1]
    qs = counted_ratings(user, start=start, end=end)
    if by == "month":
        qs = qs.annotate(month=TruncMonth("rated_at"))
    rows = (
        qs.values(column)
        .annotate(
            total=Count("pk"),
            good=Count("pk", filter=Q(level__in=GOOD_LEVELS)),
            basic=Count("pk", filter=Q(level=3)),
            bad=Count("pk", filter=Q(level__in=BAD_LEVELS)),
            defaulted=Count("pk", filter=Q(defaulted=True)),
        )
        .order_by(column)
    )
    result = []
    users: dict[int, str] = {}
    if by == "clerk":
        from django.contrib.auth import get_user_model

        ids = [r[column] for r in rows]
        users = {u.pk: display_name(u) for u in get_user_model().objects.filter(pk__in=ids)}
    for r in rows:
        key = r[column]
        if by == "clerk":
            name = users.get(key, str(key))
        elif by == "month":
            name = timezone.localtime(key).strftime("%Y-%m") if key else ""
        else:
            name = str(key)
        result.append(StatRow(name, r["total"], r["good"], r["basic"], r["bad"], r["defaulted"]))
    return result


def totals(rows: list[StatRow]) -> StatRow:
    """The sum line."""
    return StatRow(
        str(_("合计")),
        sum(r.total for r in rows),
        sum(r.good for r in rows),
        sum(r.basic for r in rows),
        sum(r.bad for r in rows),
        sum(r.defaulted for r in rows),
    )


def reasons_ranked(
    user: AnyUser, *, start: date | None = None, end: date | None = None
) -> list[tuple[str, int]]:
    """The 差评 reasons of counted bad ratings, most frequent first."""
    qs = counted_ratings(user, start=start, end=end).filter(level__in=BAD_LEVELS)
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, count(*) FROM rating_rating r,"
            " jsonb_array_elements_text(r.reasons) AS reason"
            " WHERE r.id = ANY(%s) GROUP BY reason ORDER BY count(*) DESC, reason",
            [ids],
        )
        rows = cursor.fetchall()
    return [(str(Reason(k).label) if k in Reason.values else k, n) for k, n in rows]


@dataclass
class OnTime:
    """Call-back and rectification on-time rates over the rectifications whose clock ended."""

    call_backs_due: int
    call_backs_on_time: int
    rectifications_due: int
    rectifications_on_time: int

    @property
    def call_back_rate(self) -> str:
        """回访及时率."""
        return _rate(self.call_backs_on_time, self.call_backs_due)

    @property
    def rectify_rate(self) -> str:
        """整改及时率."""
        return _rate(self.rectifications_on_time, self.rectifications_due)


def on_time(
    user: AnyUser,
    *,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> OnTime:
    """Of the call-backs and rectifications done or due by now, how many in time."""
    moment = now or timezone.now()
    qs = Rectification.objects.all()
    q = scope_filter(user)
    if q is not None:
        qs = qs.filter(q)
    if start is not None:
        qs = qs.filter(opened_at__gte=start_of_day(start))
    if end is not None:
        qs = qs.filter(opened_at__lte=end_of_day(end))
    numbers = qs.aggregate(
        cb_due=Count("pk", filter=Q(called_back_at__isnull=False) | Q(call_back_due_at__lt=moment)),
        cb_ok=Count("pk", filter=Q(called_back_at__lte=F("call_back_due_at"))),
        r_due=Count("pk", filter=Q(resolved_at__isnull=False) | Q(rectify_due_at__lt=moment)),
        r_ok=Count("pk", filter=Q(resolved_at__lte=F("rectify_due_at"))),
    )
    return OnTime(numbers["cb_due"], numbers["cb_ok"], numbers["r_due"], numbers["r_ok"])
