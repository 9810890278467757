"""``manage.py calendar``: compute a due date, show a year, import or seed arrangements."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar import api
from workflows.calendar.arrangements import ArrangementError, YearArrangement
from workflows.calendar.engine import FIRST_YEAR, LAST_YEAR, CalendarRangeError, DayKind
from workflows.calendar.models import CalendarYear
from workflows.calendar.provisional import festival_of, provisional_days
from workflows.calendar.seed import SEED_YEARS
from workflows.calendar.services import (
    calendar_import_arrangements,
    calendar_seed,
    read_arrangements_file,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
PROVISIONAL_MARK = "provisional"

BAD_START = _("起算日“{value}”不是 YYYY-MM-DD 格式的有效日期，例如 2025-09-30。")
BAD_DAYS = _("工作日数“{value}”必须是不小于 0 的整数，例如 20。")
BAD_YEAR = _("年份“{value}”必须是 {first} 至 {last} 之间的整数，例如 2026。")
IMPORT_FAILED = _("{error}\n未写入任何数据。请修改文件后重试（格式见 docs/calendar.md）。")
UNKNOWN_ACTOR = _("找不到用户“{username}”。请用已存在的用户名，或不加 --actor。")

SHOW_HEADER = _("{year} 年工作日历：{status}")
SHOW_NOTICE = _("通知：{notice}")
SHOW_NOTICE_DATE = _("通知日期：{day}")
SHOW_PUBLISHED_AT = _("发布时间：{moment}")
SHOW_WORKING_DAYS = _("工作日：{count} 天")
SHOW_EXCEPTIONS = _("例外日（{count} 天）：")
SHOW_NO_EXCEPTIONS = _("例外日：无")
SHOW_PROVISIONAL = _("暂定（尚未发布放假安排）")
SHOW_PROVISIONAL_RULE = _(
    "按《全国年节及纪念日放假办法》的法定节假日、第六条补假和 2024 年确定的放假安排原则推算；"
    "据此算出的期限都标为暂定，发布该年安排后会重新计算。"
)
SHOW_STATUTORY = _("推算的放假和调休上班日（{count} 天）：")
SHOW_DAY = "  {day} {weekday} {kind} {festival}"
KIND_LABELS = {DayKind.HOLIDAY: _("放假"), DayKind.MAKEUP: _("调休上班")}

IMPORTED = _("已发布 {year} 年安排（{notice}）：放假 {holidays} 天，调休上班 {makeups} 天。")
IMPORT_UNCHANGED = _("{year} 年安排与已发布的相同，未改动。")
IMPORT_CHECKED = _(
    "检查通过（未写入）：{year} 年安排（{notice}）：放假 {holidays} 天，调休上班 {makeups} 天。"
)
SEEDED = _("已写入 {years} 年的放假安排。")
SEED_NOTHING = _("{first}–{last} 年均已有记录，未改动。")


class Command(BaseCommand):
    """Working-day calendar: ``due``, ``show``, ``import`` and ``seed``."""

    help = (
        "工作日历：due 计算期限，show 查看年度安排，import 导入安排，"
        "seed 写入 2004–2026 年基础数据。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Declare the four subcommands."""
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        due = commands.add_parser("due", help="起算日后第 DAYS 个工作日（起算日不计）。")
        due.add_argument("start", metavar="START", help="起算日（受理日），YYYY-MM-DD")
        due.add_argument("days", metavar="DAYS", help="工作日数，不小于 0 的整数")

        show = commands.add_parser("show", help="查看某年的状态、通知和例外日。")
        show.add_argument("year", metavar="YEAR", help="年份，例如 2026")

        load = commands.add_parser(
            "import", help="从 YAML 文件发布放假安排（格式见 docs/calendar.md）。"
        )
        load.add_argument("file", metavar="FILE", help="YAML 文件路径")
        load.add_argument("--actor", metavar="USERNAME", help="记入审计日志的操作人用户名")
        load.add_argument("--dry-run", action="store_true", help="只检查文件，不写入")

        seed = commands.add_parser("seed", help="写入 2004–2026 年中尚无记录的年份。")
        seed.add_argument("--actor", metavar="USERNAME", help="记入审计日志的操作人用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        handler = {
            "due": self._due,
            "show": self._show,
            "import": self._import,
            "seed": self._seed,
        }[options["subcommand"]]
        handler(options)

    def _due(self, options: dict[str, Any]) -> None:
        start = _parse_date(options["start"])
        days = _parse_days(options["days"])
        calendar = api.get_calendar()
        try:
            due = calendar.add_working_days(start, days)
            provisional = calendar.depends_on_provisional(start, due)
        except CalendarRangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{due.isoformat()} {PROVISIONAL_MARK}" if provisional else due.isoformat()
        )

    def _show(self, options: dict[str, Any]) -> None:
        year = _parse_year(options["year"])
        calendar = api.get_calendar()
        row = CalendarYear.objects.filter(year=year).first()
        published = row is not None and row.status == CalendarYear.Status.PUBLISHED
        write = self.stdout.write
        status = (
            row.get_status_display() if row is not None and published else str(SHOW_PROVISIONAL)
        )
        write(SHOW_HEADER.format(year=year, status=status))
        if row is not None and row.notice:
            write(SHOW_NOTICE.format(notice=row.notice))
        if row is not None and row.notice_date:
            write(SHOW_NOTICE_DATE.format(day=row.notice_date.isoformat()))
        if row is not None and row.published_at and published:
            moment = timezone.localtime(row.published_at)
            write(SHOW_PUBLISHED_AT.format(moment=f"{moment:%Y-%m-%d %H:%M}"))
        if not published:
            write(str(SHOW_PROVISIONAL_RULE))
        write(SHOW_WORKING_DAYS.format(count=calendar.working_days_in_year(year)))
        if published and row is not None:
            days = [(d.date, DayKind(d.kind), d.festival) for d in row.days.order_by("date")]
            if not days:
                write(str(SHOW_NO_EXCEPTIONS))
                return
            write(SHOW_EXCEPTIONS.format(count=len(days)))
        else:
            days = [
                (day, DayKind(kind), festival_of(day))
                for day, kind in provisional_days(year).items()
            ]
            write(SHOW_STATUTORY.format(count=len(days)))
        for day, kind, festival in days:
            write(
                SHOW_DAY.format(
                    day=day.isoformat(),
                    weekday=WEEKDAYS[day.weekday()],
                    kind=KIND_LABELS[kind],
                    festival=festival,
                )
            )

    def _import(self, options: dict[str, Any]) -> None:
        actor = _actor(options.get("actor"))
        try:
            arrangements = read_arrangements_file(Path(options["file"]))
            if options["dry_run"]:
                for arrangement in arrangements:
                    self.stdout.write(IMPORT_CHECKED.format(**_summary(arrangement)))
                return
            changed = set(calendar_import_arrangements(arrangements=arrangements, actor=actor))
        except ArrangementError as exc:
            raise CommandError(IMPORT_FAILED.format(error=exc)) from exc
        for arrangement in arrangements:
            if arrangement.year in changed:
                self.stdout.write(IMPORTED.format(**_summary(arrangement)))
            else:
                self.stdout.write(IMPORT_UNCHANGED.format(year=arrangement.year))

    def _seed(self, options: dict[str, Any]) -> None:
        seeded = calendar_seed(actor=_actor(options.get("actor")))
        if seeded:
            self.stdout.write(SEEDED.format(years="、".join(str(year) for year in seeded)))
        else:
            self.stdout.write(SEED_NOTHING.format(first=SEED_YEARS[0], last=SEED_YEARS[-1]))


def _parse_date(value: str) -> date:
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_START.format(value=value)) from exc


def _parse_days(value: str) -> int:
    try:
        days = int(value.strip())
    except ValueError as exc:
        raise CommandError(BAD_DAYS.format(value=value)) from exc
    if days < 0:
        raise CommandError(BAD_DAYS.format(value=value))
    return days


def _parse_year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError as exc:
        raise CommandError(BAD_YEAR.format(value=value, first=FIRST_YEAR, last=LAST_YEAR)) from exc
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError(BAD_YEAR.format(value=value, first=FIRST_YEAR, last=LAST_YEAR))
    return year


def _actor(username: str | None) -> AbstractBaseUser | None:
    if not username:
        return None
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
    found = user.first()
    if found is None:
        raise CommandError(UNKNOWN_ACTOR.format(username=username))
    return found


def _summary(arrangement: YearArrangement) -> dict[str, Any]:
    return {
        "year": arrangement.year,
        "notice": arrangement.notice,
        "holidays": len(arrangement.holidays()),
        "makeups": len(arrangement.makeup_days()),
    }
