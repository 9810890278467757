"""督办: one escalation per case per breached level, and what was done about it.

An ``Escalation`` is written by the sweep, set-based, with ``INSERT … ON
CONFLICT (case, level) DO NOTHING``: the unique constraint, not a read before
the write, is what makes it exactly once however many sweeps race or crash.
Center and department are copied from the case (they never change) so the
lists and badges of heads and supervisors are one indexed filter; handler and
first responder are copied as they stood at the breach, for accountability.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case
from workflows.catalog.models import Center, Department


class Level(models.IntegerChoices):
    """The breached level (same numbers as ``Case.alert_level`` and ``alerts.Light``)."""

    YELLOW = 1, _("黄灯预警")
    RED = 2, _("红灯超期督办")
    STATUTORY_RED = 3, _("超法定时限督办")


# Levels that are breaches of a promise: they get a 督办单 and need the head's answer.
# Yellow is a warning before the deadline (预警提醒): notified and listed, no order.
ORDER_LEVELS = (Level.RED, Level.STATUTORY_RED)


class Escalation(models.Model):
    """督办: a case crossed a level (yellow, red, statutory red); exactly one per level."""

    # The unique (case, level) index serves lookups by case: no separate index.
    # No FK trigger either: the row is inserted from a join on the case itself,
    # and a case can never be deleted (its append-only CaseEvents reference it),
    # so the check would cost the sweep a query per escalation for nothing.
    case = models.ForeignKey(
        Case,
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        related_name="escalations",
        db_index=False,
        db_constraint=False,
    )
    level = models.PositiveSmallIntegerField(_("督办级别"), choices=Level.choices)
    created_at = models.DateTimeField(_("督办时间"))
    # The deadline that was crossed (warn_at, promised_due_at or statutory_due_at then).
    deadline_at = models.DateTimeField(_("届满时点"), null=True, blank=True)
    # Copies of the case's own (constrained) keys, written in the same statement
    # that reads them: no FK trigger or index of their own, which would cost the
    # sweep a check per row for nothing (measured: docs/supervision.md).
    center = models.ForeignKey(
        Center,
        verbose_name=_("受理中心"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # The 督办单 is issued after the sweep commits (an outbox: NULL = still to issue).
    needs_order = models.BooleanField(_("须出具督办单"), default=False)
    order_issued_at = models.DateTimeField(_("督办单出具时间"), null=True, blank=True)
    order_number = models.CharField(_("督办单编号"), max_length=64, blank=True)
    order_error = models.TextField(_("出具失败原因"), blank=True)
    order_attempts = models.PositiveSmallIntegerField(_("出具尝试次数"), default=0)
    # The department head's first answer (reason and remedy are in the note).
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="escalation_once_per_level"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # Unanswered breaches, per department (heads) and per center (supervisors).
            models.Index(
                fields=["department", "created_at"],
                name="escalation_unanswered_dept",
                condition=Q(responded_at__isnull=True, level__gte=2),
            ),
            models.Index(
                fields=["center", "created_at"],
                name="escalation_unanswered_center",
                condition=Q(responded_at__isnull=True, level__gte=2),
            ),
            # Every 督办, newest first (the "all" and "answered" lists walk it).
            models.Index(fields=["created_at"], name="escalation_created"),
            # The 督办单 outbox.
            models.Index(
                fields=["created_at"],
                name="escalation_order_pending",
                condition=Q(needs_order=True, order_issued_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"

    @property
    def needs_response(self) -> bool:
        """A breach (red or worse) that the department head has not answered yet."""
        return self.level in ORDER_LEVELS and self.responded_at is None


class EscalationNote(models.Model):
    """A supervisor's follow-up on a 督办, or the department head's answer to it."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("督办跟进")
        RESPONSE = "response", _("部门回复")

    escalation = models.ForeignKey(
        Escalation, verbose_name=_("督办"), on_delete=models.PROTECT, related_name="notes"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("跟进情况"), blank=True)
    reason = models.TextField(_("超期原因"), blank=True)
    remedy = models.TextField(_("整改措施"), blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["escalation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation_id} {self.get_kind_display()}"
