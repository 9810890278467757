"""Ed25519 tokens: compact, canonical, verifiable offline; keys from PEM or raw base64."""

from __future__ import annotations

import base64

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from documents import signing
from documents.keyring import key_id_of

NUMBER = "平远公安延字〔2026〕000123号"
DIGEST = "ab" * 32


def test_a_token_round_trips_with_the_public_key() -> None:
    key = Ed25519PrivateKey.generate()
    token = signing.make_token(number=NUMBER, sha256_hex=DIGEST, key=key)

    claims = signing.verify_token(token, key.public_key())

    key_id = key_id_of(key.public_key())
    assert claims == signing.TokenClaims(number=NUMBER, sha256=DIGEST, key_id=key_id)
    assert signing.token_key_id(token) == key_id
    assert signing.verify_token(token, Ed25519PrivateKey.generate().public_key()) is None


def test_the_token_and_its_qr_code_stay_small() -> None:
    token = signing.make_token(number=NUMBER, sha256_hex=DIGEST, key=Ed25519PrivateKey.generate())
    url = "https://zwfw.pingyuan.gov.cn/verify/" + token

    assert len(token) <= 186  # 180 before tokens carried the 4-byte key id
    assert segno.make(url, error="m").version <= 11  # 61 modules: 0.43 mm each at 26 mm


def test_keys_load_from_pem_and_from_raw_base64() -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )

    for text in (pem, base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        loaded = signing.load_private_key(text)
        assert (
            loaded.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            == public
        )


@pytest.mark.parametrize("text", ["", "not-a-key!", base64.b64encode(b"short").decode()])
def test_a_bad_key_is_refused_clearly(text: str) -> None:
    with pytest.raises(signing.SigningKeyError):
        signing.load_private_key(text)


def test_the_configured_key_signs_and_its_public_half_is_published() -> None:
    token = signing.make_token(number=NUMBER, sha256_hex=DIGEST)

    public = signing.load_public_key(signing.public_key_pem())

    assert signing.verify_token(token, public) is not None
    assert signing.verify_with_own_key(token) is not None


def test_a_token_naming_another_key_fails_even_with_a_valid_signature() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    token = signing.make_token(number=NUMBER, sha256_hex=DIGEST, key=key)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[1:5] = bytes.fromhex(key_id_of(other.public_key()))
    renamed = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()

    assert signing.verify_token(renamed, key.public_key()) is None  # the key id is signed
    assert signing.verify_token(renamed, other.public_key()) is None
