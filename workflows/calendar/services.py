"""Every write to the calendar: publish, import, seed, withdraw.

Each service is atomic and, in one transaction: takes the calendar lock (the
``CalendarVersion`` row, so writers queue up instead of interleaving),
replaces the year's exception days, writes one ``CalendarChange`` audit row per
year with the days before and after, changes the version token, and sends
``signals.calendar_changed`` with the years changed. The process-wide cached
calendar is replaced on commit (see ``api``).

Publishing exactly what is already published is a no-op: no audit row, no
signal, so retries are harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar import api
from workflows.calendar.arrangements import (
    NOTICE_MAX_LENGTH,
    ArrangementError,
    DaySpec,
    YearArrangement,
    parse_arrangements,
    validate_days,
)
from workflows.calendar.engine import DayKind
from workflows.calendar.models import CalendarChange, CalendarVersion, CalendarYear, ExceptionDay
from workflows.calendar.seed import SEED_YEARS, seed_arrangements
from workflows.calendar.signals import calendar_changed

NOTICE_REQUIRED = _("请填写发布该年安排的通知文号或标题（不超过 {limit} 个字）。")
DAY_CLAIMED = _(
    "{day} 已登记在 {other} 年的安排中；同一天只能属于一份通知。请先修改 {other} 年的安排。"
)
NOT_PUBLISHED = _("{year} 年没有已发布的安排，无需撤回。")
FILE_UNREADABLE = _("无法读取文件 {path}：{error}")
FILE_NOT_UTF8 = _("文件 {path} 不是 UTF-8 编码的文本。请另存为 UTF-8 后重试。")
MAX_FILE_BYTES = 1_000_000
FILE_TOO_LARGE = _("文件 {path} 超过 {limit} 字节，不像是放假安排文件。")

Actor = AbstractBaseUser | None


@transaction.atomic
def calendar_publish_year(
    *,
    year: int,
    days: Iterable[DaySpec],
    notice: str,
    actor: Actor,
    notice_date: date | None = None,
) -> CalendarYear:
    """Publish ``year``'s arrangement, replacing its exception days; audited and signalled."""
    arrangement = YearArrangement(
        year=year,
        notice=_checked_notice(notice),
        notice_date=notice_date,
        days=validate_days(year=year, days=days),
    )
    _lock_calendar()
    calendar_year, changed = _publish(
        arrangement, actor=actor, action=CalendarChange.Action.PUBLISH
    )
    if changed:
        _after_change([year])
    return calendar_year


@transaction.atomic
def calendar_import_arrangements(
    *, arrangements: Sequence[YearArrangement], actor: Actor
) -> list[int]:
    """Publish several years at once (all or nothing); return the years that changed."""
    _lock_calendar()
    changed_years = []
    for arrangement in arrangements:
        checked = YearArrangement(
            year=arrangement.year,
            notice=_checked_notice(arrangement.notice),
            notice_date=arrangement.notice_date,
            days=validate_days(year=arrangement.year, days=arrangement.days),
        )
        _, changed = _publish(checked, actor=actor, action=CalendarChange.Action.IMPORT)
        if changed:
            changed_years.append(arrangement.year)
    if changed_years:
        _after_change(changed_years)
    return changed_years


def read_arrangements_file(path: Path) -> list[YearArrangement]:
    """Read and check a YAML arrangements file without writing anything."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ArrangementError(FILE_TOO_LARGE.format(path=path, limit=MAX_FILE_BYTES))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArrangementError(FILE_NOT_UTF8.format(path=path)) from exc
    except OSError as exc:
        raise ArrangementError(FILE_UNREADABLE.format(path=path, error=exc.strerror)) from exc
    return parse_arrangements(text)


@transaction.atomic
def calendar_seed(*, years: Iterable[int] = SEED_YEARS, actor: Actor = None) -> list[int]:
    """Seed the reference arrangements of ``years`` that have no row yet; return those seeded."""
    _lock_calendar()
    wanted = set(years)
    present = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    seeded = []
    for arrangement in seed_arrangements(wanted - present):
        _publish(arrangement, actor=actor, action=CalendarChange.Action.SEED)
        seeded.append(arrangement.year)
    if seeded:
        _after_change(seeded)
    return seeded


@transaction.atomic
def calendar_withdraw_year(*, year: int, actor: Actor, reason: str = "") -> CalendarYear:
    """Withdraw ``year``'s arrangement: it becomes provisional and its days are removed."""
    _lock_calendar()
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is None or calendar_year.status != CalendarYear.Status.PUBLISHED:
        raise ArrangementError(NOT_PUBLISHED.format(year=year))
    before = _snapshot(calendar_year)
    calendar_year.days.all().delete()
    calendar_year.status = CalendarYear.Status.PROVISIONAL
    calendar_year.published_at = None
    calendar_year.save()
    after = _snapshot(calendar_year) | {"reason": reason}
    _audit(
        year=year, actor=actor, action=CalendarChange.Action.WITHDRAW, before=before, after=after
    )
    _after_change([year])
    return calendar_year


def _checked_notice(notice: str) -> str:
    notice = (notice or "").strip()
    if not notice or len(notice) > NOTICE_MAX_LENGTH:
        raise ArrangementError(NOTICE_REQUIRED.format(limit=NOTICE_MAX_LENGTH))
    return notice


def _lock_calendar() -> CalendarVersion:
    version, _created = CalendarVersion.objects.select_for_update().get_or_create(pk=1)
    return version


def _publish(
    arrangement: YearArrangement, *, actor: Actor, action: CalendarChange.Action
) -> tuple[CalendarYear, bool]:
    year = arrangement.year
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None if calendar_year is None else _snapshot(calendar_year)
    wanted_days = [
        {"date": spec.day.isoformat(), "kind": str(spec.kind), "festival": spec.festival}
        for spec in arrangement.days
    ]
    after = {
        "status": str(CalendarYear.Status.PUBLISHED),
        "notice": arrangement.notice,
        "notice_date": arrangement.notice_date.isoformat() if arrangement.notice_date else None,
        "days": wanted_days,
    }
    if before == after and calendar_year is not None:
        return calendar_year, False

    claimed = (
        ExceptionDay.objects.filter(date__in=[spec.day for spec in arrangement.days])
        .exclude(year_id=year)
        .order_by("date")
        .first()
    )
    if claimed is not None:
        raise ArrangementError(DAY_CLAIMED.format(day=claimed.date, other=claimed.year_id))

    if calendar_year is None:
        calendar_year = CalendarYear(year=year)
    calendar_year.status = CalendarYear.Status.PUBLISHED
    calendar_year.notice = arrangement.notice
    calendar_year.notice_date = arrangement.notice_date
    calendar_year.published_at = timezone.now()
    calendar_year.save()
    ExceptionDay.objects.filter(year=calendar_year).delete()
    ExceptionDay.objects.bulk_create(
        ExceptionDay(date=spec.day, kind=spec.kind, festival=spec.festival, year=calendar_year)
        for spec in arrangement.days
    )
    _audit(year=year, actor=actor, action=action, before=before, after=after)
    return calendar_year, True


def _snapshot(calendar_year: CalendarYear) -> dict[str, Any]:
    return {
        "status": str(calendar_year.status),
        "notice": calendar_year.notice,
        "notice_date": calendar_year.notice_date.isoformat() if calendar_year.notice_date else None,
        "days": [
            {"date": day.isoformat(), "kind": str(DayKind(kind)), "festival": festival}
            for day, kind, festival in calendar_year.days.order_by("date").values_list(
                "date", "kind", "festival"
            )
        ],
    }


def _audit(
    *,
    year: int,
    actor: Actor,
    action: CalendarChange.Action,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    CalendarChange.objects.create(
        actor_id=None if actor is None else actor.pk,
        year=year,
        action=action,
        payload={"before": before, "after": after},
    )


def _after_change(years: list[int]) -> None:
    CalendarVersion.objects.filter(pk=1).update(
        token=uuid.uuid4(), changed_at=timezone.now(), counter=F("counter") + 1
    )
    calendar = api.stage_change()
    calendar_changed.send(sender=CalendarYear, years=sorted(set(years)), calendar=calendar)
