"""The forms of the window's case pages: find a case, see one personal datum in full."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """Find a case by number, applicant name, ID number or phone."""

    q = forms.CharField(label=_("查找办件"), required=False, max_length=100)


class RevealForm(forms.Form):
    """Which personal datum to see in full, and why (logged; PIPL arts. 28, 51)."""

    field = forms.ChoiceField(
        label=_("查看"),
        choices=[
            ("applicant_id_number", _("申请人证件号码")),
            ("applicant_phone", _("申请人联系电话")),
            ("agent_id_number", _("代理人证件号码")),
            ("agent_phone", _("代理人电话")),
        ],
    )
    purpose = forms.CharField(
        label=_("用途"),
        max_length=200,
        help_text=_(
            "例如：核对申请人身份、电话联系申请人补正材料。查看记录在办件记录中，督查人员可见。"
        ),
    )
