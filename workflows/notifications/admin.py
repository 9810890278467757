"""Admin: notifications and the outbox (failed messages are visible here)."""

from django.contrib import admin

from workflows.notifications.models import Notification, OutboxMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "address",
        "subject",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["channel", "sent_at"]
