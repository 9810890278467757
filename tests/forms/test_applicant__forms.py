"""Applicant, organisation and agent forms: cleaning, derived fields, zh-Hans messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.applicant import (
    ID_NUMBER_CHARACTERS,
    AgentForm,
    IdType,
    OrganisationApplicantForm,
    PersonApplicantForm,
)
from forms.validators import (
    BIRTH_DATE_MISMATCH,
    PHONE_INVALID,
    RESIDENT_ID_CHECK_DIGIT,
    SEX_MISMATCH,
    USCC_CHECK_DIGIT,
)
from workflows.cases.models import IdType as PartyIdType


def check_digit(first17: str) -> str:
    total = sum(int(a) * pow(2, 17 - i, 11) for i, a in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


FIRST17 = "44142619851120002"  # 平远县, born 1985-11-20, 17th digit 2: female
RESIDENT_ID = FIRST17 + check_digit(FIRST17)


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "钟秀梅",
        "id_type": IdType.RESIDENT_ID,
        "id_number": RESIDENT_ID,
        "birth_date": "",
        "sex": "",
        "phone": "139 1234 5678",
        "address": "广东省梅州市平远县大柘镇黄沙村 8 号",
    }
    data.update(overrides)
    return data


def test_person__resident_id_derives_birth_date_and_sex() -> None:
    form = PersonApplicantForm(data=person())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == date(1985, 11, 20)
    assert form.cleaned_data["sex"] == "F"
    assert form.cleaned_data["id_number"] == RESIDENT_ID
    assert form.cleaned_data["phone"] == "13912345678"


def test_person__matching_birth_date_and_sex_accepted() -> None:
    form = PersonApplicantForm(data=person(birth_date="1985-11-20", sex="F"))

    assert form.is_valid(), form.errors


def test_person__birth_date_mismatch_refused_with_what_the_number_says() -> None:
    form = PersonApplicantForm(data=person(birth_date="1985-11-21"))

    assert not form.is_valid()
    assert form.errors["birth_date"] == [str(BIRTH_DATE_MISMATCH % {"expected": "1985-11-20"})]


def test_person__sex_mismatch_refused_with_what_the_number_says() -> None:
    form = PersonApplicantForm(data=person(sex="M"))

    assert not form.is_valid()
    assert form.errors["sex"] == [str(SEX_MISMATCH % {"expected": "女"})]


def test_person__wrong_check_digit_reported_on_the_id_number() -> None:
    wrong = "0" if RESIDENT_ID[-1] != "0" else "1"
    form = PersonApplicantForm(data=person(id_number=FIRST17 + wrong))

    assert not form.is_valid()
    assert form.errors["id_number"] == [
        str(RESIDENT_ID_CHECK_DIGIT % {"expected": RESIDENT_ID[-1], "actual": wrong})
    ]


def test_person__passport_not_checked_as_resident_id() -> None:
    form = PersonApplicantForm(
        data=person(id_type=IdType.PASSPORT, id_number="e 1234 5678", birth_date="1970-01-02")
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "E12345678"
    assert form.cleaned_data["birth_date"] == date(1970, 1, 2)
    assert form.cleaned_data["sex"] == ""


def test_person__passport_number_with_symbols_refused() -> None:
    form = PersonApplicantForm(data=person(id_type=IdType.PASSPORT, id_number="E1234/5678"))

    assert not form.is_valid()
    assert form.errors["id_number"] == [str(ID_NUMBER_CHARACTERS)]


def test_person__bad_phone_refused() -> None:
    form = PersonApplicantForm(data=person(phone="12345"))

    assert not form.is_valid()
    assert form.errors["phone"] == [str(PHONE_INVALID)]


def test_person__id_type_values_match_the_case_party() -> None:
    assert set(IdType.values) <= set(PartyIdType.values)


def test_person__id_type_labels_are_zh_hans() -> None:
    labels = [str(label) for _, label in PersonApplicantForm().fields["id_type"].choices]

    assert labels == [
        "居民身份证",
        "港澳居民来往内地通行证",
        "台湾居民来往大陆通行证",
        "护照",
        "外国人永久居留身份证",
        "其他",
    ]


def test_person__required_fields_reported_in_zh_hans() -> None:
    form = PersonApplicantForm(data={})

    assert not form.is_valid()
    assert form.errors["name"] == ["这个字段是必填项。"]


def test_organisation__uscc_and_landline_normalised() -> None:
    form = OrganisationApplicantForm(
        data={
            "name": "平远县示例农业专业合作社",
            "uscc": "91350100m000100y43",
            "legal_representative": "谢国强",
            "phone": "(0753)8123456",
            "address": "广东省梅州市平远县大柘镇",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == "91350100M000100Y43"
    assert form.cleaned_data["phone"] == "0753-8123456"


def test_organisation__wrong_uscc_refused() -> None:
    form = OrganisationApplicantForm(
        data={
            "name": "示例公司",
            "uscc": "91350100M000100Y44",
            "legal_representative": "谢国强",
            "phone": "13912345678",
            "address": "平远县",
        }
    )

    assert not form.is_valid()
    assert form.errors["uscc"] == [str(USCC_CHECK_DIGIT % {"expected": "3", "actual": "4"})]


def test_agent__resident_id_checked_and_authorisation_required() -> None:
    data = {
        "name": "钟志明",
        "id_type": IdType.RESIDENT_ID,
        "id_number": RESIDENT_ID.lower(),
        "phone": "13912345678",
        "authorisation": "",
    }
    form = AgentForm(data=data)

    assert not form.is_valid()
    assert list(form.errors) == ["authorisation"]

    form = AgentForm(data={**data, "authorisation": "代为申请户口迁移并领取结果，期限至办结。"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == RESIDENT_ID
    assert form.cleaned_data["birth_date"] == date(1985, 11, 20)


def test_agent__hk_macao_permit_accepted() -> None:
    form = AgentForm(
        data={
            "name": "陈家明",
            "id_type": IdType.HK_MACAO,
            "id_number": "h12345678",
            "phone": "0753-8123456",
            "authorisation": "代为办理社会保障卡申领。",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "H12345678"
    assert "birth_date" not in form.cleaned_data
