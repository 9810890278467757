"""Admin: read-only views of escalations and their notes (written by the services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflows.supervision.models import Escalation, EscalationNote
from workflows.web.admin_mixins import ReadOnlyMixin


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Rows the services write; the admin only looks."""


class NoteInline(admin.TabularInline):
    model = EscalationNote
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "author", "text", "reason", "remedy")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "level",
        "case",
        "department",
        "center",
        "order_number",
        "responded_at",
    )
    list_filter = ("level", "department")
    search_fields = ("case__number",)
    raw_id_fields = ("case", "handler", "first_responder", "responded_by")
    date_hierarchy = "created_at"
    inlines = (NoteInline,)
    list_select_related = ("case", "department", "center")
    show_full_result_count = False


@admin.register(EscalationNote)
class EscalationNoteAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "escalation", "author")
    list_filter = ("kind",)
    raw_id_fields = ("escalation", "author")
