"""首问负责制: consultations, tracked referrals, their escalation, and the public lookup log.

A ``Consultation`` (咨询登记) is the record rule 10 asks for: who was asked
(the 首问责任人, the senior one when several staff were asked together, with
everyone present recorded), when, by which channel, the citizen's name and
phone, the matter and what became of it. A ``Referral`` (转办) is a tracked
hand-off with an acknowledgement deadline; it never ends without an answer, a
case, or a reasoned refusal that returns it to the first responder. The sweep
writes one ``ReferralEscalation`` per late referral: the one-to-one key is the
exactly-once guarantee. ``ConsultationEvent`` is the append-only trail of all
of it. Lookups on the citizens' status page are logged and limited by
``workflows.web.limits`` (its ``LookupAttempt`` rows).

``Consultation.status`` and ``Referral.state`` are protected django-fsm
fields: they change only through the ``@transition`` methods below, which
only ``workflows.firstquestion.services`` calls (refusing clearly when a
transition may not run), never by assignment.

Over 400 lines on purpose: the app's six tables and the two lifecycles are
read together (constraints, indexes and transitions sit beside the fields
they guard), as ``workflows/cases/models.py`` keeps the case's.
"""

from __future__ import annotations

from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.cases.models import Case
from workflows.catalog.models import Center, Department, ServiceItem

# Re-exported: the status page's outcomes are the limiter's.
from workflows.web.models import LookupResult as LookupResult


class Channel(models.TextChoices):
    """How the citizen asked."""

    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网上咨询")


class ConsultationStatus(models.TextChoices):
    """Where a consultation stands."""

    ANSWERED = "answered", _("已解答")
    REFERRED = "referred", _("已转办")
    RETURNED = "returned", _("转办退回，待首问责任人处理")
    APPLICATION = "application", _("待窗口收件")
    CASE = "case", _("已转为办件")


# Consultations the first responder still has to see through.
CONSULTATION_OPEN = (
    ConsultationStatus.REFERRED,
    ConsultationStatus.RETURNED,
    ConsultationStatus.APPLICATION,
)


class Consultation(ConcurrentTransitionMixin, models.Model):
    """咨询登记: one citizen's question to staff, and what became of it."""

    channel = models.CharField(_("咨询方式"), max_length=16, choices=Channel.choices)
    citizen_name = models.CharField(_("咨询人"), max_length=100)
    citizen_phone = models.CharField(_("联系电话"), max_length=32)
    matter = models.TextField(_("咨询事项"))
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 首问责任人: the senior one of the staff asked together (docs/design-notes/domain.md §2.1).
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="first_questions",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Every staff member asked together, the first responder included.
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("在场工作人员"),
        related_name="+",
        blank=True,
    )
    # The first responder's center when logged: scopes supervisors and window clerks.
    center = models.ForeignKey(
        Center,
        verbose_name=_("所在中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set once when logged (answered, referred or an application), then by transitions only.
    status = FSMField(
        _("状态"),
        max_length=16,
        choices=ConsultationStatus.choices,
        editable=False,
        protected=True,
    )
    answer = models.TextField(_("解答内容"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解答人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("解答时间"), null=True, blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    # NULL when absent: the partial unique index covers only real keys (double submit).
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("咨询登记")
        verbose_name_plural = _("咨询登记")
        ordering = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["first_responder", "status"], name="fq_consultation_responder"),
            models.Index(fields=["center", "created_at"], name="fq_consultation_center"),
        ]

    def __str__(self) -> str:
        return f"{_('咨询')} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in CONSULTATION_OPEN

    # ------------------------------------------------------------ transitions
    # Only workflows.firstquestion.services calls these; they change nothing but status.

    @transition(
        field=status,
        source=[ConsultationStatus.RETURNED, ConsultationStatus.APPLICATION],
        target=ConsultationStatus.REFERRED,
    )
    def refer(self) -> None:
        """转办 (again, after a refusal, or instead of an application)."""

    @transition(field=status, source=list(CONSULTATION_OPEN), target=ConsultationStatus.ANSWERED)
    def mark_answered(self) -> None:
        """The citizen was answered, by the first responder or the referral's receiver."""

    @transition(
        field=status, source=ConsultationStatus.REFERRED, target=ConsultationStatus.RETURNED
    )
    def return_to_first_responder(self) -> None:
        """The receiver declined the referral: back to the first responder."""

    @transition(
        field=status, source=ConsultationStatus.RETURNED, target=ConsultationStatus.APPLICATION
    )
    def apply(self) -> None:
        """转为申请: the window's intake comes next."""

    @transition(
        field=status,
        source=[ConsultationStatus.ANSWERED, *CONSULTATION_OPEN],
        target=ConsultationStatus.CASE,
    )
    def become_case(self) -> None:
        """The window received the application: the consultation is a case now."""


class TargetKind(models.TextChoices):
    """Whom a referral goes to."""

    DEPARTMENT = "department", _("部门")
    WINDOW = "window", _("窗口")
    PERSON = "person", _("同事")


class ReferralState(models.TextChoices):
    """A referral's lifecycle: it always ends answered, as a case, or declined."""

    PENDING = "pending", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收，办理中")
    ANSWERED = "answered", _("已答复")
    CASE = "case", _("已转为办件")
    DECLINED = "declined", _("已退回首问责任人")


REFERRAL_OPEN = (ReferralState.PENDING, ReferralState.ACKNOWLEDGED)


class Referral(ConcurrentTransitionMixin, models.Model):
    """转办: a tracked hand-off of a consultation to a department, a window or a colleague."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_kind = models.CharField(_("转办对象"), max_length=16, choices=TargetKind.choices)
    to_department = models.ForeignKey(
        Department,
        verbose_name=_("转至部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_center = models.ForeignKey(
        Center,
        verbose_name=_("转至窗口（中心）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转至同事"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    note = models.TextField(_("转办说明"), blank=True)
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=ReferralState.choices,
        editable=False,
        protected=True,
    )
    created_at = models.DateTimeField(_("转办时间"))
    ack_due_at = models.DateTimeField(_("签收期限"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("答复内容"), blank=True)
    decline_reason = models.TextField(_("退回理由"), blank=True)
    # Set by the sweep together with the ReferralEscalation row (the real guard).
    escalated_at = models.DateTimeField(_("超时督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One open hand-off at a time: a consultation is never in two hands.
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(state__in=["pending", "acknowledged"]),
                name="fq_one_open_referral",
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_kind="department", to_department__isnull=False)
                    | Q(target_kind="window", to_center__isnull=False)
                    | Q(target_kind="person", to_user__isnull=False)
                ),
                name="fq_referral_has_target",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The sweep's only scan: unacknowledged, not yet escalated, by deadline.
            models.Index(
                fields=["ack_due_at"],
                name="fq_referral_ack_due",
                condition=Q(state="pending", escalated_at__isnull=True),
            ),
            models.Index(
                fields=["to_department", "state"],
                name="fq_referral_open_dept",
                condition=Q(state__in=["pending", "acknowledged"]),
            ),
            models.Index(
                fields=["to_center", "state"],
                name="fq_referral_open_center",
                condition=Q(state__in=["pending", "acknowledged"]),
            ),
            models.Index(
                fields=["to_user", "state"],
                name="fq_referral_open_user",
                condition=Q(state__in=["pending", "acknowledged"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('转办')} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in REFERRAL_OPEN

    # ------------------------------------------------------------ transitions
    # Only workflows.firstquestion.services calls these; they change nothing but state.

    @transition(field=state, source=ReferralState.PENDING, target=ReferralState.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        """签收: the receiver has it (stops the escalation clock)."""

    @transition(field=state, source=list(REFERRAL_OPEN), target=ReferralState.ANSWERED)
    def mark_answered(self) -> None:
        """Answered, by the receiver or by the first responder."""

    @transition(field=state, source=list(REFERRAL_OPEN), target=ReferralState.CASE)
    def become_case(self) -> None:
        """The consultation became a case at the window."""

    @transition(field=state, source=list(REFERRAL_OPEN), target=ReferralState.DECLINED)
    def decline(self) -> None:
        """退回: not the receiver's business, with a reason."""


class ReferralEscalation(models.Model):
    """A referral not acknowledged in time: exactly one per referral (one-to-one key)."""

    referral = models.OneToOneField(
        Referral, verbose_name=_("转办"), on_delete=models.PROTECT, related_name="escalation"
    )
    created_at = models.DateTimeField(_("督办时间"))
    ack_due_at = models.DateTimeField(_("签收期限"))
    # As it stood at the breach, for accountability.
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("转办超时督办")
        verbose_name_plural = _("转办超时督办")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('转办超时')} #{self.referral_id}"


class ConsultationEvent(models.Model):
    """One step of a consultation or its referrals: append-only (PostgreSQL refuses changes)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="events")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["consultation", "created_at", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["consultation", "created_at"], name="fq_event_consultation"),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(
                name="fq_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.action}"


class LastSeen(models.Model):
    """When a staff member last looked at 我的首问 (what changed is shown from here)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_question_seen"
    )
    seen_at = models.DateTimeField(_("上次查看时间"))

    class Meta:
        verbose_name = _("我的首问查看时间")
        verbose_name_plural = _("我的首问查看时间")

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at:%Y-%m-%d %H:%M}"
