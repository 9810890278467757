"""The public look-ups' shared log: every guess at a case number's or a booking's digits.

``LookupAttempt`` is both the counter of ``workflows.web.limits`` (the
per-target lock and the per-address slow-down count its rows) and the security
log that the law asks to keep (网络安全法 第二十一条: at least six months, then
purged by ``manage.py purge_retained``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LookupResult(models.TextChoices):
    """What one look-up got."""

    FOUND = "found", _("查询成功")
    WRONG = "wrong", _("编号或校验位不符")
    REFUSED = "refused", _("次数过多，已拒绝")


class LookupScope(models.TextChoices):
    """Which public look-up: each counts its own targets."""

    STATUS = "status", _("办件进度查询（含评价核验）")
    BOOKING = "booking", _("预约查询、取消、改约")


class LookupAttempt(models.Model):
    """One public look-up: the limiter's counter and the security log."""

    scope = models.CharField(_("查询类别"), max_length=16, choices=LookupScope.choices)
    target = models.CharField(_("查询对象（办件编号或预约号）"), max_length=40)
    ip = models.GenericIPAddressField(_("来源地址"))
    result = models.CharField(_("结果"), max_length=16, choices=LookupResult.choices)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("公开查询记录")
        verbose_name_plural = _("公开查询记录")
        ordering: ClassVar[list[str]] = ["-at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["scope", "target", "at"],
                name="web_lookup_wrong_target",
                condition=Q(result="wrong"),
            ),
            models.Index(
                fields=["scope", "ip", "at"],
                name="web_lookup_wrong_ip",
                condition=Q(result="wrong"),
            ),
            models.Index(fields=["at"], name="web_lookup_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.scope} {self.ip} {self.target} {self.result}"
