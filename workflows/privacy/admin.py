"""The export log in the admin, and the export itself for admins given the permission.

The log is read only, for superusers and supervisors given view rights. The
page 导出个人信息 (``admin/privacy/subjectexport/export/``) takes an ID number
and a purpose and returns the same ZIP as ``manage.py export_subject``, logged
the same way: both call ``workflows.privacy.export.subject_export``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from workflows.cases.errors import CaseError
from workflows.privacy.export import subject_export
from workflows.privacy.models import SubjectExport
from workflows.web.admin_mixins import ReadOnlyMixin

EXPORT_PERMISSION = "privacy.export_subject"


class SubjectExportForm(forms.Form):
    """Whose data, and why (the purpose is kept in the export log)."""

    id_number = forms.CharField(label=_("证件号码"), max_length=40, strip=True)
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：申请人依个人信息保护法第四十五条书面申请查阅、复制，申请编号……"),
    )


@admin.register(SubjectExport)
class SubjectExportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who exported whose data (the ID number's hash), when and why."""

    list_display = ("at", "actor", "id_number_hash", "reason")
    search_fields = ("id_number_hash", "reason", "actor__username")

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),  # never_cache too
            name="privacy_subjectexport_export",
        )
        return [export, *super().get_urls()]

    def has_export_permission(self, request: HttpRequest) -> bool:
        """Only an active staff user holding ``privacy.export_subject`` (superusers hold it)."""
        return bool(request.user.is_active and request.user.has_perm(EXPORT_PERMISSION))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or self.has_export_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Whoever may export may see the log of exports.
        return super().has_view_permission(request, obj) or self.has_export_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context=context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the form; POST: the ZIP as a download, logged (or the form with the refusal)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = SubjectExportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                content, log = subject_export(
                    id_number=form.cleaned_data["id_number"],
                    actor=request.user,  # type: ignore[arg-type]  # admin_view: signed in
                    reason=form.cleaned_data["reason"],
                )
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                response = HttpResponse(content, content_type="application/zip")
                response["Content-Disposition"] = (
                    f'attachment; filename="subject-export-{log.pk}.zip"'
                )
                response["X-Content-Type-Options"] = "nosniff"
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导出个人信息"),
            "form": form,
        }
        return TemplateResponse(request, "admin/privacy/subjectexport/export.html", context)
