"""Bundles are reference data: editable by admins like the catalogue."""

from django.contrib import admin

from workflows.combined.models import Bundle, BundlePart


class BundlePartInline(admin.TabularInline):
    model = BundlePart
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["item", "position", "is_active"]
    inlines = [BundlePartInline]
