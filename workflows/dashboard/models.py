"""Computed dashboard figures, kept per scope and local day.

A row is both the cache of a chart (``computed_at`` says how fresh it is and is
shown on the chart) and, for the headline figures, the day's record: the last
value computed on a day is that day's closing value, which the next day's
"change since yesterday" compares against.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """One chart's figures for one scope on one local day."""

    kind = models.CharField(_("图表"), max_length=32)
    scope_key = models.CharField(_("范围"), max_length=64)
    day = models.DateField(_("日期"))
    computed_at = models.DateTimeField(_("计算时间"))
    data = models.JSONField(_("数据"))

    class Meta:
        verbose_name = _("看板数据")
        verbose_name_plural = _("看板数据")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope_key", "day"], name="dashboard_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope_key} {self.day}"
