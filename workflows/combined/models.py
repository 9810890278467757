"""一件事 bundles as data: which service items one application fans out to.

A bundle is attached to its own ServiceItem (kind 联办, department = the lead
department, 牵头部门), which the parent case is received under; each part is
a sub-item handled by its own department as a child case.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import ServiceItem


class Bundle(models.Model):
    """A 一件事 (e.g. 公民身后一件事) and the service item its parent case uses."""

    item = models.OneToOneField(
        ServiceItem,
        verbose_name=_("主件事项"),
        on_delete=models.PROTECT,
        related_name="bundle",
        help_text=_("联办件事项；其实施部门为牵头部门，负责汇总各子件结果。"),
    )
    description = models.TextField(_("说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=1)
    is_active = models.BooleanField(_("在用"), default=True)
    needs_deceased = models.BooleanField(
        _("须登记逝者"),
        default=False,
        help_text=_("公民身后一件事：受理时登记逝者姓名、身份证号码和死亡日期，供各子项办理。"),
    )

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.item.name

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def name(self) -> str:
        return self.item.name


class Deceased(models.Model):
    """The person a 公民身后一件事 is about: its sub-items (户口注销, 火化证明, …) need them."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("主件"), on_delete=models.CASCADE, related_name="deceased"
    )
    name = models.CharField(_("逝者姓名"), max_length=100)
    id_number = models.CharField(_("逝者身份证号码"), max_length=18)
    date_of_death = models.DateField(_("死亡日期"))

    class Meta:
        verbose_name = _("逝者信息")
        verbose_name_plural = _("逝者信息")

    def __str__(self) -> str:
        return self.name


class BundlePart(models.Model):
    """One sub-item of a bundle, handled by its own department."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="parts")
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("子项事项"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    optional = models.BooleanField(
        _("可选"),
        default=False,
        help_text=_("申请人可以不申请此子项（例如死者没有养老保险个人账户）。"),
    )

    class Meta:
        verbose_name = _("一件事子项")
        verbose_name_plural = _("一件事子项")
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_part_item_unique"),
            models.UniqueConstraint(
                fields=["bundle", "position"], name="bundle_part_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bundle} / {self.item.name}"
