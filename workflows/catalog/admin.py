"""Admin for the catalogue: centers, departments, service items with their materials, staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem, StaffProfile


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "organ_name", "supervision_phone"]
    list_filter = ["level"]
    search_fields = ["code", "name", "organ_name", "address"]
    ordering = ["path"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]
    fields = [
        "code", "name", "level", "parent", "path",
        "organ_name", "address", "phone", "supervision_phone",
    ]  # fmt: skip


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "full_name", "phone"]
    search_fields = ["code", "name", "full_name"]
    ordering = ["code"]


class ItemMaterialInline(admin.TabularInline):
    model = ItemMaterial
    extra = 0
    ordering = ["position"]
    fields = ["position", "name", "form", "copies", "required", "note"]


class ServiceItemAdminForm(forms.ModelForm):
    """Delivery options as check boxes instead of raw JSON."""

    delivery_options = forms.MultipleChoiceField(
        label=_("结果送达方式"),
        choices=ServiceItem.Delivery.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServiceItem
        fields = [
            "code", "name", "department", "kind", "legal_basis", "is_active",
            "statutory_limit_days", "promised_limit_days", "acceptance_day_counts",
            "max_extension_days", "warning_days", "extension_needs_head",
            "decision_needs_head", "flow", "fee", "fee_basis", "delivery_options",
        ]  # fmt: skip


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ServiceItemAdminForm
    inlines = [ItemMaterialInline]
    list_display = [
        "code", "name", "department", "kind",
        "statutory_limit_days", "promised_limit_days", "flow", "is_active",
    ]  # fmt: skip
    list_filter = ["department", "kind", "is_active", "decision_needs_head"]
    search_fields = ["code", "name", "legal_basis"]
    list_select_related = ["department"]
    ordering = ["department__code", "code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "department", "kind", "legal_basis", "is_active"]}),
        (
            _("时限"),
            {
                "fields": [
                    "statutory_limit_days",
                    "promised_limit_days",
                    "acceptance_day_counts",
                    "max_extension_days",
                    "warning_days",
                ]
            },
        ),
        (_("审批"), {"fields": ["extension_needs_head", "decision_needs_head", "flow"]}),
        (_("收费与送达"), {"fields": ["fee", "fee_basis", "delivery_options"]}),
    ]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    fk_name = "user"
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name_plural = _("工作人员档案")
    autocomplete_fields = ["center", "department"]
    fields = ["center", "department", "title", "rank", "phone"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "center", "department", "title", "rank", "phone"]
    list_filter = ["department", "center__level"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "center__name"]
    list_select_related = ["user", "center", "department"]
    autocomplete_fields = ["center", "department"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffProfile]:
        return super().get_queryset(request).order_by("center__path", "user__username")


User = get_user_model()


class StaffUserAdmin(UserAdmin):
    """Django's user admin with the staff profile (center, department, rank) inline."""

    inlines = [StaffProfileInline]
    list_display = ["username", "last_name", "first_name", "is_staff", "staff_center"]
    list_select_related = ["staff__center"]

    @admin.display(description=_("所在中心"), ordering="staff__center__path")
    def staff_center(self, obj: Any) -> str:
        profile = getattr(obj, "staff", None)
        return str(profile.center) if profile and profile.center else ""


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
