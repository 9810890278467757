"""Display restriction: what paper and the public page show of personal data."""

from __future__ import annotations

import json

import pytest

from documents.masking import (
    Audience,
    mask_id_number,
    mask_name,
    mask_phone,
    printed_id_number,
)
from documents.models import DocumentKind
from tests.conftest import APPLICANT_ID
from tests.documents.conftest import DocumentMaker


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("441426199001011238", "4414**********1238"),
        ("44142619900101123X", "4414**********123X"),
        ("H12345678", "H1*****78"),  # 港澳通行证
        ("E1234", "E***4"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_id_numbers(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("audience", "masked"),
    [
        (Audience.SCREEN, "441426********1238"),
        (Audience.PRINT, "4414**********1238"),
        (Audience.PUBLIC, "4414**************"),
    ],
)
def test_one_policy_with_a_variant_for_each_audience(audience: Audience, masked: str) -> None:
    assert mask_id_number(APPLICANT_ID, audience) == masked


def test_the_public_audience_never_shows_the_status_credential() -> None:
    # The last four digits of the ID or phone open /status/; /verify/ is public.
    assert not mask_id_number("H12345678", Audience.PUBLIC).endswith("78")
    assert mask_id_number("91441426MA4W12345X", Audience.PUBLIC, id_type="uscc").endswith("*")
    assert mask_phone("13912345678", Audience.PUBLIC) == "*" * 11
    # Masking what is already printed masks further, never less.
    printed = mask_id_number(APPLICANT_ID, Audience.PRINT)
    assert mask_id_number(printed, Audience.PUBLIC) == mask_id_number(APPLICANT_ID, Audience.PUBLIC)


def test_screen_and_print_agree_on_short_numbers_and_credit_codes() -> None:
    for audience in (Audience.SCREEN, Audience.PRINT):
        assert mask_id_number("E12345678", audience, id_type="passport") == "E1*****78"
        code = "91441426MA4W12345X"
        assert mask_id_number(code, audience, id_type="uscc") == code


def test_phones_and_names() -> None:
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0753-8812345") == "********2345"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_name("张") == "张*"


def test_a_legal_persons_credit_code_is_printed_in_full() -> None:
    code = "91441426MA4W12345X"
    assert printed_id_number(id_number=code, id_type="uscc", applicant_kind="organisation") == code
    assert (
        printed_id_number(id_number=APPLICANT_ID, id_type="resident_id", applicant_kind="person")
        == "4414**********1238"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DocumentKind.values)
def test_no_document_stores_or_prints_the_full_id_or_phone(
    make_document: DocumentMaker, kind: str
) -> None:
    document = make_document(kind, rendered=False)

    record = json.dumps(document.content, ensure_ascii=False)

    assert APPLICANT_ID not in record
    assert "13912345678" not in record
