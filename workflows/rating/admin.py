"""Admin: read the ratings and their history; set which items are rated after acceptance."""

from __future__ import annotations

from django.contrib import admin

from workflows.rating.models import (
    Appeal,
    ItemRatingPolicy,
    PushRecord,
    Rating,
    RatingEvent,
    Rectification,
)
from workflows.web.admin_mixins import ReadOnlyMixin


@admin.register(ItemRatingPolicy)
class ItemRatingPolicyAdmin(admin.ModelAdmin):
    list_display = ("item", "after_acceptance")
    autocomplete_fields = ("item",)


class ReadOnly(ReadOnlyMixin, admin.ModelAdmin):
    """Ratings are written by the services only."""


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = (
        "case",
        "moment",
        "level",
        "channel",
        "rated_at",
        "current",
        "defaulted",
        "excluded",
    )
    list_filter = ("moment", "level", "channel", "current", "defaulted", "excluded")
    search_fields = ("case__number",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnly):
    list_display = ("case", "state", "call_back_due_at", "rectify_due_at")
    list_filter = ("state",)


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ("rectification", "state", "filed_at", "decided_at")


@admin.register(RatingEvent)
class RatingEventAdmin(ReadOnly):
    list_display = ("invitation", "action", "actor", "created_at")


@admin.register(PushRecord)
class PushRecordAdmin(ReadOnly):
    list_display = ("dedupe_key", "kind", "attempts", "sent_at", "last_error")
    list_filter = ("kind",)
