"""Printed documents (文书): their numbers, content records, stored PDFs and seals.

A document is issued inside the transaction of the case step that needs it:
its number, its content record (exactly what is printed) with that record's
SHA-256 and the signed QR token are written there, with an outbox row
(RenderJob). The PDF is rendered after commit and stored once (DocumentFile,
which PostgreSQL refuses to update or delete). Nothing here decides anything
about a case.
"""

from __future__ import annotations

from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case, CaseEvent
from workflows.catalog.models import Center, Department


class DocumentKind(models.TextChoices):
    """The documents the law asks for, plus the internal supervision order.

    The labels are the printed titles; their characters must be in
    ``documents.fonts.TITLE_TEXT`` (the bold face holds only those).
    """

    ACCEPTANCE = "acceptance", _("受理通知书")
    CORRECTION = "correction", _("补正材料通知书")
    REJECTION = "rejection", _("不予受理决定书")
    EXTENSION = "extension", _("延期办理告知书")
    SPECIAL = "special", _("特别程序告知书")
    COMPLETION = "completion", _("办结通知书")
    SUPERVISION = "supervision", _("督办单")


class Variant(models.TextChoices):
    """How a document is laid out: A4 (GB/T 9704 margins) or an 80 mm ticket."""

    A4 = "a4", _("A4")
    TICKET = "ticket", _("80 mm 热敏小票")


class OrganSeal(models.Model):
    """An organ's electronic seal and document-number prefix (文号机关代字).

    Keyed to a center (documents the window issues), a department (documents
    the department issues, county-wide) or both (a department's seal used at
    one center). The image is kept in the database, never under MEDIA_ROOT,
    so it is never served as a file. A seal is replaced by adding a new row
    and deactivating the old one: issued documents keep pointing at the seal
    they were issued with.
    """

    center = models.ForeignKey(
        Center,
        verbose_name=_("服务中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(
        _("印章名称"),
        max_length=100,
        blank=True,
        help_text=_("例如：平远县党群服务中心受理专用章。"),
    )
    number_prefix = models.CharField(
        _("文号机关代字"),
        max_length=20,
        blank=True,
        help_text=_(
            "文书编号的机关代字，例如“平远”得到“平远受字〔2026〕000123号”；为空时由机关名称推出。"
        ),
    )
    image = models.BinaryField(_("印章图片"), blank=True, default=b"", editable=False)
    image_type = models.CharField(_("图片类型"), max_length=20, blank=True, editable=False)
    image_sha256 = models.CharField(_("图片 SHA-256"), max_length=64, blank=True, editable=False)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子印章与文号")
        verbose_name_plural = _("电子印章与文号")
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False) | Q(department__isnull=False),
                name="organ_seal_has_owner",
                violation_error_message=_("请选择服务中心或部门（或两者）。"),
            ),
            # One active configuration per owner; replacing a seal deactivates the old row.
            models.UniqueConstraint(
                fields=["center", "department"],
                condition=Q(is_active=True),
                nulls_distinct=False,
                name="organ_seal_one_active",
                violation_error_message=_("该机关已有在用的印章设置，请先停用原设置。"),
            ),
        ]

    def __str__(self) -> str:
        owner = " / ".join(str(o) for o in (self.center, self.department) if o is not None)
        return self.name or owner

    @property
    def has_image(self) -> bool:
        return bool(self.image_sha256)


class DocumentSequence(models.Model):
    """The last serial used per organ, kind and year (gapless document numbers)."""

    organ_key = models.CharField(max_length=40)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organ_key", "kind", "year"], name="document_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ_key} {self.kind} {self.year}: {self.last}"


class Document(models.Model):
    """One issued document: number, content record, its hash and signed token."""

    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="documents"
    )
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("办件记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A second issue with the same key for the same case and kind returns the first.
    dedupe_key = models.CharField(max_length=100)
    organ_key = models.CharField(_("出具机关"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("流水号"))
    number = models.CharField(_("文书编号"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seal = models.ForeignKey(
        OrganSeal,
        verbose_name=_("印章"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Exactly what is printed (personal data already masked as printed).
    content = models.JSONField(_("文书内容"))
    content_sha256 = models.CharField(_("内容 SHA-256"), max_length=64)
    token = models.CharField(_("核验令牌"), max_length=400)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("被替代于"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    superseded_reason = models.CharField(_("失效原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["case", "issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ_key", "kind", "year", "serial"], name="document_serial_unique"
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "dedupe_key"], name="document_dedupe_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["case", "kind"], name="document_case_kind"),
        ]
        triggers = [
            pgtrigger.Protect(name="document_no_delete", operation=pgtrigger.Delete),
            # Only the supersession fields may ever change after issue.
            pgtrigger.ReadOnly(
                name="document_issued_read_only",
                exclude=["superseded_by", "superseded_at", "superseded_reason"],
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class DocumentFile(models.Model):
    """The rendered PDF of a document in one variant: stored once, never changed."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    variant = models.CharField(max_length=8, choices=Variant.choices, default=Variant.A4)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    rendered_at = models.DateTimeField()
    render_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书 PDF")
        verbose_name_plural = _("文书 PDF")
        constraints = [
            models.UniqueConstraint(fields=["document", "variant"], name="document_file_unique"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="document_file_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.variant}"


class RenderJob(models.Model):
    """Outbox row: render a document's PDF after the issuing transaction commits."""

    class State(models.TextChoices):
        PENDING = "pending", _("待生成")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="render_job")
    dedupe_key = models.CharField(max_length=100, unique=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文书生成任务")
        verbose_name_plural = _("文书生成任务")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["next_attempt_at"],
                name="render_job_pending",
                condition=Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dedupe_key} {self.state}"


class DocumentPrint(models.Model):
    """Who delivered which document PDF when: the first print and every reprint."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="prints")
    variant = models.CharField(max_length=8, choices=Variant.choices, default=Variant.A4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reprint = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("打印记录")
        verbose_name_plural = _("打印记录")
        ordering = ["document", "at"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.variant} {'reprint' if self.reprint else 'print'}"
