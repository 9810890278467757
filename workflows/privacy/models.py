"""Data-subject requests (个人信息保护法 第四十五条): every export of one person's data, logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SubjectExport(models.Model):
    """One export of everything held about one ID number: who, when, whose (hashed), why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("导出时间"))
    id_number_hash = models.CharField(_("证件号码摘要（HMAC-SHA256）"), max_length=64)
    reason = models.CharField(_("导出事由"), max_length=500)
    counts = models.JSONField(_("导出内容（条数）"), default=dict)
    sha256 = models.CharField(_("导出文件 SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("个人信息导出记录")
        verbose_name_plural = _("个人信息导出记录")
        ordering: ClassVar[list[str]] = ["-at"]
        permissions: ClassVar[list[tuple[str, StrOrPromise]]] = [
            ("export_subject", _("可在管理后台导出某证件号码的全部个人信息")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.id_number_hash[:12]}"
