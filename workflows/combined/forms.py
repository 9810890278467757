"""一件事 window forms: sub-items and materials, the deceased person, what a supplement brought."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from forms.validators import validate_resident_id
from workflows.combined import selectors
from workflows.combined.models import Bundle
from workflows.combined.services import DeceasedPerson
from workflows.window.forms import COMPETENT_ORGAN_REQUIRED, REJECTION_NEEDS_REASON

DEATH_IN_FUTURE = gettext_lazy("死亡日期不能晚于今天，请核对死亡证明。")


class PartsForm(forms.Form):
    """Which sub-items the applicant asks for, and which materials were received."""

    parts = forms.MultipleChoiceField(
        label=gettext_lazy("申请的子项"), widget=forms.CheckboxSelectMultiple
    )
    materials = forms.MultipleChoiceField(
        label=gettext_lazy("已收材料"), widget=forms.CheckboxSelectMultiple, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The same outcomes as a single item's intake (行政许可法第三十二条).
    outcome = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[
            ("accept", gettext_lazy("一次受理并分送各部门")),
            ("correct", gettext_lazy("出具一次性告知书（补正）")),
            ("reject", gettext_lazy("不予受理")),
        ],
        initial="accept",
        required=False,  # not chosen: accept, as the page always did
        widget=forms.RadioSelect,
    )
    rejection_reason = forms.CharField(
        label=gettext_lazy("不予受理理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outside_competence = forms.BooleanField(
        label=gettext_lazy("不属于本机关职权范围"), required=False
    )
    competent_organ = forms.CharField(
        label=gettext_lazy("应向其申请的机关"), required=False, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        """Reasons are required only when not accepting (the window's rule)."""
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "reject":
            if not (cleaned.get("rejection_reason") or "").strip():
                self.add_error("rejection_reason", REJECTION_NEEDS_REASON)
            if (
                cleaned.get("outside_competence")
                and not (cleaned.get("competent_organ") or "").strip()
            ):
                self.add_error("competent_organ", COMPETENT_ORGAN_REQUIRED)
        return cleaned

    def __init__(self, *args: Any, bundle: Bundle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bundle = bundle
        self.part_rows = selectors.bundle_parts(bundle)
        self.union = selectors.union_checklist(bundle)
        parts = cast(forms.MultipleChoiceField, self.fields["parts"])
        parts.choices = [(str(p.item_id), p.item.name) for p in self.part_rows]
        materials = cast(forms.MultipleChoiceField, self.fields["materials"])
        materials.choices = [(m.key, m.name) for m in self.union]
        if not self.is_bound:
            self.initial.setdefault("parts", [str(p.item_id) for p in self.part_rows])
            self.initial.setdefault("token", uuid.uuid4().hex)


class DeceasedForm(forms.Form):
    """公民身后一件事: who died (its sub-items need the person, not the applicant)."""

    name = forms.CharField(label=gettext_lazy("逝者姓名"), max_length=100)
    id_number = forms.CharField(
        label=gettext_lazy("逝者身份证号码"), max_length=18, validators=[validate_resident_id]
    )
    date_of_death = forms.DateField(
        label=gettext_lazy("死亡日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_id_number(self) -> str:
        return str(self.cleaned_data["id_number"]).strip().upper()

    def clean_date_of_death(self) -> Any:
        day = self.cleaned_data["date_of_death"]
        if day > timezone.localdate():
            raise forms.ValidationError(DEATH_IN_FUTURE)
        return day

    def person(self) -> DeceasedPerson:
        data = self.cleaned_data
        return DeceasedPerson(
            name=data["name"].strip(),
            id_number=data["id_number"],
            date_of_death=data["date_of_death"],
        )


class SupplementForm(forms.Form):
    """What the applicant brought, of the bundle's notice; then 补正 only, or 补正 and 受理."""

    brought = forms.MultipleChoiceField(
        label=gettext_lazy("补交的材料"), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        choices=[
            ("accept", gettext_lazy("补正齐全，一并受理")),
            ("supplement", gettext_lazy("仅登记补正")),
        ]
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, lines: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brought = cast(forms.MultipleChoiceField, self.fields["brought"])
        brought.choices = [(line["name"], line["name"]) for line in lines]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
