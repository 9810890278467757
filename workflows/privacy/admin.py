"""The export log in the admin: read only, for superusers and supervisors given view rights."""

from __future__ import annotations

from django.contrib import admin

from workflows.privacy.models import SubjectExport
from workflows.web.admin_mixins import ReadOnlyMixin


@admin.register(SubjectExport)
class SubjectExportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who exported whose data (the ID number's hash), when and why."""

    list_display = ("at", "actor", "id_number_hash", "reason")
    search_fields = ("id_number_hash", "reason", "actor__username")
