"""好差评: ratings of a case, the rectification (整改) of every bad one, and the push outbox.

A ``RatingInvitation`` exists once a case reaches a rating moment (after
acceptance, after completion): it carries the short code printed on the
notice. A ``Rating`` is one citizen's word (or the default after the rating
period), replaced within a window by a newer one (the old row stays, not
current). A 差评 opens one ``Rectification`` whose clocks run in working days.
Every step is one ``RatingEvent`` (append-only). ``PushRecord`` is the outbox
of records for the provincial 好差评 platform, written in the same transaction.

Over 400 lines on purpose: these tables are one schema (invitation, rating,
整改, appeal, escalation, trail with its trigger, push outbox), tied by foreign
keys and unique constraints, and splitting them would only spread those apart.
"""

from __future__ import annotations

from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case
from workflows.catalog.models import Center, Department, ServiceItem


class Level(models.IntegerChoices):
    """The five national levels (GB/T 39734-2020 7.3), as 5 to 1 stars."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# 不满意 and 非常不满意 are 差评.
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED)


class Moment(models.TextChoices):
    """When the citizen is asked."""

    ACCEPTANCE = "acceptance", _("受理后评价")
    COMPLETION = "completion", _("办结后评价")


class Channel(models.TextChoices):
    """How the rating reached us."""

    QR = "qr", _("扫描文书二维码")
    CODE = "code", _("输入评价码")
    SMS = "sms", _("短信链接")
    WINDOW = "window", _("窗口评价器")
    DEFAULT = "default", _("逾期默认")


class Reason(models.TextChoices):
    """差评 reasons to pick from (GB/T 39734-2020 Annex A, abridged)."""

    GUIDE_UNCLEAR = "guide_unclear", _("办事指南不清")
    TOO_MANY_MATERIALS = "too_many_materials", _("材料要求多")
    MANY_TRIPS = "many_trips", _("多次跑")
    OVERDUE = "overdue", _("超时办结")
    ATTITUDE = "attitude", _("态度差")
    LONG_WAIT = "long_wait", _("等候时间长")
    COMPLEX_PROCESS = "complex_process", _("流程繁琐")
    IRREGULAR = "irregular", _("办理不规范")
    FEES = "fees", _("收费不合理")
    OTHER = "other", _("其他")


class RatingInvitation(models.Model):
    """One rating moment of one case: the printed code and the rating period."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="rating_invitations")
    moment = models.CharField(_("评价时点"), max_length=16, choices=Moment.choices)
    code = models.CharField(_("评价码"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("发起时间"))
    # No rating by then → 基本满意 by default (recorded as defaulted).
    default_at = models.DateTimeField(_("默认评价时点"))
    defaulted_at = models.DateTimeField(_("已默认评价"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")
        constraints = [
            models.UniqueConstraint(fields=["case", "moment"], name="rating_invitation_once"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["default_at"],
                name="rating_invitation_default",
                condition=Q(defaulted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.moment}"


class Rating(models.Model):
    """One rating: who rated what, how, and whether it still counts."""

    invitation = models.ForeignKey(
        RatingInvitation, on_delete=models.PROTECT, related_name="ratings"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ratings")
    moment = models.CharField(_("评价时点"), max_length=16, choices=Moment.choices)
    # 一件事: the bundle's main case, so a bundle's ratings are one filter.
    bundle = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="bundle_ratings"
    )
    # The rated parties, copied from the case as they stood.
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("窗口人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Real-name: the applicant of the case.
    rater_name = models.CharField(_("评价人"), max_length=100)
    rater_id_type = models.CharField(_("证件类型"), max_length=16)
    rater_id_number = models.CharField(_("证件号码"), max_length=40)
    rater_phone = models.CharField(_("联系电话"), max_length=32)

    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    reasons = models.JSONField(_("差评原因"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices)
    device_id = models.CharField(_("设备编号"), max_length=64, blank=True)
    rated_at = models.DateTimeField(_("评价时间"))
    defaulted = models.BooleanField(_("逾期默认"), default=False)
    current = models.BooleanField(_("现行评价"), default=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An upheld appeal takes the rating out of the statistics; it is never deleted.
    excluded = models.BooleanField(_("申诉成立不计入统计"), default=False)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "moment"], condition=Q(current=True), name="rating_one_current"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["center", "rated_at"], name="rating_center_time"),
            models.Index(fields=["department", "rated_at"], name="rating_department_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.moment}:{self.level}"

    @property
    def is_bad(self) -> bool:
        """不满意 or 非常不满意."""
        return self.level in BAD_LEVELS

    @property
    def reason_labels(self) -> list[str]:
        """The 差评 reasons in words."""
        return [str(Reason(r).label) if r in Reason.values else r for r in self.reasons]


class Rectification(models.Model):
    """整改 of one 差评: call back, verify, rectify or explain, feed back."""

    class State(models.TextChoices):
        CALL_BACK = "call_back", _("待回访")
        RECTIFY = "rectify", _("待核实整改")
        FEEDBACK = "feedback", _("待反馈")
        CLOSED = "closed", _("已办结")

    class Resolution(models.TextChoices):
        RECTIFIED = "rectified", _("立行立改")
        EXPLAINED = "explained", _("解释说明")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("整改状态"), max_length=16, choices=State.choices, default=State.CALL_BACK
    )
    opened_at = models.DateTimeField(_("差评时间"))
    call_back_due_at = models.DateTimeField(_("回访期限"))
    rectify_due_at = models.DateTimeField(_("整改期限"))
    called_back_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call_back_note = models.TextField(_("回访记录"), blank=True)
    finding = models.TextField(_("核实情况"), blank=True)
    resolution = models.CharField(
        _("处理方式"), max_length=16, choices=Resolution.choices, blank=True
    )
    resolution_text = models.TextField(_("整改措施或说明"), blank=True)
    resolved_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback_text = models.TextField(_("反馈内容"), blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    fed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The applicant may rate again after the feedback, until this moment.
    rerate_until = models.DateTimeField(_("可再次评价至"), null=True, blank=True)
    # Highest light raised per clock: 0 green, 1 yellow, 2 red.
    call_back_light = models.PositiveSmallIntegerField(_("回访预警"), default=0)
    rectify_light = models.PositiveSmallIntegerField(_("整改预警"), default=0)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["rectify_due_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["call_back_due_at"],
                name="rectification_call_back_open",
                condition=Q(called_back_at__isnull=True, call_back_light__lt=2),
            ),
            models.Index(
                fields=["rectify_due_at"],
                name="rectification_rectify_open",
                condition=Q(resolved_at__isnull=True, rectify_light__lt=2),
            ),
            models.Index(fields=["department", "state"], name="rectification_department"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.state}"


class Appeal(models.Model):
    """申诉: the department contests a mistaken or malicious 差评; a supervisor decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        UPHELD = "upheld", _("申诉成立")
        REFUSED = "refused", _("申诉不成立")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="appeals"
    )
    state = models.CharField(
        _("申诉状态"), max_length=16, choices=State.choices, default=State.PENDING
    )
    grounds = models.TextField(_("申诉理由"))
    evidence = models.TextField(_("证据材料"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("申诉时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["rectification"],
                condition=Q(state="pending"),
                name="appeal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id}:{self.state}"


class RatingEscalation(models.Model):
    """One escalation per rectification, clock and light: the unique key makes it once."""

    class Stage(models.TextChoices):
        CALL_BACK = "call_back", _("回访")
        RECTIFY = "rectify", _("整改")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="escalations"
    )
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    level = models.PositiveSmallIntegerField(_("预警级别"))
    due_at = models.DateTimeField(_("期限"))
    created_at = models.DateTimeField(_("督办时间"))

    class Meta:
        verbose_name = _("差评整改督办")
        verbose_name_plural = _("差评整改督办")
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "stage", "level"], name="rating_escalation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id}:{self.stage}:{self.level}"


EVENT_LABELS = {
    "invite": _("发起评价"),
    "rate": _("评价"),
    "default": _("逾期默认评价"),
    "send_sms": _("发送评价短信"),
    "open_rectification": _("差评转整改"),
    "call_back": _("回访"),
    "resolve": _("核实整改"),
    "feed_back": _("反馈申请人"),
    "appeal": _("提出申诉"),
    "decide_appeal": _("审核申诉"),
}


class RatingEvent(models.Model):
    """One recorded step (who, when, what): append-only."""

    invitation = models.ForeignKey(
        RatingInvitation, on_delete=models.PROTECT, related_name="events"
    )
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("评价记录")
        verbose_name_plural = _("评价记录")
        ordering = ["created_at", "pk"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(
                name="rating_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.action}"

    @property
    def label(self) -> str:
        """The step in words."""
        return str(EVENT_LABELS.get(self.action, self.action))


class PushRecord(models.Model):
    """A record for the provincial 好差评 platform, sent by the worker at most once each."""

    class Kind(models.TextChoices):
        RATING = "rating", _("评价")
        RECTIFICATION = "rectification", _("整改结果")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    # Sent with the record: the platform drops a repeat of a key it has.
    dedupe_key = models.CharField(max_length=100, unique=True)
    payload = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("创建时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    sent_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("好差评推送")
        verbose_name_plural = _("好差评推送")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["next_attempt_at"], name="rating_push_pending", condition=Q(sent_at=None)
            ),
        ]

    def __str__(self) -> str:
        return self.dedupe_key


class PushError(models.Model):
    """The error log of the push worker: one row per failed attempt."""

    record = models.ForeignKey(PushRecord, on_delete=models.CASCADE, related_name="errors")
    attempt = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"))
    error = models.TextField(_("错误"))

    class Meta:
        verbose_name = _("推送错误")
        verbose_name_plural = _("推送错误")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.record_id}#{self.attempt}"


class ItemRatingPolicy(models.Model):
    """Per item: whether the citizen is also asked after acceptance (always after completion)."""

    item = models.OneToOneField(ServiceItem, on_delete=models.CASCADE, related_name="rating_policy")
    after_acceptance = models.BooleanField(_("受理后也邀请评价"), default=False)

    class Meta:
        verbose_name = _("事项评价设置")
        verbose_name_plural = _("事项评价设置")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.after_acceptance}"
