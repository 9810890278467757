"""Rotating the signing key: old receipts still verify, new ones name the new key, a revoked
key's receipts are flagged on /verify/, and the ring is published at /verify/keys."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from documents.keyring import keyring, load_public_key
from documents.models import DocumentKind
from documents.selectors import verify_document
from documents.services import verify_path
from documents.signing import token_key_id, verify_token
from tests.documents.conftest import DocumentMaker
from tests.documents.keys import configure, kid, public, seed, v1_token

pytestmark = pytest.mark.django_db

AUTHENTIC = "真实文书：本文书由一窗通系统出具"
REVOKED = "签名密钥已吊销"


@pytest.fixture
def old() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def new() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def days_ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).isoformat()


def rotate(
    settings: SettingsWrapper, old: Ed25519PrivateKey, new: Ed25519PrivateKey, **old_extra: str
) -> None:
    """The new key signs since yesterday; the old one is kept by its public half only."""
    configure(
        settings,
        {"private": seed(new), "valid_from": days_ago(1)},
        {"public": public(old), "valid_from": "2026-01-01", **old_extra},
    )


def test_the_one_old_key_setting_is_a_one_key_ring(
    settings: SettingsWrapper, old: Ed25519PrivateKey, make_document: DocumentMaker
) -> None:
    configure(settings, legacy=seed(old))

    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    assert [key.key_id for key in keyring().keys] == [kid(old)]
    assert token_key_id(document.token) == kid(old)
    assert verify_document(document.token).authentic


def test_a_receipt_signed_with_the_old_key_still_verifies_after_rotation(
    settings: SettingsWrapper,
    old: Ed25519PrivateKey,
    new: Ed25519PrivateKey,
    make_document: DocumentMaker,
    client: Client,
) -> None:
    configure(settings, legacy=seed(old))
    before = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    rotate(settings, old, new)
    after = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    assert token_key_id(before.token) == kid(old)
    assert token_key_id(after.token) == kid(new)
    for document in (before, after):
        assert verify_document(document.token).authentic
        html = client.get(verify_path(document)).content.decode()
        assert AUTHENTIC in html
        assert document.number in html
    # Offline, each token checks out under its own key's published half only.
    assert verify_token(before.token, old.public_key()) is not None
    assert verify_token(before.token, new.public_key()) is None


def test_a_version_1_token_from_before_rotation_still_verifies(
    settings: SettingsWrapper,
    old: Ed25519PrivateKey,
    new: Ed25519PrivateKey,
    make_document: DocumentMaker,
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    token = v1_token(old, document.number, document.content_sha256)

    rotate(settings, old, new)

    assert token_key_id(token) == ""
    assert verify_document(token).authentic
    assert verify_token(token, old.public_key()) is not None
    forged = v1_token(Ed25519PrivateKey.generate(), document.number, document.content_sha256)
    assert not verify_document(forged).authentic


def test_a_retired_key_no_longer_signs_and_a_future_key_not_yet(
    settings: SettingsWrapper, old: Ed25519PrivateKey, new: Ed25519PrivateKey
) -> None:
    configure(
        settings,
        {"private": seed(new), "valid_from": (timezone.now() + timedelta(days=3)).isoformat()},
        {"private": seed(old), "valid_from": "2026-01-01"},
    )
    ring = keyring()
    assert ring.current().key_id == kid(old)  # type: ignore[union-attr]
    assert ring.current(timezone.now() + timedelta(days=4)).key_id == kid(new)  # type: ignore[union-attr]


@pytest.mark.usefixtures("compiled_messages")
def test_a_revoked_keys_receipt_says_so_on_the_verify_page(
    settings: SettingsWrapper,
    old: Ed25519PrivateKey,
    new: Ed25519PrivateKey,
    make_document: DocumentMaker,
    client: Client,
) -> None:
    configure(settings, legacy=seed(old))
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    rotate(settings, old, new, revoked_at="2026-11-20", reason="旧服务器硬盘遗失，私钥可能泄露")
    result = verify_document(document.token)
    html = client.get(verify_path(document)).content.decode()
    english = client.get(verify_path(document), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert not result.authentic
    assert result.revoked_key is not None
    assert result.revoked_key.key_id == kid(old)
    assert REVOKED in html
    assert f"签名密钥 {kid(old)} 签发，该密钥已于2026年11月20日吊销" in html
    assert "旧服务器硬盘遗失，私钥可能泄露" in html
    assert AUTHENTIC not in html
    assert document.number not in html  # nothing the revoked key signed is shown as fact
    assert "The signing key has been revoked" in english
    assert f"signed with key {kid(old)}, which was revoked on Nov. 20, 2026" in english
    # New receipts are signed with the new key and verify.
    fresh = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    assert AUTHENTIC in client.get(verify_path(fresh)).content.decode()


def test_a_retired_but_not_revoked_key_still_verifies_as_genuine(
    settings: SettingsWrapper,
    old: Ed25519PrivateKey,
    new: Ed25519PrivateKey,
    make_document: DocumentMaker,
    client: Client,
) -> None:
    configure(settings, legacy=seed(old))
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    rotate(settings, old, new)

    html = client.get(verify_path(document)).content.decode()

    assert AUTHENTIC in html
    assert REVOKED not in html


def test_the_keys_page_lists_the_ring_with_public_halves_only(
    settings: SettingsWrapper, old: Ed25519PrivateKey, new: Ed25519PrivateKey, client: Client
) -> None:
    gone = Ed25519PrivateKey.generate()
    configure(
        settings,
        {"private": seed(new), "valid_from": days_ago(1)},
        {
            "public": public(gone),
            "valid_from": "2025-06-01",
            "revoked_at": "2026-02-01",
            "reason": "私钥泄露",
        },
        legacy=seed(old),
    )

    response = client.get("/verify/keys")
    body = response.json()

    assert response.status_code == 200
    assert body["current"] == kid(new)
    listed = {key["key_id"]: key for key in body["keys"]}
    assert set(listed) == {kid(new), kid(old), kid(gone)}
    assert listed[kid(new)]["status"] == "current"
    assert listed[kid(old)]["status"] == "retired"
    assert listed[kid(old)]["valid_from"] is None  # the pre-rotation key: since always
    assert listed[kid(gone)]["status"] == "revoked"
    assert listed[kid(gone)]["revoked_at"].startswith("2026-02-01")
    assert listed[kid(gone)]["revoked_reason"] == "私钥泄露"
    assert listed[kid(new)]["valid_from"] == keyring().get(kid(new)).valid_from.isoformat()  # type: ignore[union-attr]
    for key_id, entry in listed.items():
        published = load_public_key(entry["public_key_pem"]).public_bytes_raw()
        configured = keyring().get(key_id)
        assert configured is not None
        assert published == configured.public_key.public_bytes_raw()
    text = response.content.decode()
    assert seed(new) not in text
    assert seed(old) not in text
    # /verify/public-key is still the current key alone.
    assert load_public_key(client.get("/verify/public-key").content).public_bytes_raw() == (
        new.public_key().public_bytes_raw()
    )
    assert json.loads(text) == body
