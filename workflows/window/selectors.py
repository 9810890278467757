"""Reads for the window: the clerk's lists, the item chooser, one visible case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from workflows.calendar.api import get_calendar
from workflows.cases.alerts import late_on_promise
from workflows.cases.clock import deemed_acceptance_deadline, end_of_day, local_date, start_of_day
from workflows.cases.models import Case, CaseEvent, Status
from workflows.cases.selectors import cases_visible_to
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import profile_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

LIST_LIMIT = 100


@dataclass(frozen=True)
class CaseRow:
    """A case in one of the clerk's lists, with what that list adds."""

    case: Case
    notice_deadline: datetime | None = None
    window_delivery: bool = False


def rows(cases: Iterable[Case]) -> list[CaseRow]:
    """Plain list rows."""
    return [CaseRow(case) for case in cases]


def correction_rows(center: Center) -> list[CaseRow]:
    """Cases awaiting correction, with the 5-working-day notice deadline from receipt."""
    calendar = get_calendar()
    return [
        CaseRow(
            case, notice_deadline=deemed_acceptance_deadline(local_date(case.received_at), calendar)
        )
        for case in awaiting_correction(center)
    ]


def delivery_rows(center: Center) -> list[CaseRow]:
    """Decided cases waiting for 出件, marking those the window delivers itself."""
    return [
        CaseRow(case, window_delivery=has_window_delivery(case))
        for case in awaiting_delivery(center)
    ]


def clerk_center(user: User) -> Center | None:
    """The center a clerk works at, or None."""
    profile = profile_of(user)
    return profile.center if profile is not None else None


def _cases() -> QuerySet[Case]:
    return Case.objects.select_related("item", "department", "first_responder")


def received_on(center: Center, day: date) -> QuerySet[Case]:
    """Cases received at ``center`` on ``day`` (local date), newest first."""
    return (
        _cases()
        .filter(center=center, received_at__gte=start_of_day(day), received_at__lte=end_of_day(day))
        .order_by("-received_at")[:LIST_LIMIT]
    )


def awaiting_acceptance(center: Center) -> QuerySet[Case]:
    """Received but neither accepted nor refused: they will be deemed accepted."""
    return (
        _cases()
        .filter(center=center, status=Status.RECEIVED)
        .order_by("deemed_acceptance_at", "received_at")[:LIST_LIMIT]
    )


def awaiting_correction(center: Center) -> QuerySet[Case]:
    """Cases waiting for the applicant to bring what the notice asked for."""
    return (
        _cases()
        .filter(center=center, status=Status.AWAITING_CORRECTION)
        .order_by("received_at")[:LIST_LIMIT]
    )


def awaiting_delivery(center: Center) -> QuerySet[Case]:
    """Decided cases of ``center`` whose result has not reached the applicant yet."""
    return _cases().filter(center=center, status=Status.DECIDED).order_by("decided_at")[:LIST_LIMIT]


def delivery_backlog(center: Center) -> QuerySet[Case]:
    """Every result waiting for 出件 at ``center`` (the menu badge counts them)."""
    return Case.objects.filter(center=center, status=Status.DECIDED)


def search_cases(user: User, query: str) -> QuerySet[Case]:
    """Visible cases whose number, applicant or agent name, ID number or phone matches ``query``.

    The ID number is what people bring to a window: the whole number matches
    (spaces ignored, a final x read as X). A clerk sees only their center's cases.
    """
    text = query.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    q = Q(number__iexact=text) | Q(number__icontains=text) | Q(applicant_name__icontains=text)
    q |= Q(agent_name__icontains=text)
    id_number = "".join(text.split()).upper()
    if len(id_number) >= 8:
        q |= Q(applicant_id_number=id_number) | Q(agent_id_number=id_number)
    if len(digits) >= 4:
        q |= Q(applicant_phone__contains=digits) | Q(agent_phone__contains=digits)
    return cases_visible_to(user, _cases().filter(q)).order_by("-received_at")[:LIST_LIMIT]


def visible_case(user: User, number: str) -> Case:
    """The case numbered ``number`` if ``user`` may see it; 404 otherwise, never a hint."""
    qs = cases_visible_to(
        user,
        Case.objects.select_related(
            "center",
            "item",
            "department",
            "first_responder__staff",
            "handler__staff",
            "received_by",
            "decided_by",
            "delivered_by",
        ),
    )
    case = qs.filter(number=number).first()
    if case is None:
        raise Http404(number)
    return case


@dataclass(frozen=True)
class ItemGroup:
    """One department's items in the chooser."""

    department: Department
    items: list[ServiceItem]


def active_items(query: str = "") -> list[ServiceItem]:
    """Active service items matching ``query`` (name, code or department), by department."""
    qs = ServiceItem.objects.filter(is_active=True).select_related("department")
    text = query.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(code__icontains=text)
            | Q(department__name__icontains=text)
            | Q(department__code__iexact=text)
        )
    return list(qs.order_by("department__code", "code"))


def group_by_department(items: list[ServiceItem]) -> list[ItemGroup]:
    """Items grouped under their department, in catalogue order."""
    return [
        ItemGroup(department=department, items=list(group))
        for department, group in groupby(items, key=lambda item: item.department)
    ]


def trail(case: Case) -> QuerySet[CaseEvent]:
    """The case's events in order, with who did them."""
    return case.events.select_related("actor").order_by("seq")


def has_window_delivery(case: Case) -> bool:
    """True when the window itself hands over the result (no back-office delivery task).

    即办件 are decided at the window; an item without a back-office flow has
    nobody else to deliver it. Flow-driven cases get a window delivery task
    from their flow instead.
    """
    return case.item.is_immediate or not case.item.flow


def delivery_task_id(user: User, case: Case) -> int | None:
    """The id of the flow's open window delivery task for ``case`` that ``user`` may take."""
    from workflows.tasks.selectors import delivery_for

    task = delivery_for(user).filter(process__caseprocess__case=case).values_list("pk", flat=True)
    return task.first()


def is_late(case: Case, moment: datetime) -> bool:
    """Past the promised due date (出件 then needs an overdue reason)."""
    return late_on_promise(case, moment)
