"""The working-day calendar as data: years, their exception days, and the audit log.

Write only through ``workflows.calendar.services``: they keep the exception
days, the year's status, the audit row and the cache version consistent.
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar.engine import DayKind

KIND_WEEKDAY_MISMATCH = _(
    "放假日（holiday）必须是周一至周五，调休上班日（makeup）必须是周六或周日。"
)
YEAR_OUT_OF_RANGE = _("年份必须在 2000 至 2099 之间。")


class CalendarYear(models.Model):
    """One year of the calendar and the State Council notice that arranged it."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        # A row may stay provisional after a withdrawal: the engine then falls
        # back to the statutory holidays for that year, as for an absent year.
        PROVISIONAL = "provisional", _("暂定")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL
    )
    notice = models.CharField(
        _("放假安排通知"),
        max_length=200,
        blank=True,
        help_text=_("发布该年放假安排的通知文号或标题，例如 国办发明电〔2024〕12号。"),
    )
    notice_date = models.DateField(_("通知日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2099),
                name="workcalendar_year_in_range",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(status="provisional") | Q(published_at__isnull=False),
                name="workcalendar_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"


class ExceptionDay(models.Model):
    """A day that breaks the Monday–Friday rule: a weekday off, or a weekend working day."""

    class Kind(models.TextChoices):
        HOLIDAY = DayKind.HOLIDAY.value, _("放假")
        MAKEUP = DayKind.MAKEUP.value, _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    festival = models.CharField(_("节日"), max_length=64)
    year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("所属年度"),
        help_text=_("安排该日的通知所属年度：元旦假期可从上一年 12 月开始。"),
    )

    class Meta:
        verbose_name = _("例外日")
        verbose_name_plural = _("例外日")
        ordering = ["date"]
        constraints = [
            # ISO weekday: 1 = Monday .. 7 = Sunday. A holiday on a weekend or a
            # make-up day on a weekday would be a no-op that hides a typo.
            models.CheckConstraint(
                condition=(
                    Q(kind="holiday", date__iso_week_day__lte=5)
                    | Q(kind="makeup", date__iso_week_day__gte=6)
                ),
                name="workcalendar_kind_matches_weekday",
                violation_error_message=KIND_WEEKDAY_MISMATCH,
            ),
        ]
        indexes = [models.Index(fields=["year", "date"], name="workcalendar_day_year_idx")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}（{self.festival}）"


class CalendarChange(models.Model):
    """Append-only audit row: who changed which year, how, with the days before and after."""

    class Action(models.TextChoices):
        SEED = "seed", _("初始数据")
        PUBLISH = "publish", _("发布")
        IMPORT = "import", _("导入")
        WITHDRAW = "withdraw", _("撤回")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    year = models.PositiveSmallIntegerField(_("年份"), db_index=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    payload = models.JSONField(_("变更内容"), default=dict)

    class Meta:
        verbose_name = _("日历变更记录")
        verbose_name_plural = _("日历变更记录")
        ordering = ["-at", "-id"]
        triggers = [
            # Only the actor may be cleared (SET_NULL when a user is deleted).
            pgtrigger.Protect(
                name="workcalendar_change_append_only",
                operation=pgtrigger.Delete,
            ),
            pgtrigger.Protect(
                name="workcalendar_change_immutable",
                operation=pgtrigger.Update,
                condition=(pgtrigger.AnyChange("at", "year", "action", "payload")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_action_display()} @ {self.at:%Y-%m-%d %H:%M}"


class CalendarVersion(models.Model):
    """A single row whose token changes with every calendar write.

    Other processes compare it with the token of their cached calendar. A
    random token, not a counter: a rolled-back write must never produce a
    token that a later commit could reuse.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField(default=uuid.uuid4)
    counter = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="workcalendar_version_single")
        ]

    def __str__(self) -> str:
        return f"v{self.counter}"
