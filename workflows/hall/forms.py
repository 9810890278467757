"""Validation of the hall's forms (the rules themselves live in services and schedule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.hall.models import Closure, OpeningPeriod, RotaDay


class PersonForm(forms.Form):
    """Who books: name, ID number, mobile phone, and whether they need help."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=11,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
    needs_help = forms.BooleanField(
        label=_("需要帮办代办（老年人、残疾人等，窗口优先办理）"), required=False
    )
    help_note = forms.CharField(label=_("需要的帮助"), max_length=100, required=False)


class LookupForm(forms.Form):
    """A booking found by its reference and the last four digits of the phone or ID number."""

    reference = forms.CharField(label=_("预约号"), max_length=12)
    digits = forms.CharField(
        label=_("手机号或身份证号后四位"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CheckInForm(forms.Form):
    reference = forms.CharField(label=_("预约号"), max_length=12, required=False)
    id_number = forms.CharField(label=_("或身份证号"), max_length=18, required=False)


class PriorityForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)


class DeskForm(forms.Form):
    """The clerk's window: its name on the display and the counters it serves."""

    window = forms.CharField(label=_("本窗口名称"), max_length=20)
    counters = forms.MultipleChoiceField(label=_("本窗口办理"), widget=forms.CheckboxSelectMultiple)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = OpeningPeriod
        fields = ["weekday", "kind", "opens", "closes", "counter", "windows"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}),
            "closes": forms.TimeInput(attrs={"type": "time"}),
        }


class RotaForm(forms.ModelForm):
    class Meta:
        model = RotaDay
        fields = ["date", "opens", "closes", "windows", "staff", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "opens": forms.TimeInput(attrs={"type": "time"}),
            "closes": forms.TimeInput(attrs={"type": "time"}),
            "staff": forms.CheckboxSelectMultiple,
        }


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["date", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
