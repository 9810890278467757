"""Forms of 首问负责制: they validate and turn input into service arguments; they never write."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from forms.applicant import PhoneField
from workflows.cases import permissions
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import display_name, profile_of
from workflows.firstquestion import errors
from workflows.firstquestion.models import Channel, TargetKind
from workflows.firstquestion.services.consultations import LogOutcome
from workflows.firstquestion.services.referrals import ReferralTarget

if TYPE_CHECKING:
    from django.contrib.auth.models import User

KEY_PATTERN = r"^[0-9a-f]{32}$"
STALE_FORM = _("页面已过期或被重复打开，请核对填写内容后重新提交。")


def staff_users() -> QuerySet[Any]:
    """Active users with a staff profile, in the order of the catalogue."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__isnull=False)
        .select_related("staff", "staff__center", "staff__department")
        .order_by("staff__center__path", "staff__department__code", "last_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A staff member, shown with where they work."""

    def label_from_instance(self, obj: Any) -> str:
        """姓名（中心 部门）."""
        profile = getattr(obj, "staff", None)
        place = (
            " ".join(str(p) for p in (profile.center, profile.department) if p) if profile else ""
        )
        return f"{display_name(obj)}（{place}）" if place else display_name(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several staff members, shown with their title."""

    def label_from_instance(self, obj: Any) -> str:
        """姓名（职务）."""
        profile = getattr(obj, "staff", None)
        title = profile.title if profile is not None else ""
        return f"{display_name(obj)}（{title}）" if title else display_name(obj)


class ItemChoiceField(forms.ModelChoiceField):
    """A service item as "部门 · 事项名称"."""

    def label_from_instance(self, obj: Any) -> str:
        """公安 · 户口迁移."""
        return f"{obj.department.name} · {obj.name}"


class KeyedForm(forms.Form):
    """A form carrying an idempotency key: a double-clicked submit repeats it."""

    key = forms.RegexField(
        regex=KEY_PATTERN,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)


class TargetForm(forms.Form):
    """Whom to refer to: a department, a center's window, or a named colleague."""

    target_kind = forms.ChoiceField(
        label=_("转办对象"),
        choices=TargetKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    to_department = forms.ModelChoiceField(
        label=_("部门"), queryset=Department.objects.order_by("code"), required=False
    )
    to_center = forms.ModelChoiceField(
        label=_("窗口（中心）"), queryset=Center.objects.order_by("path"), required=False
    )
    to_user = StaffChoiceField(label=_("同事"), queryset=staff_users(), required=False)
    note = forms.CharField(
        label=_("转办说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写明需要对方做什么，例如：请电话答复申请人能否办理。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_user"]).queryset = staff_users()

    def check_target(self, cleaned: dict[str, Any]) -> None:
        """The chosen kind must come with its department, center or colleague."""
        kind = cleaned.get("target_kind")
        needed = {
            TargetKind.DEPARTMENT: "to_department",
            TargetKind.WINDOW: "to_center",
            TargetKind.PERSON: "to_user",
        }
        if kind not in needed:
            self.add_error("target_kind", errors.TARGET_REQUIRED)
        elif not cleaned.get(needed[TargetKind(kind)]):
            self.add_error(needed[TargetKind(kind)], errors.TARGET_REQUIRED)

    def target(self) -> ReferralTarget:
        """The cleaned target as the services take it."""
        data = self.cleaned_data
        return ReferralTarget(
            kind=data.get("target_kind") or "",
            department=data.get("to_department"),
            center=data.get("to_center"),
            user=data.get("to_user"),
        )


class ConsultationForm(KeyedForm, TargetForm):
    """咨询登记: channel, citizen, matter, who was asked, and the outcome."""

    channel = forms.ChoiceField(
        label=_("咨询方式"),
        choices=Channel.choices,
        initial=Channel.VISIT,
        widget=forms.RadioSelect,
    )
    citizen_name = forms.CharField(
        label=_("咨询人"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True})
    )
    citizen_phone = PhoneField(label=_("联系电话"))
    matter = forms.CharField(
        label=_("咨询事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    item = ItemChoiceField(
        label=_("服务事项（已知时选择）"),
        queryset=ServiceItem.objects.filter(is_active=True)
        .select_related("department")
        .order_by("department__code", "code"),
        required=False,
    )
    present = StaffMultipleChoiceField(
        label=_("一同被询问的工作人员"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("多名工作人员一同被询问时，职位高者为首问责任人（系统按职级自动确定）。"),
    )
    outcome = forms.ChoiceField(label=_("处理结果"), choices=LogOutcome.choices)
    answer = forms.CharField(
        label=_("解答内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = [
        "channel",
        "citizen_name",
        "citizen_phone",
        "matter",
        "item",
        "present",
        "outcome",
        "answer",
        "target_kind",
        "to_department",
        "to_center",
        "to_user",
        "note",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["present"]).queryset = colleagues_of(user)

    def clean(self) -> dict[str, Any]:
        """Answer text for 当场解答; a target for 转办."""
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == LogOutcome.ANSWER and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", errors.ANSWER_REQUIRED)
        if outcome == LogOutcome.REFER:
            self.check_target(cleaned)
        return cleaned


def colleagues_of(user: User) -> QuerySet[Any]:
    """Who could have been asked together with ``user``: the same center, else department."""
    profile = profile_of(user)
    qs = staff_users().exclude(pk=user.pk)
    if profile is None:
        return qs.none()
    if profile.center_id:
        return qs.filter(staff__center_id=profile.center_id)
    if profile.department_id:
        return qs.filter(Q(staff__department_id=profile.department_id))
    return qs.none()


class ReferForm(TargetForm):
    """转办 (again): whom to, and what for."""

    def clean(self) -> dict[str, Any]:
        """A target is required."""
        cleaned = super().clean() or {}
        self.check_target(cleaned)
        return cleaned


class AnswerForm(forms.Form):
    """The answer given to the citizen."""

    answer = forms.CharField(
        label=_("答复内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": errors.REFERRAL_ANSWER_REQUIRED},
    )


class DeclineForm(forms.Form):
    """Why the referral is not the receiver's business."""

    reason = forms.CharField(
        label=_("退回理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": errors.DECLINE_REASON_REQUIRED},
        help_text=_("写明为何不属于本部门（本人）职责，以及建议转往何处。"),
    )


class ReassignForm(forms.Form):
    """改派首问责任人: the new one and why (kept in the case's trail)."""

    new_first_responder = StaffChoiceField(
        label=_("新的首问责任人"),
        queryset=get_user_model().objects.none(),
        error_messages={"required": errors.REASSIGN_NEW_REQUIRED},
    )
    reason = forms.CharField(
        label=_("改派理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：原首问责任人已调离，由其 AB 角接续跟踪。"),
    )

    def __init__(
        self, *args: Any, exclude: int | None = None, actor: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        qs = staff_users()
        # The choice repeats the service's rule: only staff of the supervisor's subtree.
        scope = permissions.staff_in_supervisor_scope(actor)
        if scope is not None:
            qs = qs.filter(scope)
        if exclude is not None:
            qs = qs.exclude(pk=exclude)
        cast(forms.ModelChoiceField, self.fields["new_first_responder"]).queryset = qs


class StatusForm(forms.Form):
    """The citizen's lookup: case number and the last four of phone or ID number."""

    number = forms.CharField(
        label=_("办件编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "PY-2026-000123"}),
    )
    digits = forms.CharField(
        label=_("申请人手机号码或证件号码后 4 位"),
        max_length=8,
        # A plain field with the phone's number pad: four digits are not a password,
        # and a masked box only makes people mistype them. (An ID number ending in X
        # can still be typed; the phone's last four work as well.) The view never
        # sends the digits back.
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "size": 6}),
    )
