"""The public look-ups' log in the admin: read only (the limiter writes it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflows.web.models import LookupAttempt


@admin.register(LookupAttempt)
class LookupAttemptAdmin(admin.ModelAdmin):
    """The security log of the status, rating and booking look-ups (wrong guesses, refusals)."""

    list_display = ("at", "scope", "ip", "target", "result")
    list_filter = ("scope", "result")
    search_fields = ("target", "ip")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
