from django.contrib import admin

from workflows.api.models import (
    ApiCall,
    ApiClient,
    ShareableMaterial,
    SharedMaterial,
    SharedSource,
    Subscription,
    WebhookDelivery,
)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "center", "scopes", "is_active")
    raw_id_fields = ("application", "user")


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "client", "method", "path", "status")
    list_filter = ("client", "status")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("client", "url", "is_active")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_type", "subscription", "state", "attempts")
    list_filter = ("state", "event_type")


@admin.register(SharedSource)
class SharedSourceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "url", "timeout_seconds", "is_active")


@admin.register(ShareableMaterial)
class ShareableMaterialAdmin(admin.ModelAdmin):
    list_display = ("material", "source", "licence_type")
    raw_id_fields = ("material",)


@admin.register(SharedMaterial)
class SharedMaterialAdmin(admin.ModelAdmin):
    list_display = ("case", "position", "source", "licence_number", "fetched_at")
