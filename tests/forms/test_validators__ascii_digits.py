"""Only ASCII digits are stored: Arabic-Indic, Devanagari and other scripts' digits are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forms.applicant import clean_id_document
from forms.validators import normalize_phone, parse_resident_id

VALID_ID = "441426199001011238"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, DEVANAGARI])
def test_resident_id_in_other_scripts_digits_is_refused(digits: dict[int, str]) -> None:
    with pytest.raises(ValidationError):
        parse_resident_id(VALID_ID[:6] + VALID_ID[6:].translate(digits))


@pytest.mark.parametrize("digits", [ARABIC_INDIC, DEVANAGARI])
def test_phone_in_other_scripts_digits_is_refused(digits: dict[int, str]) -> None:
    with pytest.raises(ValidationError):
        normalize_phone("139" + "12345678".translate(digits))
    with pytest.raises(ValidationError):
        normalize_phone("0753-8" + "123456".translate(digits))


@pytest.mark.parametrize("id_type", ["passport", "other", "hk_macao"])
def test_other_documents_with_other_scripts_digits_are_refused(id_type: str) -> None:
    with pytest.raises(ValidationError):
        clean_id_document(id_type, "E12" + "34567".translate(ARABIC_INDIC))


def test_full_width_digits_still_become_ascii() -> None:
    assert parse_resident_id(VALID_ID.translate(FULL_WIDTH)).number == VALID_ID
    assert normalize_phone("13912345678".translate(FULL_WIDTH)) == "13912345678"
