"""Systems that call the API, what they did, what they subscribed to, and what they shared."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import Center, ItemMaterial

# Scopes a system may hold (OAUTH2_PROVIDER["SCOPES"] lists them with their labels).
SCOPE_CATALOG = "catalog:read"
SCOPE_APPLY = "applications:write"
SCOPE_CASES = "cases:read"
SCOPE_WEBHOOKS = "webhooks"
SCOPE_RATINGS = "ratings:read"
SCOPE_BOOKINGS = "bookings:read"
SCOPE_BOOK = "bookings:write"


class ApiClient(models.Model):
    """A system allowed to call the API: its OAuth2 application, scope and service account.

    ``user`` is the system's own service account (a window clerk of ``center``
    with no usable password): the cases services check it exactly as they
    check a clerk, so an online application obeys the window's rules.
    """

    name = models.CharField(_("系统名称"), max_length=100, unique=True)
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="api_client"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    center = models.ForeignKey(
        Center,
        verbose_name=_("所属中心"),
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("系统只能看到本中心及下级中心的办件，网上申请由本中心收件。"),
    )
    scopes = models.CharField(
        _("权限范围"),
        max_length=200,
        help_text=_("以空格分隔，例如：applications:write cases:read"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")

    def __str__(self) -> str:
        return self.name


class ApiCall(models.Model):
    """One audited API call, with the calling system's identity."""

    client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    idempotency_key = models.CharField(max_length=100, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotentRequest(models.Model):
    """The answer to a POST with an Idempotency-Key, replayed for a repeat."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    headers = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotent_key"),
        ]

    def __str__(self) -> str:
        return self.key


class OnlineApplication(models.Model):
    """A case that arrived through the API (channel 网上) rather than at the window."""

    CHANNEL = "online"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="online")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="applications")
    external_ref = models.CharField(_("对方业务编号"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网上申请")
        verbose_name_plural = _("网上申请")

    def __str__(self) -> str:
        return self.case.number


def _upload_to(instance: ApplicationFile, filename: str) -> str:
    return f"applications/{instance.application.case.number}/{uuid.uuid4().hex}"


class ApplicationFile(models.Model):
    """One uploaded material of an online application."""

    application = models.ForeignKey(
        OnlineApplication, on_delete=models.PROTECT, related_name="files"
    )
    material = models.ForeignKey(
        CaseMaterial, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A system's webhook: where to send which case events, signed with its own secret."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("接收地址"), max_length=500)
    events = models.JSONField(_("订阅事件"), default=list)
    secret = models.CharField(max_length=100, default=_new_secret)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """Outbox row: one event for one subscription, written in the event's transaction."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("已放弃")

    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(max_length=50)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("事件推送")
        verbose_name_plural = _("事件推送")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per HTTP attempt."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"


class SharedSource(models.Model):
    """Another system that holds records a checklist line can be taken from (免提交)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(
        _("名称"), max_length=100, help_text=_("例如：电子证照库、户籍系统、社保系统。")
    )
    url = models.URLField(_("查询地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=200)
    timeout_seconds = models.FloatField(_("超时（秒）"), default=3.0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("共享数据源")
        verbose_name_plural = _("共享数据源")

    def __str__(self) -> str:
        return self.name


class ShareableMaterial(models.Model):
    """A checklist line that can be obtained from a source instead of on paper."""

    material = models.OneToOneField(
        ItemMaterial, on_delete=models.CASCADE, related_name="shared_from"
    )
    source = models.ForeignKey(SharedSource, on_delete=models.PROTECT, related_name="materials")
    licence_type = models.CharField(_("证照类型"), max_length=60)

    class Meta:
        verbose_name = _("可共享材料")
        verbose_name_plural = _("可共享材料")

    def __str__(self) -> str:
        return f"{self.material} ← {self.source}"


class SharedMaterial(models.Model):
    """A record a source returned for a case: attached instead of the paper."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shared_materials")
    material = models.ForeignKey(
        CaseMaterial, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    source = models.ForeignKey(SharedSource, on_delete=models.PROTECT, related_name="+")
    licence_number = models.CharField(_("证照编号"), max_length=100)
    fetched_at = models.DateTimeField(_("获取时间"))
    sha256 = models.CharField(max_length=64)
    record = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("共享材料")
        verbose_name_plural = _("共享材料")

    def __str__(self) -> str:
        return self.licence_number
