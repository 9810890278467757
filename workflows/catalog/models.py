"""Centers, departments, service items and the staff who work in them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.catalog.roles import display_name

PROMISED_OVER_STATUTORY = _(
    "承诺时限（%(promised)s 个工作日）不得超过法定时限（%(statutory)s 个工作日）。"
)


class Center(models.Model):
    """A service center (党群/政务服务中心) at one level of the county's tree."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        TOWN = "town", _("镇级")
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村级")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("PY/PY-DZ/PY-DZ-HS/"): a supervisor's scope is
    # one prefix match, indexed, however deep the tree.
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True)
    organ_name = models.CharField(
        _("出具文书的机关名称"),
        max_length=100,
        blank=True,
        help_text=_("印在文书上的机关名称；为空时用中心名称。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=32, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("服务中心")
        verbose_name_plural = _("服务中心")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def in_scope_of(self, other: Center) -> bool:
        """True when this center is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class Department(models.Model):
    """A back-office department (公安, 人社, 医保, 民政, ...)."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("简称"), max_length=50)
    full_name = models.CharField(_("全称"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LimitUnit(models.TextChoices):
    """What a time limit counts (行政许可法第八十二条: working days unless the law says days)."""

    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


class ServiceItem(models.Model):
    """A service item (政务服务事项) with its legal and promised time limits."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("即办件")
        PROMISED = "promised", _("承诺件")
        JOINT = "joint", _("联办件")
        REPORTED = "reported", _("上报件")

    class Delivery(models.TextChoices):
        WINDOW = "window", _("窗口领取")
        POST = "post", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达")

    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("办件类型"), max_length=16, choices=Kind.choices)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(
        _("法定时限"), help_text=_("0 表示即办。")
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("承诺时限"), help_text=_("不得超过法定时限；0 表示即办。")
    )
    statutory_limit_unit = models.CharField(
        _("法定时限单位"),
        max_length=16,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING,
        help_text=_(
            "法律规定按日（自然日）计算的，选自然日；期限最后一日为休息日的，"
            "顺延至休息日结束的次日（民法典第二百零三条）。"
        ),
    )
    promised_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING
    )
    acceptance_day_counts = models.BooleanField(
        _("受理当日计入时限"),
        default=False,
        help_text=_("默认受理次日为第 1 个工作日；部分地方规定受理当日起算。"),
    )
    max_extension_days = models.PositiveSmallIntegerField(
        _("可延长时限（工作日）"),
        default=10,
        help_text=_("经负责人批准可延长一次的最长工作日数（行政许可法第四十二条：10 日）。"),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("黄灯预警（剩余工作日）"),
        default=2,
        help_text=_("承诺期限前多少个工作日亮黄灯；与时限的 20% 取较大者。"),
    )
    extension_needs_head = models.BooleanField(_("延期须负责人批准"), default=True)
    extension_within_promise = models.BooleanField(
        _("仅在承诺期限内可延期"),
        default=False,
        help_text=_(
            "默认依法在法定期限内可申请延期（行政许可法第四十二条）；"
            "地方规定更严格、只允许在承诺期限内延期的，勾选此项。"
        ),
    )
    decision_needs_head = models.BooleanField(_("决定须负责人审批"), default=False)
    fee = models.DecimalField(
        _("收费（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    fee_basis = models.CharField(_("收费依据"), max_length=200, blank=True)
    delivery_options = models.JSONField(
        _("结果送达方式"),
        default=list,
        blank=True,
        help_text=_("可选：window（窗口领取）、post（邮寄）、electronic（电子送达）。"),
    )
    flow = models.CharField(
        _("办理流程"),
        max_length=64,
        blank=True,
        help_text=_("后台审批流程的代码，例如 public_security.household_move。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["department__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="item_promised_within_statutory",
                violation_error_message=_("承诺时限不得超过法定时限。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.department.name}）"

    def clean(self) -> None:
        super().clean()
        if (
            self.promised_limit_days is not None
            and self.statutory_limit_days is not None
            and self.promised_limit_days > self.statutory_limit_days
        ):
            raise ValidationError(
                {
                    "promised_limit_days": PROMISED_OVER_STATUTORY
                    % {"promised": self.promised_limit_days, "statutory": self.statutory_limit_days}
                }
            )
        bad = set(self.delivery_options or []) - set(self.Delivery.values)
        if bad:
            raise ValidationError(
                {
                    "delivery_options": _("未知的送达方式：%(bad)s。")
                    % {"bad": "、".join(sorted(bad))}
                }
            )

    @property
    def is_immediate(self) -> bool:
        return self.kind == self.Kind.IMMEDIATE


class ItemMaterial(models.Model):
    """One line of an item's required-materials checklist."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("原件")
        COPY = "copy", _("复印件")
        BOTH = "both", _("原件及复印件")
        ELECTRONIC = "electronic", _("电子证照")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("原件/复印件"), max_length=16, choices=Form.choices)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    required = models.BooleanField(_("必交"), default=True)
    note = models.CharField(_("要求"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="material_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict[str, object]:
        """The line as stored on a case at acceptance."""
        return {
            "id": self.pk,
            "position": self.position,
            "name": self.name,
            "form": self.form,
            "copies": self.copies,
            "required": self.required,
            "note": self.note,
        }


class StaffProfile(models.Model):
    """Where a staff member works: center, department, rank and phone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    center = models.ForeignKey(
        Center,
        verbose_name=_("所在中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # Higher rank = more senior; decides the 首问责任人 when several are asked together.
    rank = models.PositiveSmallIntegerField(_("职级"), default=1)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return display_name(self.user)
