"""Signed verification tokens for the QR code on every document (Ed25519).

Token format, version 1 (base64url, no padding, canonical):

    0x01 | len(number) (1 byte) | number (UTF-8) | SHA-256 of the content record (32 bytes)
         | Ed25519 signature (64 bytes) over  b"OW-DOC\\x01" + number + sha256

The SHA-256 is over the document's canonical content record (see
``documents.content.canonical_bytes``), not over the PDF: the QR code is
printed inside the PDF, so it cannot carry the hash of the PDF it is part of,
and one record has two layouts (A4 and the 80 mm ticket) that must verify
alike. The stored PDF's own SHA-256 is kept with the file.

Anyone with the public key (``/verify/public-key``) can check a token offline
with ``verify_token`` and nothing but the ``cryptography`` package: it proves
that this system issued that document number with that content digest.
Whether the document is still current needs the online page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

VERSION = 1
DOMAIN = b"OW-DOC\x01"
SIGNATURE_BYTES = 64
DIGEST_BYTES = 32
MAX_TOKEN_CHARS = 400


class SigningKeyError(ValueError):
    """The configured signing key cannot be read."""


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: the document number and its content digest."""

    number: str
    sha256: str


def load_private_key(value: str) -> Ed25519PrivateKey:
    """A PEM (PKCS#8) private key, or the base64 of the 32-byte raw seed."""
    text = (value or "").strip()
    if not text:
        raise SigningKeyError("ONEWINDOW_SIGNING_KEY is empty")
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError("ONEWINDOW_SIGNING_KEY is not an Ed25519 key")
        return key
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=False)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyError("ONEWINDOW_SIGNING_KEY is neither PEM nor base64") from exc
    if len(raw) != 32:
        raise SigningKeyError("a raw ONEWINDOW_SIGNING_KEY must be 32 bytes (base64)")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """The public key as published at /verify/public-key (PEM, SubjectPublicKeyInfo)."""
    data = pem.encode() if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("not an Ed25519 public key")
    return key


@lru_cache(maxsize=4)
def _private_key(value: str) -> Ed25519PrivateKey:
    return load_private_key(value)


def signing_key() -> Ed25519PrivateKey:
    """The process's signing key, from settings.ONEWINDOW_SIGNING_KEY."""
    from django.conf import settings

    return _private_key(settings.ONEWINDOW_SIGNING_KEY)


def public_key_pem() -> str:
    """The public half of the signing key, PEM-encoded."""
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _message(number: bytes, digest: bytes) -> bytes:
    return DOMAIN + number + digest


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_token(*, number: str, sha256_hex: str, key: Ed25519PrivateKey | None = None) -> str:
    """Sign ``number`` and the content digest into a compact URL-safe token."""
    raw_number = number.encode()
    if not 0 < len(raw_number) < 256:
        raise ValueError("document number must be 1..255 bytes of UTF-8")
    digest = bytes.fromhex(sha256_hex)
    if len(digest) != DIGEST_BYTES:
        raise ValueError("sha256_hex must be 64 hex digits")
    signature = (key or signing_key()).sign(_message(raw_number, digest))
    return _b64(bytes([VERSION, len(raw_number)]) + raw_number + digest + signature)


def verify_token(token: str, public_key: Ed25519PublicKey) -> TokenClaims | None:
    """The claims of ``token`` if its signature checks out under ``public_key``, else None.

    Works offline. Any altered character fails: the encoding must be
    canonical (no spare bits), and every byte is covered by the signature.
    """
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if _b64(raw) != token:  # a changed last character can hide in unused bits
        return None
    if len(raw) < 2 or raw[0] != VERSION:
        return None
    n = raw[1]
    if len(raw) != 2 + n + DIGEST_BYTES + SIGNATURE_BYTES:
        return None
    number = raw[2 : 2 + n]
    digest = raw[2 + n : 2 + n + DIGEST_BYTES]
    signature = raw[2 + n + DIGEST_BYTES :]
    try:
        public_key.verify(signature, _message(number, digest))
        text = number.decode()
    except (InvalidSignature, UnicodeDecodeError):
        return None
    return TokenClaims(number=text, sha256=digest.hex())


def verify_with_own_key(token: str) -> TokenClaims | None:
    """``verify_token`` with this system's own public key."""
    return verify_token(token, signing_key().public_key())


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
