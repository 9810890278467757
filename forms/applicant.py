"""Intake forms for who is applying: a person, an organisation, or an agent.

They validate and clean; they never save. A person's ``cleaned_data`` carries
the birth date and sex derived from a resident ID number.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.validators import (
    ResidentId,
    check_resident_id_matches,
    normalize_phone,
    normalize_uscc,
    parse_resident_id,
)

ID_NUMBER_CHARACTERS = _("证件号码只能包含字母、数字、括号和连字符。")


class IdType(models.TextChoices):
    """Identity documents a person (or agent) may show at the window.

    The values are those of ``workflows.cases.models.IdType`` (which adds
    ``uscc`` for organisations), so a cleaned form maps onto a case party as is.
    """

    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    PASSPORT = "passport", _("护照")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    """Sex as GB 11643 encodes it."""

    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PhoneField(forms.CharField):
    """A mainland mobile or landline number, cleaned to one spelling."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("联系电话"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        """Normalise the number after the usual required/length checks."""
        text: str = super().clean(value)
        return normalize_phone(text) if text else text


class UsccField(forms.CharField):
    """A unified social credit code, upper-cased and checked."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("label", _("统一社会信用代码"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        """Normalise and check the code after the usual required/length checks."""
        text: str = super().clean(value)
        return normalize_uscc(text) if text else text


def clean_id_document(id_type: str, id_number: str) -> tuple[str, ResidentId | None]:
    """The cleaned document number and, for a 居民身份证, its parsed form.

    Other document types are only checked for plausible characters: their
    formats changed over the years and the issuing authority checks them.
    """
    if id_type == IdType.RESIDENT_ID:
        resident_id = parse_resident_id(id_number)
        return resident_id.number, resident_id
    number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", id_number)).upper()
    if id_type != IdType.OTHER and not re.fullmatch(r"[0-9A-Z()（）-]+", number):
        raise ValidationError(ID_NUMBER_CHARACTERS, code="characters")
    if any(c.isdigit() and not c.isascii() for c in number):  # ٣ or ३: not a digit we store
        raise ValidationError(ID_NUMBER_CHARACTERS, code="characters")
    return number, None


class _IdentityMixin(forms.Form):
    """Document type and number, checked together; derives birth date and sex."""

    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=IdType.choices, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=32)

    def _clean_identity(self, cleaned: dict[str, Any]) -> ResidentId | None:
        id_type = cleaned.get("id_type")
        id_number = cleaned.get("id_number")
        if not id_type or not id_number:
            return None
        try:
            number, resident_id = clean_id_document(id_type, id_number)
        except ValidationError as error:
            self.add_error("id_number", error)
            return None
        cleaned["id_number"] = number
        return resident_id


class PersonApplicantForm(_IdentityMixin):
    """A natural person applying in their own name (自然人申请人)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, help_text=_("持居民身份证的，可不填，由号码推出。")
    )
    sex = forms.ChoiceField(
        label=_("性别"),
        choices=[("", "---------"), *Sex.choices],
        required=False,
        help_text=_("持居民身份证的，可不填，由号码推出。"),
    )
    phone = PhoneField()
    address = forms.CharField(label=_("住址"), max_length=200)

    field_order = ["name", "id_type", "id_number", "birth_date", "sex", "phone", "address"]

    def clean(self) -> dict[str, Any]:
        """Check the document; for a resident ID, cross-check and fill birth date and sex."""
        cleaned = super().clean() or {}
        resident_id = self._clean_identity(cleaned)
        if resident_id is None:
            return cleaned
        try:
            check_resident_id_matches(
                resident_id, birth_date=cleaned.get("birth_date"), sex=cleaned.get("sex")
            )
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        cleaned["birth_date"] = resident_id.birth_date
        cleaned["sex"] = resident_id.sex
        return cleaned


class OrganisationApplicantForm(forms.Form):
    """A legal person or other organisation (法人或其他组织)."""

    name = forms.CharField(label=_("单位名称"), max_length=100)
    uscc = UsccField()
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=50)
    phone = PhoneField()
    address = forms.CharField(label=_("住所"), max_length=200)


# What a case stores of the 授权委托书 (Case.agent_authorisation); the paper original is kept.
AUTHORISATION_MAX = 200
AUTHORISATION_TOO_LONG = _("授权委托内容最多 %(max)s 字，请精简后填写（原文可作为材料留存）。")


class AgentForm(_IdentityMixin):
    """Someone applying on the applicant's behalf with a 授权委托书."""

    name = forms.CharField(label=_("代理人姓名"), max_length=50)
    phone = PhoneField()
    authorisation = forms.CharField(
        label=_("授权委托书"),
        max_length=AUTHORISATION_MAX,
        error_messages={"max_length": AUTHORISATION_TOO_LONG % {"max": AUTHORISATION_MAX}},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("委托事项、权限和期限，例如：代为申请户口迁移并领取结果，期限至办结。"),
    )

    field_order = ["name", "id_type", "id_number", "phone", "authorisation"]

    def clean(self) -> dict[str, Any]:
        """Check the agent's document; for a resident ID, add birth date and sex."""
        cleaned = super().clean() or {}
        resident_id = self._clean_identity(cleaned)
        if resident_id is not None:
            cleaned["birth_date"] = resident_id.birth_date
            cleaned["sex"] = resident_id.sex
        return cleaned
