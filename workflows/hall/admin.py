"""Admin for the hall: counters, hours, rota days, closures; bookings and tickets read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflows.hall.models import Booking, Closure, Counter, OpeningPeriod, RotaDay, Ticket


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["center", "name", "prefix", "windows", "slot_minutes", "service_minutes"]
    list_filter = ["center"]
    filter_horizontal = ["items"]


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(admin.ModelAdmin):
    list_display = ["center", "weekday", "kind", "opens", "closes", "counter", "windows"]
    list_filter = ["center", "kind"]


@admin.register(RotaDay)
class RotaDayAdmin(admin.ModelAdmin):
    list_display = ["center", "date", "opens", "closes", "windows", "note"]
    list_filter = ["center"]
    filter_horizontal = ["staff"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["center", "date", "reason"]


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "center", "item", "starts_at", "status", "needs_help"]
    list_filter = ["status", "center"]
    search_fields = ["reference"]


@admin.register(Ticket)
class TicketAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["number", "center", "day", "kind", "status", "window", "case"]
    list_filter = ["status", "kind", "center"]
