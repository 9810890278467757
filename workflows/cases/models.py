"""The case (办件), what was received with it, its clock and its audit trail.

``Case.status`` is the case's standing in law and changes only through the
services in ``workflows.cases.services`` (django-fsm transitions guarded by
ConcurrentTransitionMixin). Due dates are derived from the acceptance time,
the snapshotted limits, the suspensions and the approved extension, and cached
here for indexed queries; nothing edits them by hand.

Over 400 lines on purpose: these tables are one schema (the case, its materials,
suspensions, extensions, sequence, receipts and trail with its triggers), and
splitting them would only spread the constraints that tie them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.cases.actions import CaseAction
from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem

if TYPE_CHECKING:
    from datetime import datetime


class Status(models.TextChoices):
    """The lifecycle of docs/design-notes/design.md."""

    RECEIVED = "received", _("已收件")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    SUSPENDED = "suspended", _("特别程序中")
    DECIDED = "decided", _("已办结待送达")
    CLOSED = "closed", _("已送达")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


# The clock runs in these states (suspended pauses it but the case is open).
RUNNING = (Status.ACCEPTED, Status.IN_PROGRESS)
OPEN = (*RUNNING, Status.SUSPENDED)
BEFORE_ACCEPTANCE = (Status.RECEIVED, Status.AWAITING_CORRECTION)
FINAL = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


class Decision(models.TextChoices):
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    PASSPORT = "passport", _("护照")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    USCC = "uscc", _("统一社会信用代码")
    OTHER = "other", _("其他")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class OverdueReason(models.TextChoices):
    APPLICANT_DELAY = "applicant_delay", _("申请人原因（未按时补充材料或领取）")
    COMPLEX_CASE = "complex_case", _("情况复杂，需进一步核实")
    OTHER_DEPARTMENT = "other_department", _("需其他部门协助，回复不及时")
    SYSTEM_FAILURE = "system_failure", _("系统或设备故障")
    STAFF_SHORTAGE = "staff_shortage", _("人员不足或工作积压")
    OTHER = "other", _("其他原因")


class Case(ConcurrentTransitionMixin, models.Model):
    """A citizen's application for one service item, from receipt to delivery."""

    number = models.CharField(_("办件编号"), max_length=40, unique=True, editable=False)
    center = models.ForeignKey(
        Center, verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="cases"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="cases"
    )
    # Denormalised from the item so an officer's inbox is one indexed filter.
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="cases"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("一件事主件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = FSMField(
        _("状态"), max_length=32, choices=Status.choices, default=Status.RECEIVED, editable=False
    )

    applicant_kind = models.CharField(
        _("申请人类型"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_id_type = models.CharField(
        _("证件类型"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    applicant_id_number = models.CharField(_("证件号码"), max_length=40)
    applicant_phone = models.CharField(_("联系电话"), max_length=32)
    applicant_address = models.CharField(_("地址"), max_length=200, blank=True)
    applicant_legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)

    agent_name = models.CharField(_("代办人"), max_length=100, blank=True)
    agent_id_type = models.CharField(
        _("代办人证件类型"), max_length=16, choices=IdType.choices, blank=True
    )
    agent_id_number = models.CharField(_("代办人证件号码"), max_length=40, blank=True)
    agent_phone = models.CharField(_("代办人电话"), max_length=32, blank=True)
    agent_authorisation = models.CharField(_("授权委托"), max_length=200, blank=True)

    received_at = models.DateTimeField(_("收件时间"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 首问负责制: set at receipt, changed only by case_reassign_first_responder.
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="first_responder_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    correction_requested_at = models.DateTimeField(_("告知补正时间"), null=True, blank=True)
    supplemented_at = models.DateTimeField(_("补正材料收齐时间"), null=True, blank=True)
    # Items named in the one and only correction notice (一次性告知).
    correction_items = models.JSONField(_("补正内容"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision = models.CharField(_("办理结果"), max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("结果说明"), blank=True)
    # Working days the clock ran until the decision (pauses excluded): for statistics.
    decision_working_days = models.PositiveSmallIntegerField(
        _("办理用时（工作日）"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    competent_organ = models.CharField(_("有权受理机关"), max_length=200, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    closed_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送达确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_note = models.CharField(_("送达说明"), max_length=200, blank=True)
    overdue_reason = models.CharField(
        _("超期原因"), max_length=32, choices=OverdueReason.choices, blank=True
    )
    overdue_reason_text = models.TextField(_("超期原因说明"), blank=True)

    # Snapshot of the item at acceptance: later catalogue edits don't move clocks.
    item_snapshot = models.JSONField(_("事项快照"), default=dict, blank=True, editable=False)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限"), null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限"), null=True, blank=True)

    # Derived clock, cached for indexed queries (see workflows.cases.clock).
    deemed_acceptance_at = models.DateTimeField(_("视为受理时点"), null=True, blank=True)
    warn_at = models.DateTimeField(_("黄灯时点"), null=True, blank=True)
    promised_due_at = models.DateTimeField(_("承诺办结期限"), null=True, blank=True)
    statutory_due_at = models.DateTimeField(_("法定办结期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期"), default=0)
    # Highest warning level already raised: 0 green, 1 yellow, 2 red, 3 statutory red.
    alert_level = models.PositiveSmallIntegerField(_("预警级别"), default=0)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["center", "status"], name="case_center_status"),
            models.Index(fields=["department", "status"], name="case_department_status"),
            models.Index(fields=["first_responder", "status"], name="case_first_responder"),
            # The sweep's hot paths: only open cases, ordered by the moment they change colour.
            models.Index(
                fields=["warn_at"],
                name="case_open_warn",
                condition=Q(status__in=list(RUNNING), alert_level__lt=1),
            ),
            models.Index(
                fields=["promised_due_at"],
                name="case_open_promised",
                condition=Q(status__in=list(RUNNING), alert_level__lt=2),
            ),
            models.Index(
                fields=["statutory_due_at"],
                name="case_open_statutory",
                condition=Q(status__in=list(RUNNING), alert_level__lt=3),
            ),
            models.Index(
                fields=["deemed_acceptance_at"],
                name="case_deemed_acceptance",
                condition=Q(status=Status.RECEIVED, deemed_acceptance_at__isnull=False),
            ),
            # The 我的首问 menu badge on every page: only the open cases that turned
            # yellow or red, so its count costs the same at any size of the table.
            models.Index(
                fields=["first_responder"],
                name="case_first_responder_alerted",
                condition=Q(status__in=list(OPEN), alert_level__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name if self.item_id else ''}".strip()

    @property
    def promised_due_provisional(self) -> bool:
        """The promised due date is 暂定 (its year's holidays are not published yet)."""
        return self._date_provisional(self.promised_due_at)

    @property
    def statutory_due_provisional(self) -> bool:
        """The statutory due date is 暂定 (its year's holidays are not published yet)."""
        return self._date_provisional(self.statutory_due_at)

    def _date_provisional(self, due_at: datetime | None) -> bool:
        if not self.due_provisional:
            return False
        from workflows.calendar.api import get_calendar
        from workflows.cases.clock import due_is_provisional

        return due_is_provisional(self.accepted_at, due_at, get_calendar())

    # ------------------------------------------------------------ transitions
    # Only workflows.cases.services calls these; they change nothing but status.

    @transition(field=status, source=Status.RECEIVED, target=Status.ACCEPTED)
    def accept(self) -> None:
        """受理."""

    @transition(field=status, source=Status.RECEIVED, target=Status.AWAITING_CORRECTION)
    def request_correction(self) -> None:
        """一次性告知补正."""

    @transition(field=status, source=Status.AWAITING_CORRECTION, target=Status.RECEIVED)
    def supplement(self) -> None:
        """补正材料收齐."""

    @transition(field=status, source=Status.RECEIVED, target=Status.REJECTED)
    def reject(self) -> None:
        """不予受理."""

    @transition(field=status, source=Status.ACCEPTED, target=Status.IN_PROGRESS)
    def start(self) -> None:
        """部门开始办理."""

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.SUSPENDED)
    def suspend(self) -> None:
        """进入特别程序."""

    @transition(field=status, source=Status.SUSPENDED, target=Status.IN_PROGRESS)
    def resume(self) -> None:
        """特别程序结束."""

    @transition(field=status, source=[Status.ACCEPTED, Status.IN_PROGRESS], target=Status.DECIDED)
    def decide(self) -> None:
        """作出决定（办结）."""

    @transition(field=status, source=Status.DECIDED, target=Status.CLOSED)
    def close(self) -> None:
        """结果送达申请人."""

    @transition(
        field=status,
        source=[*BEFORE_ACCEPTANCE, *OPEN],
        target=Status.WITHDRAWN,
    )
    def withdraw(self) -> None:
        """申请人撤回或逾期未补正."""


class CaseMaterial(models.Model):
    """One line of the materials checklist as received at the window."""

    # The same forms as the checklist line it answers.
    Form = ItemMaterial.Form

    class State(models.TextChoices):
        RECEIVED = "received", _("已收")
        MISSING = "missing", _("缺少")
        DEFECTIVE = "defective", _("不符合要求")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        ItemMaterial, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("原件/复印件"), max_length=16, choices=Form.choices)
    copies = models.PositiveSmallIntegerField(_("份数"), default=0)
    pages = models.PositiveSmallIntegerField(_("页数"), default=0)
    required = models.BooleanField(_("必交"), default=True)
    state = models.CharField(_("情况"), max_length=16, choices=State.choices)
    problem = models.CharField(_("需补正的内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收件材料")
        verbose_name_plural = _("收件材料")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_material_position"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        """The line as written into events and documents."""
        return {
            "position": self.position,
            "name": self.name,
            "form": self.form,
            "copies": self.copies,
            "pages": self.pages,
            "required": self.required,
            "state": self.state,
            "problem": self.problem,
        }


class CaseSequence(models.Model):
    """The last serial number used per center and year (gapless numbering)."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="case_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.center.code}-{self.year}: {self.last}"


class Suspension(models.Model):
    """A special procedure (特别程序) that pauses the clock (行政许可法第四十五条)."""

    class Procedure(models.TextChoices):
        HEARING = "hearing", _("听证")
        TENDER = "tender", _("招标")
        AUCTION = "auction", _("拍卖")
        INSPECTION = "inspection", _("检验")
        TESTING = "testing", _("检测")
        QUARANTINE = "quarantine", _("检疫")
        APPRAISAL = "appraisal", _("鉴定")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        PUBLIC_NOTICE = "public_notice", _("公示")
        SURVEY = "survey", _("实地核查")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    procedure = models.CharField(_("特别程序"), max_length=32, choices=Procedure.choices)
    expected_days = models.PositiveSmallIntegerField(_("预计所需工作日"))
    reason = models.TextField(_("说明"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set once by the sweep when the procedure runs past its expected days (one warning).
    overrun_warned_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["case", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_open_suspension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_procedure_display()}"


class Extension(models.Model):
    """The one extension a case may get (行政许可法第四十二条), requested then approved."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("延期理由"))
    state = models.CharField(_("审批状态"), max_length=16, choices=State.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # False when approved after the promised date had passed: the broken promise
    # stays broken (the case counts as late on it); only the statutory date moves.
    extends_promise = models.BooleanField(_("延长承诺期限"), default=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        constraints = [
            # One extension request per case, whatever became of it (第四十二条: 延长一次);
            # the same rule case_request_extension enforces.
            models.UniqueConstraint(fields=["case"], name="one_extension_request_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} +{self.days}"


class CaseEvent(models.Model):
    """One audited step of a case: append-only and hash-chained per case.

    PostgreSQL refuses UPDATE, DELETE and TRUNCATE on this table (pgtrigger, and the
    application's role has only SELECT and INSERT: ``create_app_role``); each row's
    hash is an HMAC, keyed outside the database, over its content and the previous
    row's hash, and signed checkpoints of every chain's head are kept outside the
    database, so ``manage.py verify_audit`` finds any row forged, altered, removed or
    truncated behind the database's back (``workflows.cases.audit``).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=40, choices=CaseAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("原状态"), max_length=32, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    clock = models.JSONField(_("时限状态"), default=dict, blank=True)
    # NULL (not "") when absent, so the partial unique index only covers real keys.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(max_length=64, blank=True)
    # Which HMAC key (settings.ONEWINDOW_AUDIT_KEYS) made ``hash``; "" = unkeyed (legacy).
    key_id = models.CharField(max_length=16, blank=True, default="")
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")
        ordering = ["case", "seq"]
        indexes: ClassVar[list[models.Index]] = [
            # The 我的首问 badge after a visit: the alerts since then, not all events.
            models.Index(
                fields=["created_at"], name="case_event_alert_at", condition=Q(action="alert")
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq"),
            models.UniqueConstraint(
                fields=["case", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="case_event_idempotency",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="case_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
            pgtrigger.Trigger(
                name="case_event_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func="RAISE EXCEPTION 'Cannot truncate the audit trail %', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


class IdempotentReceipt(models.Model):
    """Which case a client's receive request created, so a retry returns it."""

    key = models.CharField(max_length=100, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
