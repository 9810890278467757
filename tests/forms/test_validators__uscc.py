"""Unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forms.validators import (
    USCC_AREA,
    USCC_CHARACTERS,
    USCC_CHECK_DIGIT,
    USCC_LENGTH,
    normalize_uscc,
    uscc_check_character,
    validate_uscc,
)

# The code alphabet of GB 32100: digits and capitals without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_character(first17: str) -> str:
    """GB 32100 check character: weights Wi = 3^(i-1) mod 31, C = 31 - (S mod 31), 31 → 0."""
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def test_weights__are_the_published_ones() -> None:
    published = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

    assert tuple(pow(3, i, 31) for i in range(17)) == published


def test_published_sample_is_valid() -> None:
    # Often quoted as a valid example; checked here against the standard's formula.
    assert check_character("91350100M000100Y4") == "3"
    assert normalize_uscc("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "first17",
    ["91441426MA4W12345", "12441400007135002", "52441426MJL000001", "92441426L12345678"],
)
def test_generated_codes_are_valid(first17: str) -> None:
    code = first17 + check_character(first17)

    assert uscc_check_character(first17) == check_character(first17)
    validate_uscc(code)


def test_lower_case_and_spaces_normalised() -> None:
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_wrong_check_character_says_which_was_expected() -> None:
    with pytest.raises(ValidationError) as error:
        normalize_uscc("91350100M000100Y44")

    assert error.value.code == "check_digit"
    assert error.value.messages == [str(USCC_CHECK_DIGIT % {"expected": "3", "actual": "4"})]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters_refused(letter: str) -> None:
    code = "91350100M000100" + letter + "43"

    with pytest.raises(ValidationError) as error:
        normalize_uscc(code)

    assert error.value.code == "characters"
    assert error.value.messages == [str(USCC_CHARACTERS % {"chars": letter})]


@pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_refused(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_uscc(value)

    assert error.value.messages == [str(USCC_LENGTH % {"length": len(value)})]


def test_area_part_must_be_digits() -> None:
    first17 = "9135A100M000100Y4"
    code = first17 + check_character(first17)

    with pytest.raises(ValidationError) as error:
        normalize_uscc(code)

    assert error.value.messages == [str(USCC_AREA % {"area": "35A100"})]
