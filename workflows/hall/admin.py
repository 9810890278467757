"""Admin for the hall: counters, hours, rota days, closures; bookings and tickets read-only."""

from __future__ import annotations

from django.contrib import admin

from workflows.hall.models import Booking, Closure, Counter, OpeningPeriod, RotaDay, Ticket
from workflows.web.admin_mixins import ReadOnlyMixin


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


@admin.register(Booking)
class BookingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "center", "item", "starts_at", "status", "needs_help"]
    list_filter = ["status", "center"]
    search_fields = ["reference"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "center", "day", "kind", "status", "window", "case"]
    list_filter = ["status", "kind", "center"]
