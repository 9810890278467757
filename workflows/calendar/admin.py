"""Admin: edit a year's arrangement (saving publishes it via the service); read the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from workflows.calendar.arrangements import ArrangementError, DaySpec, validate_days
from workflows.calendar.engine import DayKind
from workflows.calendar.models import CalendarChange, CalendarYear, ExceptionDay
from workflows.calendar.services import (
    DAY_CLAIMED,
    calendar_publish_year,
    calendar_withdraw_year,
)

# Django's admin classes are generic only to the type checker (no runtime
# __class_getitem__ without django-stubs-ext's monkeypatch, which is not ours).
if TYPE_CHECKING:
    _FormSet = BaseInlineFormSet[ExceptionDay, CalendarYear, Any]
    _Inline = admin.TabularInline[ExceptionDay, CalendarYear]
    _YearAdmin = admin.ModelAdmin[CalendarYear]
    _ChangeAdmin = admin.ModelAdmin[CalendarChange]
else:
    _FormSet = BaseInlineFormSet
    _Inline = admin.TabularInline
    _YearAdmin = _ChangeAdmin = admin.ModelAdmin

PUBLISH_HINT = _(
    "保存即发布：该年的例外日整体替换为下表所列，年度标为已发布，写入变更记录，"
    "并重新计算受影响的办件期限。只需登记落在周一至周五的放假日和落在周末的调休上班日。"
)
WITHDRAWN = _("已撤回 {years} 年的安排，这些年份改按法定节假日暂定计算。")


def _day_specs(formset: Any) -> list[DaySpec]:
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("date"):
            continue
        specs.append(
            DaySpec(day=data["date"], kind=DayKind(data["kind"]), festival=data["festival"])
        )
    return specs


class ExceptionDayFormSet(_FormSet):
    """Checks the whole year's days together, as the publishing service will."""

    def clean(self) -> None:
        """Refuse what ``calendar_publish_year`` would refuse, with its message."""
        super().clean()
        year = getattr(self.instance, "year", None)
        if year is None or any(form.errors for form in self.forms):
            return
        specs = _day_specs(self)
        try:
            validate_days(year=year, days=specs)
        except ArrangementError as exc:
            raise forms.ValidationError(str(exc)) from exc
        clash = (
            ExceptionDay.objects.filter(date__in=[spec.day for spec in specs])
            .exclude(year_id=year)
            .order_by("date")
            .first()
        )
        if clash is not None:
            raise forms.ValidationError(DAY_CLAIMED.format(day=clash.date, other=clash.year_id))


class ExceptionDayInline(_Inline):
    """The year's exception days, edited together and published on save."""

    model = ExceptionDay
    formset = ExceptionDayFormSet
    fields = ["date", "kind", "festival"]
    ordering = ["date"]
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(_YearAdmin):
    """Years of the calendar; saving the form publishes the year through the service."""

    list_display = ["year", "status", "notice", "notice_date", "published_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["notice"]
    fieldsets = [(None, {"fields": ["year", "notice", "notice_date"], "description": PUBLISH_HINT})]
    inlines = [ExceptionDayInline]
    actions = ["withdraw"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarYear | None = None
    ) -> list[str]:
        """The year is the key: fixed once created."""
        return ["year"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        """Years are withdrawn (audited), never deleted."""
        return False

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        """Nothing here: the service writes the year together with its days in ``save_related``."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Publish the year with the days of the inline, through ``calendar_publish_year``."""
        year: CalendarYear = form.instance
        specs = [spec for formset in formsets for spec in _day_specs(formset)]
        published = calendar_publish_year(
            year=year.year,
            days=specs,
            notice=year.notice,
            notice_date=year.notice_date,
            actor=request.user if request.user.is_authenticated else None,
        )
        form.instance = published
        for formset in formsets:
            # The service wrote the days; the admin's change message expects these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("撤回所选年份的安排（改为暂定）"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        """Withdraw each selected published year through ``calendar_withdraw_year``."""
        done = []
        for calendar_year in queryset.filter(status=CalendarYear.Status.PUBLISHED):
            calendar_withdraw_year(
                year=calendar_year.year,
                actor=request.user if request.user.is_authenticated else None,
            )
            done.append(str(calendar_year.year))
        if done:
            self.message_user(request, WITHDRAWN.format(years="、".join(done)), messages.SUCCESS)


@admin.register(CalendarChange)
class CalendarChangeAdmin(_ChangeAdmin):
    """The append-only audit log, read-only."""

    list_display = ["at", "year", "action", "actor"]
    list_filter = ["action", "year"]
    date_hierarchy = "at"
    fields = ["at", "year", "action", "actor", "payload"]
    readonly_fields = ["at", "year", "action", "actor", "payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows come from the services only."""
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: CalendarChange | None = None
    ) -> bool:
        """The log is append-only."""
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: CalendarChange | None = None
    ) -> bool:
        """The log is append-only."""
        return False
