"""The export log in the admin: read only, for superusers and supervisors given view rights."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflows.privacy.models import SubjectExport


@admin.register(SubjectExport)
class SubjectExportAdmin(admin.ModelAdmin):
    """Who exported whose data (the ID number's hash), when and why."""

    list_display = ("at", "actor", "id_number_hash", "reason")
    search_fields = ("id_number_hash", "reason", "actor__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
