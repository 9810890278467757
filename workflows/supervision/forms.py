"""The desk's filter forms and the 督办 forms; they validate, they never write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import HEAD, OFFICER, display_name
from workflows.supervision import errors
from workflows.supervision.selectors.desk import SORTS
from workflows.supervision.selectors.scope import CaseFilters, DeskScope
from workflows.supervision.selectors.statistics import GROUPS, Period

DATE_ERRORS = {"invalid": errors.BAD_DATE}


class UserChoiceField(forms.ModelChoiceField):
    """Staff shown by name (family name first)."""

    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class DeskFilterForm(forms.Form):
    """Filters of the overdue and due-soon lists (GET)."""

    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("全部部门"),
    )
    center = forms.ModelChoiceField(
        label=_("受理中心（含下辖）"),
        queryset=Center.objects.order_by("path"),
        required=False,
        empty_label=_("全部中心"),
    )
    center_only = forms.BooleanField(label=_("仅本中心（不含下辖）"), required=False)
    item = forms.ModelChoiceField(
        label=_("事项"),
        queryset=ServiceItem.objects.select_related("department").order_by("code"),
        required=False,
        empty_label=_("全部事项"),
    )
    officer = UserChoiceField(
        label=_("经办人"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("全部经办人"),
    )
    due_from = forms.DateField(
        label=_("承诺期限自"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = forms.DateField(
        label=_("承诺期限至"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, scope: DeskScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if scope.center_ids is not None:
            fields["center"].queryset = Center.objects.filter(pk__in=scope.center_ids).order_by(
                "path"
            )
        staff = get_user_model().objects.filter(groups__name__in=[OFFICER, HEAD]).distinct()
        if scope.department_id is not None:
            fields["department"].queryset = Department.objects.filter(pk=scope.department_id)
            fields["item"].queryset = (
                ServiceItem.objects.filter(department_id=scope.department_id)
                .select_related("department")
                .order_by("code")
            )
            staff = staff.filter(staff__department_id=scope.department_id)
        fields["officer"].queryset = staff.order_by("last_name", "first_name", "username")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:
            raise forms.ValidationError(errors.BAD_PERIOD)
        return data

    def filters(self) -> CaseFilters:
        """The cleaned filters (matching nothing when the form is invalid)."""
        if not self.is_bound:
            return CaseFilters()
        if not self.is_valid():
            return CaseFilters(invalid=True)
        d = self.cleaned_data
        return CaseFilters(
            department_id=d["department"].pk if d.get("department") else None,
            center_id=d["center"].pk if d.get("center") else None,
            center_only=bool(d.get("center_only")),
            item_id=d["item"].pk if d.get("item") else None,
            officer_id=d["officer"].pk if d.get("officer") else None,
            due_from=d.get("due_from"),
            due_to=d.get("due_to"),
        )

    def sort_key(self) -> str:
        """The chosen sort (default: longest overdue first)."""
        if self.is_valid() and self.cleaned_data.get("sort"):
            return str(self.cleaned_data["sort"])
        return "due"


class StatisticsForm(DeskFilterForm):
    """Statistics: the desk filters, a grouping and a period of decisions."""

    group = forms.ChoiceField(
        label=_("统计维度"), required=False, choices=[(k, v[1]) for k, v in GROUPS.items()]
    )
    period_from = forms.DateField(
        label=_("统计期间自"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_to = forms.DateField(
        label=_("统计期间至"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, scope: DeskScope, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, **kwargs)
        del self.fields["sort"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            raise forms.ValidationError(errors.BAD_PERIOD)
        return data

    def period(self, default: Period) -> Period:
        """The chosen period, defaulting each end to ``default``'s."""
        if not self.is_valid():
            return default
        start: date = self.cleaned_data.get("period_from") or default.start
        end: date = self.cleaned_data.get("period_to") or default.end
        return Period(start, end)

    def grouping(self) -> str:
        """The chosen grouping (default: department)."""
        if self.is_valid() and self.cleaned_data.get("group"):
            return str(self.cleaned_data["group"])
        return "department"


class FollowUpForm(forms.Form):
    """督办跟进: what the supervisor did."""

    text = forms.CharField(
        label=_("跟进情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": errors.FOLLOW_UP_EMPTY},
    )


class ResponseForm(forms.Form):
    """部门回复: why it is late and how it will be put right."""

    reason = forms.CharField(
        label=_("超期原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": errors.RESPONSE_REASON_REQUIRED},
    )
    remedy = forms.CharField(
        label=_("整改措施"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": errors.RESPONSE_REMEDY_REQUIRED},
    )


class EscalationFilterForm(forms.Form):
    """Which 督办 to list."""

    STATES = (
        ("unanswered", _("待部门回复")),
        ("answered", _("已回复")),
        ("all", _("全部")),
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATES)
    level = forms.TypedChoiceField(
        label=_("级别"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("全部级别")),
            (1, _("黄灯预警")),
            (2, _("红灯超期督办")),
            (3, _("超法定时限督办")),
        ],
    )
