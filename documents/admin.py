"""Admin: seals and number prefixes per organ; documents (read-only) and their rendering."""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.models import Document, OrganSeal, RenderJob
from documents.services import render_job_retry
from workflows.web.admin_mixins import ReadOnlyMixin

MAX_SEAL_BYTES = 512 * 1024
SEAL_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
SEAL_FORMAT_INVALID = _("印章图片须为 PNG 或 JPEG 格式（建议透明背景的 PNG），不超过 512 KB。")


class OrganSealForm(forms.ModelForm):
    """Upload a seal image; it is checked with Pillow and kept in the database."""

    upload = forms.FileField(
        label=_("上传印章图片"),
        required=False,
        help_text=_(
            "PNG（透明背景）或 JPEG，不超过 512 KB。保存后不能更换："
            "更换印章请新增一条并停用原设置。"
        ),
    )

    class Meta:
        model = OrganSeal
        fields = ["center", "department", "name", "number_prefix", "is_active"]

    def clean_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        data = upload.read()
        if len(data) > MAX_SEAL_BYTES:
            raise forms.ValidationError(SEAL_FORMAT_INVALID)
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(BytesIO(data)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise forms.ValidationError(SEAL_FORMAT_INVALID) from exc
        if kind not in SEAL_FORMATS:
            raise forms.ValidationError(SEAL_FORMAT_INVALID)
        self._seal_type = SEAL_FORMATS[kind]
        return data

    def save(self, commit: bool = True) -> OrganSeal:
        seal: OrganSeal = super().save(commit=False)
        data = self.cleaned_data.get("upload")
        if data and not seal.image_sha256:
            seal.image = data
            seal.image_type = self._seal_type
            seal.image_sha256 = hashlib.sha256(data).hexdigest()
        if commit:
            seal.save()
        return seal


@admin.register(OrganSeal)
class OrganSealAdmin(admin.ModelAdmin):
    form = OrganSealForm
    list_display = ["__str__", "center", "department", "number_prefix", "has_image", "is_active"]
    list_filter = ["is_active"]
    readonly_fields = ["preview", "image_sha256", "created_at"]

    @admin.display(description=_("印章预览"))
    def preview(self, obj: OrganSeal) -> str:
        if not obj.has_image:
            return str(_("未上传：文书印章处显示“未配置电子印章”。"))
        data = base64.b64encode(bytes(obj.image)).decode()
        return format_html(
            '<img src="data:{};base64,{}" style="max-width:160px;max-height:160px">',
            obj.image_type,
            data,
        )

    @admin.display(boolean=True, description=_("已上传印章"))
    def has_image(self, obj: OrganSeal) -> bool:
        return obj.has_image

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_image:
            fields += ["center", "department"]  # issued documents point at this seal
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RenderStateFilter(admin.SimpleListFilter):
    """生成状态: done, waiting, failed for good."""

    title = _("PDF 生成状态")
    parameter_name = "render"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(RenderJob.State.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> QuerySet[Document]:
        value = self.value()
        if value in RenderJob.State.values:
            return queryset.filter(render_job__state=value)
        return queryset


@admin.register(Document)
class DocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "case",
        "issued_at",
        "render_state",
        "render_attempts",
        "is_current",
    ]
    list_filter = [RenderStateFilter, "kind", ("superseded_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "case__number"]
    list_select_related = ["case", "render_job"]
    readonly_fields = [
        "number",
        "kind",
        "case",
        "event",
        "issued_at",
        "issued_by",
        "organ_key",
        "seal",
        "content_sha256",
        "token",
        "superseded_by",
        "superseded_at",
        "superseded_reason",
        "render_error",
        "content",
    ]
    exclude = ["dedupe_key", "year", "serial"]
    actions = ["retry_render"]

    @admin.display(description=_("PDF"))
    def render_state(self, obj: Document) -> str:
        job = getattr(obj, "render_job", None)
        return job.get_state_display() if job else "—"

    @admin.display(description=_("尝试次数"))
    def render_attempts(self, obj: Document) -> int:
        job = getattr(obj, "render_job", None)
        return job.attempts if job else 0

    @admin.display(description=_("最近错误"))
    def render_error(self, obj: Document) -> str:
        job = getattr(obj, "render_job", None)
        return job.last_error if job else ""

    @admin.display(boolean=True, description=_("现行有效"))
    def is_current(self, obj: Document) -> bool:
        return obj.is_current

    @admin.action(description=_("重新生成 PDF（生成失败的）"))
    def retry_render(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        jobs = RenderJob.objects.filter(document__in=queryset, state=RenderJob.State.FAILED)
        count = 0
        for job in jobs:
            render_job_retry(job=job)
            count += 1
        self.message_user(
            request, _("已安排重新生成 %(n)s 份文书。") % {"n": count}, messages.SUCCESS
        )
