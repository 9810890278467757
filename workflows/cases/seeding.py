"""Synthetic cases for demos and benchmarks, written with COPY.

Realistic but fake: applicants with valid-looking ID numbers, cases spread
over centers, items and every lifecycle state, clocks derived by the same
``compute_clock`` as real cases, and a valid hash-chained trail (receive and,
once accepted, accept). It bypasses the services on purpose: 100,000 cases
through the services would take minutes of per-row transactions; through
COPY they take seconds. Numbers continue each center's gapless sequence.

Over 400 lines on purpose: one procedure (people, cases, clocks, trail, COPY) that
only the ``seed_cases`` command and the benches call; nothing else shares its parts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg.types.json import Jsonb

from forms.validators import resident_id_check_digit
from workflows.calendar.api import get_calendar
from workflows.cases.clock import (
    ClockInput,
    compute_clock,
    deemed_acceptance_deadline,
    end_of_day,
    local_date,
    start_of_day,
)
from workflows.cases.events import NewEvent, copy_events
from workflows.cases.models import (
    Case,
    CaseMaterial,
    CaseSequence,
    Status,
    Suspension,
)
from workflows.cases.snapshot import ItemSnapshot
from workflows.catalog.models import Center, ServiceItem
from workflows.catalog.roles import CLERK

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海波辉鹏飞婷雪梅"
    "琳晨浩宇欣怡子涵梓轩佳琪一诺俊杰思远"
)
STATUS_MIX: list[tuple[str, float]] = [
    (Status.RECEIVED, 0.03),
    (Status.AWAITING_CORRECTION, 0.02),
    (Status.ACCEPTED, 0.08),
    (Status.IN_PROGRESS, 0.22),
    (Status.SUSPENDED, 0.02),
    # No seeded case waits for 出件 (DECIDED): a seeded case has no flow process, so
    # no delivery task would ever reach the window's 待出件 list for it.
    (Status.CLOSED, 0.55),
    (Status.REJECTED, 0.04),
    (Status.WITHDRAWN, 0.04),
]
ACCEPTED_STATES = {
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.SUSPENDED,
    Status.DECIDED,
    Status.CLOSED,
}


@dataclass
class SeedReport:
    """What ``seed_cases`` wrote."""

    cases: int
    events: int
    materials: int
    due_now: int


def _copy(model: type[Model], columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    birth = datetime(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))  # noqa: DTZ001
    first17 = f"441426{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    phone = f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"
    return name, first17 + resident_id_check_digit(first17), phone


def _staff_by_center(centers: list[Center]) -> dict[int, list[int]]:
    user_model = get_user_model()
    clerks: dict[int, list[int]] = {}
    for user_id, center_id in user_model.objects.filter(
        groups__name=CLERK, staff__center__isnull=False
    ).values_list("pk", "staff__center_id"):
        clerks.setdefault(center_id, []).append(user_id)
    fallback: AbstractBaseUser | None = None
    for center in centers:
        if center.pk not in clerks:
            if fallback is None:
                fallback, _ = user_model.objects.get_or_create(
                    username="seed_clerk", defaults={"first_name": "演示", "last_name": "受理员"}
                )
            clerks[center.pk] = [fallback.pk]
    return clerks


def seed_cases(
    *,
    count: int,
    open_only: bool = False,
    due_now: int = 0,
    seed: int = 2026,
    now: datetime | None = None,
    batch: int = 20_000,
) -> SeedReport:
    """Write ``count`` synthetic cases; ``due_now`` of them became overdue a moment ago."""
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not security
    moment = now or timezone.now()
    centers = list(Center.objects.all())
    # Neither 即办件 (decided at the counter) nor a 一件事's own item (received only
    # with its sub-cases, on the bundle page: a lone one can never be accepted).
    items = list(
        ServiceItem.objects.filter(is_active=True)
        .exclude(kind=ServiceItem.Kind.IMMEDIATE)
        .exclude(bundle__isnull=False)
        .select_related("department")
        .prefetch_related("materials")
    )
    if not centers or not items:
        raise ValueError("reference data missing: run `python manage.py setup_reference` first")
    # "Just became due" means red, not also past the statutory limit: due-now cases
    # use items whose statutory limit is longer than the promised one.
    due_items = [i for i in items if i.statutory_limit_days > i.promised_limit_days] or items
    clerks = _staff_by_center(centers)
    cal = get_calendar()
    states, weights = zip(*STATUS_MIX, strict=True)
    report = SeedReport(0, 0, 0, 0)
    case_columns = [f.column for f in Case._meta.concrete_fields if f.name != "id"]
    with transaction.atomic():
        # Continue every center's sequence for this year, gapless.
        year = local_date(moment).year
        serials = {
            s.center_id: s.last for s in CaseSequence.objects.select_for_update().filter(year=year)
        }
        start_id = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        produced = 0
        while produced < count:
            size = min(batch, count - produced)
            cases: list[dict[str, Any]] = []
            for i in range(size):
                center = rng.choice(centers)
                is_due_now = produced + i < due_now
                item = rng.choice(due_items if is_due_now else items)
                status = (
                    rng.choice((Status.ACCEPTED, Status.IN_PROGRESS))
                    if open_only
                    else rng.choices(states, weights)[0]
                )
                serials[center.pk] = serials.get(center.pk, 0) + 1
                cases.append(
                    _case_row(
                        rng,
                        cal,
                        moment,
                        center,
                        item,
                        status,
                        serials[center.pk],
                        year,
                        clerks,
                        is_due_now,
                    )
                )
            ids = range(start_id + produced + 1, start_id + produced + size + 1)
            for case_id, row in zip(ids, cases, strict=True):
                row["id"] = case_id
            _copy(
                Case,
                ["id", *case_columns],
                ((row["id"], *(row[c] for c in case_columns)) for row in cases),
            )
            report.materials += _write_materials(rng, cases)
            report.events += _write_events(cases)
            _write_suspensions(cases)
            produced += size
        report.cases = produced
        report.due_now = min(due_now, count)
        for center_id, last in serials.items():
            CaseSequence.objects.update_or_create(
                center_id=center_id, year=year, defaults={"last": last}
            )
        with connection.cursor() as cursor:
            table = Case._meta.db_table  # model metadata, not input
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql, [table])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
    return report


def _snapshot_of(item: ServiceItem) -> dict[str, Any]:
    """The item's acceptance snapshot, built once per item object of a seeding run."""
    cached: dict[str, Any] | None = getattr(item, "_seed_snapshot", None)
    if cached is None:
        cached = ItemSnapshot.from_item(item).to_json()
        item._seed_snapshot = cached  # type: ignore[attr-defined]
    return cached


def _case_row(
    rng: random.Random,
    cal: Any,
    moment: datetime,
    center: Center,
    item: ServiceItem,
    status: str,
    serial: int,
    year: int,
    clerks: dict[int, list[int]],
    is_due_now: bool,
) -> dict[str, Any]:
    name, id_number, phone = _person(rng)
    clerk = rng.choice(clerks[center.pk])
    limit = max(item.promised_limit_days, 1)
    if is_due_now:
        # Accepted so that the promised deadline ended a few minutes ago.
        due_day = local_date(moment) - timedelta(days=1)
        accepted_on = cal.add_working_days(due_day, -limit)
    else:
        accepted_on = local_date(moment) - timedelta(days=rng.randrange(0, 3 * limit + 10))
    received_at = start_of_day(accepted_on) + timedelta(hours=8, minutes=rng.randrange(30, 540))
    # Nothing is received (nor accepted, 5–40 minutes later) after ``moment``.
    received_at = min(received_at, moment - timedelta(minutes=rng.randrange(45, 120)))
    row: dict[str, Any] = {f.column: f.get_default() for f in Case._meta.concrete_fields}
    row.update(
        number=f"{center.code}-{year}-{serial:06d}",
        center_id=center.pk,
        item_id=item.pk,
        department_id=item.department_id,
        parent_id=None,
        status=status,
        applicant_kind="person",
        applicant_name=name,
        applicant_id_type="resident_id",
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_address=f"{center.name.replace('党群服务中心', '')}{rng.randrange(1, 300)}号",
        received_at=received_at,
        received_by_id=clerk,
        first_responder_id=clerk,
        handler_id=None,
        correction_items=Jsonb([]),
        item_snapshot=Jsonb({}),
        created_at=received_at,
        updated_at=received_at,
    )
    for key in (
        "accepted_at",
        "decided_at",
        "closed_at",
        "correction_requested_at",
        "supplemented_at",
        "deemed_acceptance_at",
        "warn_at",
        "promised_due_at",
        "statutory_due_at",
        "decided_by_id",
        "delivered_by_id",
        "statutory_limit_days",
        "promised_limit_days",
    ):
        row[key] = None
    if status == Status.RECEIVED:
        row["deemed_acceptance_at"] = deemed_acceptance_deadline(local_date(received_at), cal)
    if status == Status.AWAITING_CORRECTION:
        row["correction_requested_at"] = received_at + timedelta(minutes=10)
    if status == Status.REJECTED:
        row["rejection_reason"] = "申请事项不属于本机关职权范围"
    if status == Status.WITHDRAWN:
        row["withdrawal_reason"] = "申请人撤回申请"
    if status in ACCEPTED_STATES:
        accepted_at = received_at + timedelta(minutes=rng.randrange(5, 40))
        clock = compute_clock(
            ClockInput(
                accepted_on=local_date(accepted_at),
                acceptance_day_counts=item.acceptance_day_counts,
                promised_days=item.promised_limit_days,
                statutory_days=item.statutory_limit_days,
                extension_days=0,
                warning_days=item.warning_days,
            ),
            cal,
        )
        row.update(
            accepted_at=accepted_at,
            statutory_limit_days=item.statutory_limit_days,
            promised_limit_days=item.promised_limit_days,
            item_snapshot=Jsonb(_snapshot_of(item)),
            promised_due_at=end_of_day(clock.promised_due),
            statutory_due_at=end_of_day(clock.statutory_due),
            warn_at=max(start_of_day(clock.warn_on), accepted_at),
            due_provisional=clock.provisional,
        )
        if is_due_now:
            # Already warned (yellow) before; the next sweep turns it red.
            row["alert_level"] = 1
        else:
            # As if every earlier sweep had run: only the due-now cases change colour next.
            row["alert_level"] = sum(
                (
                    moment >= row["warn_at"],
                    moment > row["promised_due_at"],
                    moment > row["statutory_due_at"],
                )
            )
        if status in {Status.DECIDED, Status.CLOSED}:
            decided = min(accepted_at + timedelta(days=rng.randrange(0, limit + 3)), moment)
            row.update(
                decided_at=decided,
                decision=rng.choice(["approved"] * 9 + ["denied"]),
                decided_by_id=clerk,
                # As case_decide counts them, so the statistics and the dashboard have figures.
                decision_working_days=cal.working_days_between(
                    local_date(accepted_at) - timedelta(days=int(item.acceptance_day_counts)),
                    local_date(decided),
                ),
            )
            if status == Status.CLOSED:
                row.update(
                    closed_at=min(decided + timedelta(hours=2), moment),
                    delivery_method="window",
                    delivered_by_id=clerk,
                )
    return row


def _write_materials(rng: random.Random, cases: list[dict[str, Any]]) -> int:
    columns = [
        "case_id",
        "material_id",
        "position",
        "name",
        "form",
        "copies",
        "pages",
        "required",
        "state",
        "problem",
    ]
    items = {
        i.pk: list(i.materials.all()) for i in ServiceItem.objects.prefetch_related("materials")
    }
    rows: list[tuple[Any, ...]] = []
    for case in cases:
        missing = case["status"] == Status.AWAITING_CORRECTION
        for index, m in enumerate(items[case["item_id"]]):
            state = (
                CaseMaterial.State.MISSING
                if missing and index == 0
                else CaseMaterial.State.RECEIVED
            )
            rows.append(
                (
                    case["id"],
                    m.pk,
                    m.position,
                    m.name,
                    m.form,
                    m.copies,
                    rng.randrange(1, 6),
                    m.required,
                    state,
                    "未提交" if state == CaseMaterial.State.MISSING else "",
                )
            )
    _copy(CaseMaterial, columns, iter(rows))
    return len(rows)


def _write_events(cases: list[dict[str, Any]]) -> int:
    events: list[NewEvent] = []
    for case in cases:
        steps = [("receive", "", Status.RECEIVED, case["received_at"])]
        if case["accepted_at"] is not None:
            steps.append(("accept", Status.RECEIVED, Status.ACCEPTED, case["accepted_at"]))
        prev = ""
        for seq, (action, before, after, at) in enumerate(steps, start=1):
            event = NewEvent(
                case_id=case["id"],
                seq=seq,
                action=action,
                created_at=at,
                prev_hash=prev,
                actor_id=case["received_by_id"],
                from_status=before,
                to_status=after,
                payload={"seeded": True},
            )
            events.append(event)
            prev = event.hash
    return copy_events(events)


def _write_suspensions(cases: list[dict[str, Any]]) -> None:
    columns = ["case_id", "procedure", "expected_days", "reason", "started_at", "started_by_id"]
    rows = (
        (
            case["id"],
            Suspension.Procedure.EXPERT_REVIEW,
            5,
            "专家评审",
            case["accepted_at"] + timedelta(days=1),
            case["received_by_id"],
        )
        for case in cases
        if case["status"] == Status.SUSPENDED
    )
    _copy(Suspension, columns, rows)
