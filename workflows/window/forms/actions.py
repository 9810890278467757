"""The forms of the clerk's actions on an existing case: 补正, 当场办结, 出件, 撤回."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.cases.models import CaseMaterial, Decision, DeliveryMethod, OverdueReason
from workflows.cases.services import MaterialLine, overdue_reason_problem
from workflows.catalog.models import ServiceItem
from workflows.window.forms.keyed import KeyedForm

DENIAL_NEEDS_REASON = _("不予办理须写明理由。")
DELIVERY_METHOD_NEEDED = _("当场出件须选择送达方式。")
OVERDUE_REASON_NEEDED = _("本件已超过承诺办结期限，出件时须选择超期原因。")
NOTHING_BROUGHT = _("请勾选申请人本次补交的材料。")


# ---------------------------------------------------------------- after acceptance


def delivery_choices(item: ServiceItem) -> list[tuple[str, str]]:
    """The delivery methods the item offers (all of them when it names none)."""
    offered = set(item.delivery_options or DeliveryMethod.values)
    return [(value, str(label)) for value, label in DeliveryMethod.choices if value in offered]


class DecideAction(models.TextChoices):
    """当场办结, or 当场办结并出件 in one step."""

    DECIDE = "decide", _("当场办结")
    DECIDE_AND_DELIVER = "decide_deliver", _("当场办结并出件")


class DecideForm(KeyedForm):
    """当场办结 of a 即办件, optionally with 出件 in the same transaction."""

    action = forms.ChoiceField(choices=DecideAction.choices)
    decision = forms.ChoiceField(
        label=_("办理结果"),
        choices=Decision.choices,
        initial=Decision.APPROVED,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("结果说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予办理的，须写明理由。"),
    )
    delivery_method = forms.ChoiceField(label=_("送达方式"), required=False)
    delivery_note = forms.CharField(label=_("送达说明"), required=False, max_length=200)

    def __init__(self, *args: Any, item: ServiceItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = delivery_choices(item)
        cast(forms.ChoiceField, self.fields["delivery_method"]).choices = choices
        self.initial.setdefault("delivery_method", choices[0][0] if choices else "")

    def clean(self) -> dict[str, Any]:
        """A denial needs its reason; delivering needs a method."""
        cleaned = super().clean() or {}
        if cleaned.get("decision") == Decision.DENIED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", DENIAL_NEEDS_REASON)
        if cleaned.get("action") == DecideAction.DECIDE_AND_DELIVER and not cleaned.get(
            "delivery_method"
        ):
            self.add_error("delivery_method", DELIVERY_METHOD_NEEDED)
        return cleaned


class DeliverForm(KeyedForm):
    """出件: the result handed over (or posted, or sent electronically)."""

    delivery_method = forms.ChoiceField(label=_("送达方式"))
    delivery_note = forms.CharField(
        label=_("送达说明"),
        required=False,
        max_length=200,
        help_text=_("例如：申请人本人领取；邮寄单号；电子送达的平台。"),
    )
    overdue_reason = forms.ChoiceField(
        label=_("超期原因"),
        required=False,
        choices=[("", "---------"), *OverdueReason.choices],
    )
    overdue_reason_text = forms.CharField(
        label=_("超期原因说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, item: ServiceItem, late: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.late = late
        choices = delivery_choices(item)
        cast(forms.ChoiceField, self.fields["delivery_method"]).choices = choices
        self.initial.setdefault("delivery_method", choices[0][0] if choices else "")
        if not late:
            del self.fields["overdue_reason"]
            del self.fields["overdue_reason_text"]

    def clean(self) -> dict[str, Any]:
        """Past the promised due date, say why."""
        cleaned = super().clean() or {}
        problem = overdue_reason_problem(
            late=self.late,
            reason=cleaned.get("overdue_reason") or "",
            text=cleaned.get("overdue_reason_text") or "",
        )
        if problem is not None:
            field, message = problem
            self.add_error(field, OVERDUE_REASON_NEEDED if field == "overdue_reason" else message)
        return cleaned


# ---------------------------------------------------------------- supplement, withdraw


class SupplementLineForm(forms.Form):
    """One item of the correction notice: brought or not, and how."""

    brought = forms.BooleanField(label=_("已补交"), required=False)
    form = forms.ChoiceField(label=_("原件/复印件"), choices=CaseMaterial.Form.choices)
    copies = forms.IntegerField(label=_("份数"), min_value=0, max_value=99, required=False)
    pages = forms.IntegerField(label=_("页数"), min_value=0, max_value=9999, required=False)

    def __init__(
        self, *args: Any, material: CaseMaterial, notice: Mapping[str, Any], **kwargs: Any
    ):
        self.material = material
        self.notice = notice
        kwargs.setdefault("prefix", f"s{material.position}")
        kwargs.setdefault("initial", {"form": material.form, "copies": material.copies or 1})
        super().__init__(*args, **kwargs)

    def material_line(self) -> MaterialLine:
        """The supplement as the service takes it."""
        data = self.cleaned_data
        return MaterialLine(
            position=self.material.position,
            form=data["form"],
            copies=data.get("copies") or 0,
            pages=data.get("pages") or 0,
            state=CaseMaterial.State.RECEIVED,
        )


class SupplementAction(models.TextChoices):
    """登记补正, or 补正并受理 in one step."""

    SUPPLEMENT = "supplement", _("登记补正")
    SUPPLEMENT_AND_ACCEPT = "supplement_accept", _("补正齐全，受理")


class SupplementForm(KeyedForm):
    """Which notice items the applicant brought."""

    action = forms.ChoiceField(choices=SupplementAction.choices)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        materials: Sequence[tuple[CaseMaterial, Mapping[str, Any]]],
    ) -> None:
        super().__init__(data)
        self.lines = [SupplementLineForm(data, material=m, notice=n) for m, n in materials]

    def is_valid(self) -> bool:
        """The form and every line are valid, and something was brought."""
        valid = super().is_valid()
        valid = all([line.is_valid() for line in self.lines]) and valid
        if valid and not self.brought():
            self.add_error(None, NOTHING_BROUGHT)
            valid = False
        return valid

    def brought(self) -> list[MaterialLine]:
        """The lines ticked as brought."""
        return [line.material_line() for line in self.lines if line.cleaned_data.get("brought")]


class WithdrawForm(KeyedForm):
    """撤回 with the applicant's reason."""

    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：申请人书面申请撤回；逾期未补正。"),
    )
