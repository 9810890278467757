"""Resident ID numbers (GB 11643-1999): check digit, area, birth date, sex."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError

from forms.validators import (
    BIRTH_DATE_MISMATCH,
    RESIDENT_ID_AREA,
    RESIDENT_ID_CHARACTERS,
    RESIDENT_ID_CHECK_DIGIT,
    RESIDENT_ID_DATE_FUTURE,
    RESIDENT_ID_DATE_INVALID,
    RESIDENT_ID_DATE_TOO_EARLY,
    RESIDENT_ID_LENGTH,
    SEX_MISMATCH,
    ResidentId,
    check_resident_id_matches,
    parse_resident_id,
    resident_id_check_digit,
    validate_resident_id,
)

TODAY = date(2025, 6, 1)


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 as in GB 11643: Wi = 2^(18-i) mod 11, C = (12 - S mod 11) mod 11."""
    total = sum(int(a) * pow(2, 17 - i, 11) for i, a in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(area: str = "441426", birth: str = "19900307", sequence: str = "123") -> str:
    first17 = area + birth + sequence
    return first17 + check_digit(first17)


def id_ending_in_x() -> str:
    for n in range(1000):
        number = make_id(birth="19850512", sequence=f"{n:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives an X check digit")  # pragma: no cover


def messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.messages


def test_parse__valid_male_number_gives_birth_date_and_sex() -> None:
    number = make_id(birth="19900307", sequence="123")  # 17th digit 3: odd, male

    parsed = parse_resident_id(number, today=TODAY)

    assert parsed == ResidentId(number=number, birth_date=date(1990, 3, 7), sex="M")
    assert parsed.sex_label == "男"
    assert parsed.area_code == "441426"


def test_parse__even_17th_digit_is_female() -> None:
    parsed = parse_resident_id(make_id(birth="20000229", sequence="024"), today=TODAY)

    assert parsed.sex == "F"
    assert parsed.birth_date == date(2000, 2, 29)


def test_parse__x_check_digit_accepted_in_lower_case_and_normalised() -> None:
    number = id_ending_in_x()

    parsed = parse_resident_id(number.lower(), today=TODAY)

    assert parsed.number == number
    assert parsed.number.endswith("X")


def test_parse__spaces_and_full_width_digits_normalised() -> None:
    number = make_id()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)

    assert parse_resident_id(f" {number[:6]} {number[6:14]} {number[14:]} ").number == number
    assert parse_resident_id(full_width, today=TODAY).number == number


def test_check_digit__matches_the_standard_formula() -> None:
    for first17 in ("11010519491231002", "44142619900307123", "35010020010101456"):
        assert resident_id_check_digit(first17) == check_digit(first17)
    # The example printed in GB 11643-1999 itself.
    assert resident_id_check_digit("11010519491231002") == "X"


def test_parse__wrong_check_digit_says_which_was_expected() -> None:
    number = make_id()
    wrong = "0" if number[-1] != "0" else "1"

    with pytest.raises(ValidationError) as error:
        parse_resident_id(number[:17] + wrong, today=TODAY)

    assert error.value.code == "check_digit"
    assert messages(error) == [
        str(RESIDENT_ID_CHECK_DIGIT % {"expected": number[-1], "actual": wrong})
    ]
    assert f"应为 {number[-1]}" in messages(error)[0]


@pytest.mark.parametrize("value", ["44142619900307123", "4414261990030712345", ""])
def test_parse__wrong_length(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(value, today=TODAY)

    assert error.value.code == "length"
    assert messages(error) == [str(RESIDENT_ID_LENGTH % {"length": len(value)})]


@pytest.mark.parametrize(
    "value", ["4414261990030712X3", "44142619900307A234", "44142619900307123Y"]
)
def test_parse__wrong_characters(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(value, today=TODAY)

    assert error.value.code == "characters"
    assert messages(error) == [str(RESIDENT_ID_CHARACTERS)]


def test_parse__february_30_is_not_a_date() -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(birth="19900230"), today=TODAY)

    assert error.value.code == "birth_date_invalid"
    assert messages(error) == [str(RESIDENT_ID_DATE_INVALID % {"digits": "19900230"})]


def test_parse__february_29_of_a_common_year_is_not_a_date() -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(birth="19000229"), today=TODAY)

    assert error.value.code == "birth_date_invalid"


def test_parse__birth_date_after_today_refused() -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(birth="20250602"), today=TODAY)

    assert error.value.code == "birth_date_future"
    assert messages(error) == [str(RESIDENT_ID_DATE_FUTURE % {"birth_date": "2025-06-02"})]


def test_parse__born_today_accepted() -> None:
    assert parse_resident_id(make_id(birth="20250601"), today=TODAY).birth_date == TODAY


def test_parse__future_checked_against_local_today_by_default() -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(birth="29990101"))

    assert error.value.code == "birth_date_future"


def test_parse__birth_before_1900_refused() -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(birth="18991231"), today=TODAY)

    assert error.value.code == "birth_date_too_early"
    assert messages(error) == [str(RESIDENT_ID_DATE_TOO_EARLY % {"birth_date": "1899-12-31"})]


@pytest.mark.parametrize("area", ["991426", "001426", "191426", "721426"])
def test_parse__unknown_province_refused(area: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_resident_id(make_id(area=area), today=TODAY)

    assert error.value.code == "area"
    assert messages(error) == [str(RESIDENT_ID_AREA % {"area": area})]


@pytest.mark.parametrize("area", ["110105", "441426", "650102", "810000", "830000"])
def test_parse__real_province_codes_accepted(area: str) -> None:
    assert parse_resident_id(make_id(area=area), today=TODAY).area_code == area


def test_validate_resident_id__works_as_a_field_validator() -> None:
    field = forms.CharField(validators=[validate_resident_id])

    assert field.clean(make_id()) == make_id()
    with pytest.raises(ValidationError) as error:
        field.clean(make_id(birth="19900230"))
    assert error.value.messages == [str(RESIDENT_ID_DATE_INVALID % {"digits": "19900230"})]


def test_matches__same_birth_date_and_sex_pass() -> None:
    parsed = parse_resident_id(make_id(birth="19900307", sequence="123"), today=TODAY)

    check_resident_id_matches(parsed, birth_date=date(1990, 3, 7), sex="M")
    check_resident_id_matches(parsed)


def test_matches__mismatch_says_what_the_number_implies() -> None:
    parsed = parse_resident_id(make_id(birth="19900307", sequence="123"), today=TODAY)

    with pytest.raises(ValidationError) as error:
        check_resident_id_matches(parsed, birth_date=date(1990, 7, 3), sex="F")

    assert error.value.message_dict == {
        "birth_date": [str(BIRTH_DATE_MISMATCH % {"expected": "1990-03-07"})],
        "sex": [str(SEX_MISMATCH % {"expected": "男"})],
    }
    assert error.value.message_dict["sex"] == ["性别与居民身份证号码不符：号码显示性别为男。"]
