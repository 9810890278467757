"""Read-only admin views of cases and their audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflows.cases.models import Case, CaseEvent, CaseMaterial, Extension, Suspension
from workflows.web.admin_mixins import ReadOnlyMixin

MATERIAL_FIELDS = ("position", "name", "form", "copies", "pages", "required", "state", "problem")
SUSPENSION_FIELDS = ("procedure", "expected_days", "started_at", "ended_at", "reason")
EXTENSION_FIELDS = (
    "days",
    "reason",
    "state",
    "requested_by",
    "requested_at",
    "decided_by",
    "decided_at",
)
EVENT_FIELDS = ("seq", "created_at", "action", "actor", "from_status", "to_status", "payload")


class MaterialInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseMaterial
    extra = 0
    fields = readonly_fields = MATERIAL_FIELDS


class SuspensionInline(ReadOnlyMixin, admin.TabularInline):
    model = Suspension
    extra = 0
    fields = readonly_fields = SUSPENSION_FIELDS


class ExtensionInline(ReadOnlyMixin, admin.TabularInline):
    model = Extension
    extra = 0
    fields = readonly_fields = EXTENSION_FIELDS


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = readonly_fields = EVENT_FIELDS
    ordering = ("seq",)


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "item",
        "center",
        "status",
        "applicant_name",
        "received_at",
        "promised_due_at",
        "due_provisional",
        "first_responder",
    ]
    list_filter = ["status", "department", "center__level", "due_provisional"]
    search_fields = ["number", "applicant_name"]
    list_select_related = ["item", "item__department", "center", "first_responder"]
    date_hierarchy = "received_at"
    inlines = [MaterialInline, SuspensionInline, ExtensionInline, EventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Case._meta.fields]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "seq", "action", "actor", "from_status", "to_status", "created_at"]
    list_filter = ["action"]
    search_fields = ["case__number"]
    list_select_related = ["case", "actor"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in CaseEvent._meta.fields]
