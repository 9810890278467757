"""Admin: read-only views of consultations, referrals and the lookup log (services write them)."""

from __future__ import annotations

from django.contrib import admin

from workflows.firstquestion.models import (
    Consultation,
    ConsultationEvent,
    Referral,
    ReferralEscalation,
)
from workflows.web.admin_mixins import ReadOnlyMixin


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Rows the services write; the admin only looks."""


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "created_at", "channel", "status", "first_responder", "item", "case")
    list_filter = ("status", "channel")
    search_fields = ("matter", "case__number")
    raw_id_fields = ("first_responder", "logged_by", "answered_by", "case", "item")


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("pk", "created_at", "target_kind", "state", "ack_due_at", "escalated_at")
    list_filter = ("state", "target_kind")
    raw_id_fields = ("consultation", "referred_by", "to_user", "acknowledged_by", "resolved_by")


@admin.register(ReferralEscalation)
class ReferralEscalationAdmin(ReadOnlyAdmin):
    list_display = ("referral", "created_at", "ack_due_at", "first_responder")


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "created_at", "action", "actor")
    list_filter = ("action",)
