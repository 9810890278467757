from django.contrib import admin

from workflows.guide.models import CenterHours, GuideEntry


@admin.register(GuideEntry)
class GuideEntryAdmin(admin.ModelAdmin):
    list_display = ("item", "aliases")
    search_fields = ("item__name", "item__code", "aliases")
    filter_horizontal = ("centers",)


@admin.register(CenterHours)
class CenterHoursAdmin(admin.ModelAdmin):
    list_display = ("center", "hours")
