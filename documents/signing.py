"""Signed verification tokens for the QR code on every document (Ed25519).

Token format, version 2 (base64url, no padding, canonical):

    0x02 | key id (4 bytes) | len(number) (1 byte) | number (UTF-8)
         | SHA-256 of the content record (32 bytes)
         | Ed25519 signature (64 bytes) over  b"OW-DOC\\x02" + key id + number + sha256

The key id names the ring key that signed (``documents.keyring``: the first 4 bytes of
the SHA-256 of its raw public key), so a token still verifies after the signing key has
been rotated. Version 1 — the same without the key id, signed over
``b"OW-DOC\\x01" + number + sha256`` — is what was issued before rotation; such tokens
still verify, against the ring's keys that were valid by then.

The SHA-256 is over the document's canonical content record (see
``documents.content.canonical_bytes``), not over the PDF: the QR code is
printed inside the PDF, so it cannot carry the hash of the PDF it is part of,
and one record has two layouts (A4 and the 80 mm ticket) that must verify
alike. The stored PDF's own SHA-256 is kept with the file.

Anyone with the public keys (``/verify/keys``; the current one at
``/verify/public-key``) can check a token offline with ``verify_token`` and
nothing but the ``cryptography`` package: it proves that this system issued
that document number with that content digest. Whether the document is still
current, and whether its key has been revoked, needs the online page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from documents.keyring import (
    KEY_ID_BYTES,
    Keyring,
    RingKey,
    SigningKeyError,
    current_key,
    key_id_bytes,
    keyring,
    load_private_key,
    load_public_key,
)

__all__ = [
    "MAX_TOKEN_CHARS",
    "SignedClaims",
    "SigningKeyError",
    "TokenClaims",
    "load_private_key",
    "load_public_key",
    "make_token",
    "public_key_pem",
    "sha256_hex",
    "signing_key",
    "token_key_id",
    "verify_token",
    "verify_with_own_key",
    "verify_with_ring",
]

VERSION = 2
LEGACY_VERSION = 1
DOMAIN = b"OW-DOC\x02"
LEGACY_DOMAIN = b"OW-DOC\x01"
SIGNATURE_BYTES = 64
DIGEST_BYTES = 32
MAX_TOKEN_CHARS = 400


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: the document number, its content digest, the signing key."""

    number: str
    sha256: str
    key_id: str = ""  # "" for a version 1 token, which does not name its key


@dataclass(frozen=True)
class SignedClaims:
    """A token's claims and the ring key whose signature holds (maybe a revoked one)."""

    claims: TokenClaims
    key: RingKey


def signing_key() -> Ed25519PrivateKey:
    """The private half of the ring's current key (see ``documents.keyring``)."""
    key = current_key().private_key
    if key is None:  # pragma: no cover -- the current key always has it
        raise SigningKeyError("the current signing key has no private half")
    return key


def public_key_pem() -> str:
    """The public half of the current signing key, PEM-encoded."""
    return current_key().public_pem


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class _Parsed:
    """A token's fields, before any signature is checked."""

    version: int
    key_id: bytes  # b"" in version 1
    number: bytes
    digest: bytes
    signature: bytes

    @property
    def message(self) -> bytes:
        if self.version == LEGACY_VERSION:
            return LEGACY_DOMAIN + self.number + self.digest
        return DOMAIN + self.key_id + self.number + self.digest


def _parse(token: str) -> _Parsed | None:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if _b64(raw) != token:  # a changed last character can hide in unused bits
        return None
    if not raw or raw[0] not in (VERSION, LEGACY_VERSION):
        return None
    version = raw[0]
    at = 1 if version == LEGACY_VERSION else 1 + KEY_ID_BYTES
    if len(raw) < at + 1:
        return None
    key_id, n = raw[1:at], raw[at]
    if len(raw) != at + 1 + n + DIGEST_BYTES + SIGNATURE_BYTES:
        return None
    number = raw[at + 1 : at + 1 + n]
    digest = raw[at + 1 + n : at + 1 + n + DIGEST_BYTES]
    return _Parsed(version, key_id, number, digest, raw[at + 1 + n + DIGEST_BYTES :])


def _check(parsed: _Parsed, public_key: Ed25519PublicKey) -> TokenClaims | None:
    try:
        public_key.verify(parsed.signature, parsed.message)
        text = parsed.number.decode()
    except (InvalidSignature, UnicodeDecodeError):
        return None
    return TokenClaims(number=text, sha256=parsed.digest.hex(), key_id=parsed.key_id.hex())


def make_token(*, number: str, sha256_hex: str, key: Ed25519PrivateKey | None = None) -> str:
    """Sign ``number`` and the content digest into a compact URL-safe token (version 2).

    ``key`` defaults to the ring's current key; the token names the key by its id.
    """
    raw_number = number.encode()
    if not 0 < len(raw_number) < 256:
        raise ValueError("document number must be 1..255 bytes of UTF-8")
    digest = bytes.fromhex(sha256_hex)
    if len(digest) != DIGEST_BYTES:
        raise ValueError("sha256_hex must be 64 hex digits")
    private = key or signing_key()
    key_id = key_id_bytes(private.public_key())
    signature = private.sign(DOMAIN + key_id + raw_number + digest)
    header = bytes([VERSION]) + key_id + bytes([len(raw_number)])
    return _b64(header + raw_number + digest + signature)


def token_key_id(token: str) -> str | None:
    """The key id a well-formed version 2 token names ("" for version 1), unverified."""
    parsed = _parse(token)
    return None if parsed is None else parsed.key_id.hex()


def verify_token(token: str, public_key: Ed25519PublicKey) -> TokenClaims | None:
    """The claims of ``token`` if its signature checks out under ``public_key``, else None.

    Works offline, for version 1 and 2 tokens (a version 2 token must name this key).
    Any altered character fails: the encoding must be canonical (no spare bits), and
    every byte is covered by the signature.
    """
    parsed = _parse(token)
    if parsed is None:
        return None
    if parsed.version == VERSION and parsed.key_id != key_id_bytes(public_key):
        return None
    return _check(parsed, public_key)


def verify_with_ring(
    token: str, ring: Keyring | None = None, *, now: datetime | None = None
) -> SignedClaims | None:
    """The claims of ``token`` and the ring key that signed it, revoked keys included.

    A version 2 token is checked with the key it names; a version 1 token (no key id)
    with each key that could have signed it: those valid by ``now``.
    """
    parsed = _parse(token)
    if parsed is None:
        return None
    ring = ring or keyring()
    if parsed.version == VERSION:
        key = ring.get(parsed.key_id.hex())
        candidates = [key] if key is not None else []
    else:
        moment = now or datetime.now(UTC)
        candidates = [key for key in ring.keys if key.valid_from <= moment]
    for candidate in candidates:
        claims = _check(parsed, candidate.public_key)
        if claims is not None:
            return SignedClaims(claims, candidate)
    return None


def verify_with_own_key(token: str) -> TokenClaims | None:
    """The claims of ``token`` if a key of this system's ring signed it and is not revoked."""
    signed = verify_with_ring(token)
    if signed is None or signed.key.revoked:
        return None
    return signed.claims


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
