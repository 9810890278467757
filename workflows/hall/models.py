"""The hall's data: counters, opening hours (regular, 延时, 轮岗, closures), bookings, tickets.

Write only through ``workflows.hall.services``. Hours are data on top of the
working-day calendar (``workflows.calendar``): regular and extended periods
apply on working days (make-up weekend days included), a ``RotaDay`` opens a
rest day, a ``Closure`` shuts any day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, ServiceItem


class Counter(models.Model):
    """A group of windows serving some items (综合窗口, or a department's window)."""

    center = models.ForeignKey(
        Center, verbose_name=_("服务中心"), on_delete=models.CASCADE, related_name="hall_counters"
    )
    code = models.CharField(_("编码"), max_length=16)
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(
        _("号码前缀"), max_length=2, help_text=_("叫号号码的字母前缀，例如 A。")
    )
    windows = models.PositiveSmallIntegerField(_("窗口数"), default=1)
    slot_minutes = models.PositiveSmallIntegerField(_("预约时段（分钟）"), default=30)
    service_minutes = models.PositiveSmallIntegerField(_("每件预计办理时长（分钟）"), default=15)
    items = models.ManyToManyField(
        ServiceItem, verbose_name=_("办理事项"), blank=True, related_name="hall_counters"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=1)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("窗口组")
        verbose_name_plural = _("窗口组")
        ordering = ["center", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="hall_counter_code"),
            models.UniqueConstraint(fields=["center", "prefix"], name="hall_counter_prefix"),
            models.CheckConstraint(
                condition=Q(windows__gte=1, slot_minutes__gte=5, service_minutes__gte=1),
                name="hall_counter_positive",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（%(prefix)s）") % {"name": self.name, "prefix": self.prefix}


class Period(models.TextChoices):
    REGULAR = "regular", _("正常办公")
    EXTENDED = "extended", _("延时服务")
    ROTA = "rota", _("节假日轮岗")


class OpeningPeriod(models.Model):
    """Hours on working days: every working day, or one weekday (a weekly late evening)."""

    center = models.ForeignKey(
        Center, verbose_name=_("服务中心"), on_delete=models.CASCADE, related_name="hall_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期"),
        null=True,
        blank=True,
        choices=[
            (0, _("周一")),
            (1, _("周二")),
            (2, _("周三")),
            (3, _("周四")),
            (4, _("周五")),
            (5, _("周六")),
            (6, _("周日")),
        ],
        help_text=_("为空表示每个工作日（含调休上班的周末）。"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=16,
        choices=[(Period.REGULAR, Period.REGULAR.label), (Period.EXTENDED, Period.EXTENDED.label)],
        default=Period.REGULAR,
    )
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("窗口组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hours",
        help_text=_("为空表示本中心所有窗口组。"),
    )
    windows = models.PositiveSmallIntegerField(
        _("开放窗口数"), null=True, blank=True, help_text=_("为空表示窗口组的窗口数。")
    )

    class Meta:
        verbose_name = _("办公时间")
        verbose_name_plural = _("办公时间")
        ordering = ["center", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="hall_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class RotaDay(models.Model):
    """节假日轮岗: a rest day on which the center opens, with the staff on duty."""

    center = models.ForeignKey(
        Center, verbose_name=_("服务中心"), on_delete=models.CASCADE, related_name="hall_rota"
    )
    date = models.DateField(_("日期"))
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    windows = models.PositiveSmallIntegerField(_("开放窗口数"), default=1)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("值班人员"), blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日轮岗")
        verbose_name_plural = _("节假日轮岗")
        ordering = ["center", "date"]
        constraints = [
            models.UniqueConstraint(fields=["center", "date"], name="hall_rota_day"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="hall_rota_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A one-off closure: no slots and no tickets that day."""

    center = models.ForeignKey(
        Center, verbose_name=_("服务中心"), on_delete=models.CASCADE, related_name="hall_closures"
    )
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("临时闭厅")
        verbose_name_plural = _("临时闭厅")
        ordering = ["center", "date"]
        constraints = [
            models.UniqueConstraint(fields=["center", "date"], name="hall_closure_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Booking(models.Model):
    """预约: one citizen, one item, one slot at one counter."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CHECKED_IN = "checked_in", _("已取号")
        CANCELLED = "cancelled", _("已取消")
        NO_SHOW = "no_show", _("爽约")

    reference = models.CharField(_("预约号"), max_length=12, unique=True)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="bookings")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("时段开始"))
    ends_at = models.DateTimeField(_("时段结束"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)
    phone = models.CharField(_("手机号"), max_length=11)
    needs_help = models.BooleanField(_("需要帮办代办"), default=False)
    help_note = models.CharField(_("帮办说明"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "item"],
                condition=Q(status="booked"),
                name="hall_booking_one_live",
            ),
        ]
        indexes = [
            models.Index(fields=["counter", "starts_at"], name="hall_booking_slot"),
            models.Index(fields=["phone", "status"], name="hall_booking_phone"),
            models.Index(fields=["ip", "created_at"], name="hall_booking_ip"),
        ]

    def __str__(self) -> str:
        return self.reference


class Ticket(models.Model):
    """排队号: a daily serial per counter, from the kiosk, a booking, or a clerk."""

    class Kind(models.TextChoices):
        WALK_IN = "walk_in", _("现场取号")
        BOOKED = "booked", _("预约取号")
        PRIORITY = "priority", _("优先（帮办代办）")

    class Status(models.TextChoices):
        WAITING = "waiting", _("等候中")
        CALLED = "called", _("已叫号")
        DONE = "done", _("已办结")
        MISSED = "missed", _("过号作废")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("日期"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("号码"), max_length=8)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    # The number keeps the prefix of the counter that issued it, also after a transfer.
    # Call order within a counter: rank, then queued_at, then id (see docs/hall.md);
    # the partial index hall_ticket_queue_order holds exactly that order.
    rank = models.PositiveSmallIntegerField(default=2)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    issued_at = models.DateTimeField(_("取号时间"))
    queued_at = models.DateTimeField()
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    last_called_at = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    skips = models.PositiveSmallIntegerField(default=0)
    window = models.CharField(_("窗口"), max_length=20, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="hall_ticket"
    )

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["day", "counter", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "number"], name="hall_ticket_number"),
            models.UniqueConstraint(
                fields=["center", "day", "id_number"],
                condition=Q(status__in=["waiting", "called"]) & ~Q(id_number=""),
                name="hall_ticket_one_live",
            ),
        ]
        indexes = [
            models.Index(
                fields=["counter", "day", "rank", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="hall_ticket_queue_order",
            ),
            models.Index(fields=["center", "day", "last_called_at"], name="hall_ticket_calls"),
            models.Index(
                fields=["called_by", "day"],
                condition=Q(status="called"),
                name="hall_ticket_at_window",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TicketSequence(models.Model):
    """The last serial of a counter on a day (row-locked upsert: gapless)."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counter", "day"], name="hall_sequence_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class SmsMessage(models.Model):
    """A text to a citizen's phone (booking reference, move, cancel), sent after commit."""

    phone = models.CharField(max_length=11)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("预约短信")
        verbose_name_plural = _("预约短信")

    def __str__(self) -> str:
        return self.dedupe_key
