"""The intake form and its parts: the outcome (also the review's form), checklist, applicant.

They validate and turn what the clerk typed into the inputs of the services
(Party, MaterialLine, CorrectionLine); they never write.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms.applicant import AgentForm, OrganisationApplicantForm, PersonApplicantForm
from workflows.cases.models import ApplicantKind, CaseMaterial, IdType
from workflows.cases.services import CorrectionLine, MaterialLine, Party
from workflows.catalog.models import ItemMaterial, ServiceItem
from workflows.window.forms.keyed import KeyedForm
from workflows.window.notice import missing_problem
from workflows.window.outcomes import Outcome

DEFECT_NEEDS_PROBLEM = _("请写明这份材料哪里不符合要求，以便一次性告知申请人。")
NOTHING_TO_CORRECT = _("没有标为“缺少”或“不符合要求”的必交材料，无需补正；材料齐全的请直接受理。")
REJECTION_NEEDS_REASON = _("不予受理须写明理由。")
COMPETENT_ORGAN_REQUIRED = _("不属于本机关职权范围的，须告知申请人向哪个机关申请。")


# ---------------------------------------------------------------- the outcome


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

    def rejection(self) -> tuple[str, str]:
        """The reason for not accepting, and the competent organ when outside competence."""
        data = self.cleaned_data
        organ = data["competent_organ"] if data["outside_competence"] else ""
        return data["rejection_reason"], organ


# ---------------------------------------------------------------- the checklist


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
        self._data = data
        self.control = IntakeControlForm(data, prefix="c")
        self.checklist = Checklist(item, data)

    # Only the parts that apply are bound (validated); the others keep what was typed.
    # Each is built when first asked for: an accepted intake never shows the parts that
    # do not apply, so it does not build them (a redisplayed page does, as before).
    @cached_property
    def person(self) -> forms.Form:
        """The natural-person applicant part."""
        return self._part(PersonApplicantForm, "p", self._data, self.kind == ApplicantKind.PERSON)

    @cached_property
    def organisation(self) -> forms.Form:
        """The organisation applicant part."""
        return self._part(
            OrganisationApplicantForm, "o", self._data, self.kind == ApplicantKind.ORGANISATION
        )

    @cached_property
    def agent(self) -> forms.Form:
        """The agent part (帮办代办)."""
        return self._part(AgentForm, "a", self._data, self.has_agent)

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
