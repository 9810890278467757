"""The window's forms: the intake (composed of forms.applicant), the checklist, the outcomes.

They validate and turn what the clerk typed into the inputs of the ``cases``
services (Party, MaterialLine, CorrectionLine); they never write.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.applicant import AgentForm, OrganisationApplicantForm, PersonApplicantForm
from workflows.cases.models import (
    ApplicantKind,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    IdType,
    OverdueReason,
)
from workflows.cases.services import CorrectionLine, MaterialLine, Party, overdue_reason_problem
from workflows.catalog.models import ItemMaterial, ServiceItem

# ---------------------------------------------------------------- messages

STALE_FORM = _("页面已过期或被重复打开，请核对填写内容后重新提交。")
DEFECT_NEEDS_PROBLEM = _("请写明这份材料哪里不符合要求，以便一次性告知申请人。")
NOTHING_TO_CORRECT = _("没有标为“缺少”或“不符合要求”的必交材料，无需补正；材料齐全的请直接受理。")
REJECTION_NEEDS_REASON = _("不予受理须写明理由。")
COMPETENT_ORGAN_REQUIRED = _("不属于本机关职权范围的，须告知申请人向哪个机关申请。")
DENIAL_NEEDS_REASON = _("不予办理须写明理由。")
DELIVERY_METHOD_NEEDED = _("当场出件须选择送达方式。")
OVERDUE_REASON_NEEDED = _("本件已超过承诺办结期限，出件时须选择超期原因。")
NOTHING_BROUGHT = _("请勾选申请人本次补交的材料。")
MISSING_DEFAULT = _("未提交。应提交：%(form)s %(copies)s 份。")
MISSING_DEFAULT_NOTE = _("未提交。应提交：%(form)s %(copies)s 份（%(note)s）。")

KEY_PATTERN = r"^[0-9a-f]{32}$"


def new_key() -> str:
    """A fresh idempotency key for one rendered form."""
    return uuid.uuid4().hex


def service_key_prefix(user_pk: int, key: str) -> str:
    """What every service key of one submitted form starts with (clerk and form scoped)."""
    return f"window:{user_pk}:{key}:"


class KeyField(forms.RegexField):
    """The hidden idempotency key: a double-clicked submit repeats it, a new page gets a new one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("error_messages", {"required": STALE_FORM, "invalid": STALE_FORM})
        super().__init__(regex=KEY_PATTERN, **kwargs)


class KeyedForm(forms.Form):
    """A form whose submission carries an idempotency key."""

    key = KeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", new_key())

    def full_clean(self) -> None:
        """Clean; a stale key is replaced, so the corrected form can be submitted again."""
        super().full_clean()
        if self.is_bound and "key" in self.errors:
            data = cast(Any, self.data).copy()
            data[self.add_prefix("key")] = new_key()
            self.data = data

    def service_key(self, user_pk: int, action: str) -> str:
        """The key passed to a service: scoped to the clerk and to the action."""
        return f"{service_key_prefix(user_pk, self.cleaned_data['key'])}{action!s}"


# ---------------------------------------------------------------- outcomes


class Outcome(models.TextChoices):
    """What the clerk decides at the window (行政许可法第三十二条)."""

    ACCEPT = "accept", _("受理")
    CORRECT = "correct", _("一次性告知补正")
    REJECT = "reject", _("不予受理")


class OutcomeForm(KeyedForm):
    """The clerk's decision on a received application, with the reasons for not accepting."""

    outcome = forms.ChoiceField(label=_("处理结果"), choices=Outcome.choices)
    rejection_reason = forms.CharField(
        label=_("不予受理理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outside_competence = forms.BooleanField(
        label=_("不属于本机关职权范围"),
        required=False,
        help_text=_("依法应当即时作出不予受理决定，并告知申请人向有关行政机关申请。"),
    )
    competent_organ = forms.CharField(label=_("应向其申请的机关"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        """Reasons are required only when not accepting."""
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == Outcome.REJECT:
            if not (cleaned.get("rejection_reason") or "").strip():
                self.add_error("rejection_reason", REJECTION_NEEDS_REASON)
            if (
                cleaned.get("outside_competence")
                and not (cleaned.get("competent_organ") or "").strip()
            ):
                self.add_error("competent_organ", COMPETENT_ORGAN_REQUIRED)
        return cleaned


# ---------------------------------------------------------------- the checklist


def missing_problem(material: ItemMaterial | CaseMaterial, copies: int | None = None) -> str:
    """The default 一次性告知 line for a material not handed in: what is due, in which form."""
    form = str(CaseMaterial.Form(material.form).label)
    params = {"form": form, "copies": copies if copies is not None else material.copies}
    note = getattr(material, "note", "")
    if note:
        return str(MISSING_DEFAULT_NOTE % {**params, "note": note})
    return str(MISSING_DEFAULT % params)


class MaterialLineForm(forms.Form):
    """One line of the item's checklist as the clerk checked it."""

    state = forms.ChoiceField(
        label=_("情况"),
        choices=CaseMaterial.State.choices,
        initial=CaseMaterial.State.MISSING,
        widget=forms.RadioSelect,
    )
    form = forms.ChoiceField(label=_("原件/复印件"), choices=CaseMaterial.Form.choices)
    copies = forms.IntegerField(label=_("份数"), min_value=0, max_value=99, required=False)
    pages = forms.IntegerField(label=_("页数"), min_value=0, max_value=9999, required=False)
    problem = forms.CharField(label=_("需补正的内容"), max_length=200, required=False)

    def __init__(self, *args: Any, material: ItemMaterial, **kwargs: Any) -> None:
        self.material = material
        kwargs.setdefault("prefix", f"m{material.position}")
        kwargs.setdefault("initial", {"form": material.form, "copies": material.copies})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        """A defective material must say what is wrong with it."""
        cleaned = super().clean() or {}
        if (
            cleaned.get("state") == CaseMaterial.State.DEFECTIVE
            and not (cleaned.get("problem") or "").strip()
        ):
            self.add_error("problem", DEFECT_NEEDS_PROBLEM)
        return cleaned

    @property
    def needs_correction(self) -> bool:
        """Missing and required, or defective: it goes on the 一次性告知书."""
        state = self.cleaned_data.get("state")
        if state == CaseMaterial.State.DEFECTIVE:
            return True
        return state == CaseMaterial.State.MISSING and self.material.required

    def material_line(self) -> MaterialLine:
        """The service input for this line."""
        data = self.cleaned_data
        state = data["state"]
        problem = (data.get("problem") or "").strip()
        if state == CaseMaterial.State.MISSING and not problem:
            problem = missing_problem(self.material)
        return MaterialLine(
            material_id=self.material.pk,
            form=data["form"],
            copies=data.get("copies") or 0,
            pages=data.get("pages") or 0,
            state=state,
            problem="" if state == CaseMaterial.State.RECEIVED else problem,
        )

    def correction_line(self) -> CorrectionLine:
        """The 一次性告知 line for this material."""
        line = self.material_line()
        return CorrectionLine(
            position=self.material.position, problem=line.problem, state=line.state
        )


class Checklist:
    """The item's materials, one MaterialLineForm per checklist line, in order."""

    def __init__(self, item: ServiceItem, data: Mapping[str, Any] | None = None) -> None:
        self.item = item
        self.forms = [MaterialLineForm(data, material=m) for m in item.materials.all()]

    def __iter__(self) -> Any:
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def is_valid(self) -> bool:
        """Every line is valid (all are checked, so every error shows at once)."""
        return all([form.is_valid() for form in self.forms])

    def material_lines(self) -> list[MaterialLine]:
        """The service inputs for case_receive."""
        return [form.material_line() for form in self.forms]

    def correction_lines(self) -> list[CorrectionLine]:
        """Everything missing or defective, for the one-time notice."""
        return [form.correction_line() for form in self.forms if form.needs_correction]


# ---------------------------------------------------------------- the intake


class IntakeControlForm(OutcomeForm):
    """Who applies (person or organisation, with or without an agent) and the outcome."""

    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    has_agent = forms.BooleanField(label=_("由代理人代为申请（帮办代办）"), required=False)


class Intake:
    """The whole intake: control, applicant (person or organisation), agent, checklist."""

    def __init__(self, item: ServiceItem, data: Mapping[str, Any] | None = None) -> None:
        self.item = item
        self.is_bound = data is not None
        self.control = IntakeControlForm(data, prefix="c")
        # Only the parts that apply are bound (validated); the others keep what was typed.
        self.person = self._part(PersonApplicantForm, "p", data, self.kind == ApplicantKind.PERSON)
        self.organisation = self._part(
            OrganisationApplicantForm, "o", data, self.kind == ApplicantKind.ORGANISATION
        )
        self.agent = self._part(AgentForm, "a", data, self.has_agent)
        self.checklist = Checklist(item, data)

    @classmethod
    def redisplay(cls, item: ServiceItem, data: Mapping[str, Any]) -> Intake:
        """An unbound intake showing what was posted (the 查询共享材料 step: no errors yet)."""
        intake = cls(item)
        parts = [intake.control, intake.person, intake.organisation, intake.agent]
        for form in [*parts, *intake.checklist.forms]:
            for name in form.fields:
                if form.add_prefix(name) in data:
                    form.initial[name] = data[form.add_prefix(name)]
        return intake

    @staticmethod
    def _part(
        form_class: type[forms.Form], prefix: str, data: Mapping[str, Any] | None, applies: bool
    ) -> forms.Form:
        if data is None or applies:
            return form_class(data, prefix=prefix)
        typed = {
            name.removeprefix(f"{prefix}-"): value
            for name, value in data.items()
            if name.startswith(f"{prefix}-")
        }
        return form_class(prefix=prefix, initial=typed)

    @property
    def kind(self) -> str:
        """The applicant kind chosen (person by default, also when the choice is invalid)."""
        value = self.control["applicant_kind"].value()
        return str(value) if value in ApplicantKind.values else ApplicantKind.PERSON

    @property
    def has_agent(self) -> bool:
        """Whether the agent part is filled in."""
        value = self.control["has_agent"].value()
        return bool(value) and value not in ("false", "0", "off")

    @property
    def applicant_form(self) -> forms.Form:
        """The applicant form that applies to the chosen kind."""
        return self.organisation if self.kind == ApplicantKind.ORGANISATION else self.person

    def parts(self) -> list[forms.Form]:
        """The forms that must validate for this submission."""
        parts: list[forms.Form] = [self.control, self.applicant_form]
        if self.has_agent:
            parts.append(self.agent)
        return parts

    def is_valid(self) -> bool:
        """Validate every part that applies, plus the rules across parts."""
        valid = all([form.is_valid() for form in self.parts()])
        valid = self.checklist.is_valid() and valid
        if (
            valid
            and self.control.cleaned_data["outcome"] == Outcome.CORRECT
            and not self.checklist.correction_lines()
        ):
            self.control.add_error(None, NOTHING_TO_CORRECT)
            valid = False
        return valid

    @property
    def outcome(self) -> str:
        """The chosen outcome (after validation)."""
        return str(self.control.cleaned_data["outcome"])

    def applicant(self) -> Party:
        """The applicant as the services take it."""
        if self.kind == ApplicantKind.ORGANISATION:
            data = self.organisation.cleaned_data
            return Party(
                kind=ApplicantKind.ORGANISATION,
                name=data["name"],
                id_type=IdType.USCC,
                id_number=data["uscc"],
                phone=data["phone"],
                address=data["address"],
                legal_representative=data["legal_representative"],
            )
        data = self.person.cleaned_data
        return Party(
            kind=ApplicantKind.PERSON,
            name=data["name"],
            id_type=data["id_type"],  # forms.applicant.IdType shares the values
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
        )

    def agent_party(self) -> Party | None:
        """The agent, or None when the applicant came in person."""
        if not self.has_agent:
            return None
        data = self.agent.cleaned_data
        return Party(
            kind=ApplicantKind.PERSON,
            name=data["name"],
            id_type=data["id_type"],  # forms.applicant.IdType shares the values
            id_number=data["id_number"],
            phone=data["phone"],
            authorisation=data["authorisation"],
        )

    def error_count(self) -> int:
        """How many messages the clerk must fix (for the summary at the top)."""
        forms_with_errors: list[forms.Form] = [*self.parts(), *self.checklist.forms]
        return sum(len(errs) for form in forms_with_errors for errs in form.errors.values())


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
