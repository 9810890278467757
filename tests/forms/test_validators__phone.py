"""Mainland mobile and landline numbers: accepted spellings and the normal form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forms.validators import (
    MOBILE_INVALID,
    PHONE_INVALID,
    normalize_mobile,
    normalize_phone,
    validate_phone,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0086-13912345678", "13912345678"),
        ("19912345678", "19912345678"),
        ("0753-8123456", "0753-8123456"),
        ("0753 8123456", "0753-8123456"),
        ("07538123456", "0753-8123456"),
        ("(0753)8123456", "0753-8123456"),
        ("（0753）8123456", "0753-8123456"),
        ("0753－8123456", "0753-8123456"),
        ("020-82345678", "020-82345678"),
        ("010-6512-3456", "010-65123456"),
        ("0753-8123456-801", "0753-8123456-801"),
        ("0753-8123456转801", "0753-8123456-801"),
        ("0753-8123456 分机 801", "0753-8123456-801"),
        ("0753-8123456 ext. 801", "0753-8123456-801"),
        ("+86 753 8123456", "0753-8123456"),
    ],
)
def test_normalize_phone__accepted_spellings(value: str, expected: str) -> None:
    assert normalize_phone(value) == expected
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345",  # a hotline, not a subscriber number
        "1391234567",  # 10 digits
        "139123456789",  # 12 digits
        "12912345678",  # no mobile network starts with 12
        "8123456",  # landline without area code
        "0753-0123456",  # local numbers never start with 0
        "0753-812345",  # 6-digit local number
        "0753-812345678",  # 9-digit local number
        "13912345678-801",  # mobiles have no extension
        "abc",
    ],
)
def test_normalize_phone__refused(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_phone(value)

    assert error.value.code == "phone"
    assert error.value.messages == [str(PHONE_INVALID)]


def test_normalize_mobile__refuses_a_landline() -> None:
    assert normalize_mobile("+86 139-1234-5678") == "13912345678"
    with pytest.raises(ValidationError) as error:
        normalize_mobile("0753-8123456")

    assert error.value.messages == [str(MOBILE_INVALID)]
