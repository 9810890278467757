"""What the guide publishes beyond the catalogue: aliases, conditions, procedure, hours."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, ServiceItem


class GuideEntry(models.Model):
    """The 十公开 texts of one service item that the catalogue does not hold."""

    item = models.OneToOneField(
        ServiceItem,
        verbose_name=_("服务事项"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="guide",
    )
    aliases = models.CharField(
        _("俗称"),
        max_length=300,
        blank=True,
        help_text=_("群众常说的叫法，用“、”分隔，例如：迁户口、户口迁出。"),
    )
    conditions = models.TextField(_("申请条件"), blank=True)
    procedure = models.TextField(_("办理流程"), blank=True, help_text=_("每行一步。"))
    centers = models.ManyToManyField(
        Center,
        verbose_name=_("可办理的中心"),
        blank=True,
        related_name="guide_entries",
        help_text=_("不选表示所有服务中心均可办理。"),
    )
    # Name, aliases, department and material names in one column, for the search.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")
        indexes = [
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="guide_search_trgm"),
        ]

    def __str__(self) -> str:
        return str(self.item_id)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.replace(",", "、").split("、") if a.strip()]

    def steps(self) -> list[str]:
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]


class CenterHours(models.Model):
    """A center's published opening hours."""

    center = models.OneToOneField(
        Center,
        verbose_name=_("服务中心"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="hours",
    )
    hours = models.CharField(_("办公时间"), max_length=200)

    class Meta:
        verbose_name = _("办公时间")
        verbose_name_plural = _("办公时间")

    def __str__(self) -> str:
        return self.hours
