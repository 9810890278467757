"""The public look-ups' log in the admin: read only (the limiter writes it)."""

from __future__ import annotations

from django.contrib import admin

from workflows.web.admin_mixins import ReadOnlyMixin
from workflows.web.models import LookupAttempt


@admin.register(LookupAttempt)
class LookupAttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The security log of the status, rating and booking look-ups (wrong guesses, refusals)."""

    list_display = ("at", "scope", "ip", "target", "result")
    list_filter = ("scope", "result")
    search_fields = ("target", "ip")
