"""Forms of 好差评: they shape input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.rating.models import Level, Reason, Rectification
from workflows.rating.services.ratings import COMMENT_MAX

LEVEL_CHOICES = [(str(value), label) for value, label in Level.choices]


class CodeForm(forms.Form):
    """The 评价码 printed on the completion notice."""

    code = forms.CharField(
        label=_("评价码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "ABCD2345"}
        ),
    )


class RatingForm(forms.Form):
    """Level, 差评 reasons and free text; the digits on public pages."""

    digits = forms.CharField(
        label=_("申请人手机号码或证件号码后 4 位"),
        max_length=8,
        required=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "off", "inputmode": "text", "size": 6}, render_value=False
        ),
    )
    level = forms.ChoiceField(
        label=_("评价等级"), choices=LEVEL_CHOICES, widget=forms.RadioSelect, required=False
    )
    reasons = forms.MultipleChoiceField(
        label=_("差评原因（选择不满意或非常不满意时必选，可多选）"),
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("意见和建议（选填）"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CallBackForm(forms.Form):
    """回访记录."""

    note = forms.CharField(label=_("回访记录"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    """核实 and 整改 or 说明."""

    finding = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 3}))
    resolution = forms.ChoiceField(
        label=_("处理方式"), choices=Rectification.Resolution.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("整改措施或说明"), widget=forms.Textarea(attrs={"rows": 3}))


class FeedBackForm(forms.Form):
    """反馈 to the applicant."""

    text = forms.CharField(label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    """申诉."""

    grounds = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("证据材料"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecisionForm(forms.Form):
    """A supervisor's decision on an appeal."""

    upheld = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("申诉成立")), ("0", _("申诉不成立"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))


class StatisticsForm(forms.Form):
    """The desk's grouping and period."""

    by = forms.ChoiceField(
        label=_("统计维度"),
        required=False,
        choices=[
            ("center", _("受理中心")),
            ("department", _("实施部门")),
            ("item", _("服务事项")),
            ("clerk", _("窗口人员")),
            ("month", _("月份")),
        ],
    )
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
