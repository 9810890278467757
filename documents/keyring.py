"""The ring of Ed25519 keys that sign documents' QR tokens, audit checkpoints and pushes.

Every key has an id — the first 4 bytes of the SHA-256 of its raw public key, as 8 hex
digits, so anyone holding the public key can compute it — a ``valid_from`` moment, and
optionally ``revoked_at`` and a reason. The **current** key (the one that signs) is the
newest whose ``valid_from`` has come, that is not revoked and whose private half is
configured. Older keys are *retired*: they no longer sign, and only their public half
is needed to keep verifying what they signed. A *revoked* key's signatures are not
trusted any more; the verify page names the key and the date. A key is revoked as soon
as its entry has ``revoked_at`` (the date shown), whatever that date is.

Configuration (settings, from the environment):

- ``ONEWINDOW_SIGNING_KEYS``: a JSON list of entries (or that list itself in a settings
  module), each ``{"private": …}`` or ``{"public": …}`` (PEM, or base64 of the raw 32
  bytes) with ``"valid_from"`` (ISO date or date-time; a bare date is midnight in
  ``TIME_ZONE``), and optionally ``"id"`` (checked against the key), ``"revoked_at"``
  and ``"reason"``. ``manage.py signing_key generate`` prints a new entry.
- ``ONEWINDOW_SIGNING_KEY`` (the one key of before rotation): when set it joins the ring
  valid from the beginning, so a deployment with one key keeps working unchanged.

The private keys never reach the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

KEY_ID_BYTES = 4
#: ``valid_from`` of the pre-rotation key (``ONEWINDOW_SIGNING_KEY``): since always.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


class SigningKeyError(ValueError):
    """The configured signing key (or ring) cannot be read."""


def _raw_base64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=False)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyError(f"{what} is neither PEM nor base64") from exc
    if len(raw) != 32:
        raise SigningKeyError(f"a raw {what} must be 32 bytes (base64)")
    return raw


def load_private_key(value: str, what: str = "ONEWINDOW_SIGNING_KEY") -> Ed25519PrivateKey:
    """A PEM (PKCS#8) private key, or the base64 of the 32-byte raw seed."""
    text = (value or "").strip()
    if not text:
        raise SigningKeyError(f"{what} is empty")
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except ValueError as exc:
            raise SigningKeyError(f"{what} is not a readable PEM private key") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f"{what} is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_raw_base64(text, what))


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """A public key: PEM (SubjectPublicKeyInfo, as /verify/public-key) or base64 of raw 32 bytes."""
    data = pem.encode() if isinstance(pem, str) else pem
    if not data.strip().startswith(b"-----BEGIN"):
        return Ed25519PublicKey.from_public_bytes(_raw_base64(data.decode().strip(), "public key"))
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise SigningKeyError("not a readable PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("not an Ed25519 public key")
    return key


def raw_public(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_bytes(key: Ed25519PublicKey) -> bytes:
    """The 4-byte id of a key (as carried in tokens): SHA-256 of the raw public key, cut."""
    return hashlib.sha256(raw_public(key)).digest()[:KEY_ID_BYTES]


def key_id_of(key: Ed25519PublicKey) -> str:
    """The id of a key, 8 hex digits; computable by anyone from the public key."""
    return key_id_bytes(key).hex()


def public_pem(key: Ed25519PublicKey) -> str:
    """A public key, PEM-encoded (SubjectPublicKeyInfo)."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True)
class RingKey:
    """One key of the ring: its public half always, its private half while it may sign."""

    key_id: str
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None
    valid_from: datetime
    revoked_at: datetime | None = None
    revoked_reason: str = ""

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def since_always(self) -> bool:
        """The pre-rotation key, whose start is not known."""
        return self.valid_from == BEGINNING

    @property
    def public_pem(self) -> str:
        return public_pem(self.public_key)

    def sign(self, data: bytes) -> bytes:
        """An Ed25519 signature of ``data``; only a key with its private half can."""
        if self.private_key is None:
            raise SigningKeyError(f"signing key {self.key_id} has no private half configured")
        return self.private_key.sign(data)

    @property
    def public_base64(self) -> str:
        return base64.b64encode(raw_public(self.public_key)).decode("ascii")


@dataclass(frozen=True)
class Keyring:
    """The configured keys, newest ``valid_from`` first."""

    keys: tuple[RingKey, ...]

    def get(self, key_id: str) -> RingKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)

    def duplicates(self) -> list[str]:
        """Key ids that appear more than once (a key configured twice)."""
        seen: set[str] = set()
        twice: list[str] = []
        for key in self.keys:
            if key.key_id in seen and key.key_id not in twice:
                twice.append(key.key_id)
            seen.add(key.key_id)
        return twice

    def newest_valid(self, now: datetime) -> RingKey | None:
        """The newest key whose ``valid_from`` has come, revoked or not."""
        return next((key for key in self.keys if key.valid_from <= now), None)

    def current(self, now: datetime | None = None) -> RingKey | None:
        """The key that signs at ``now``: newest valid, not revoked, private half present."""
        moment = now or datetime.now(UTC)
        return next(
            (
                key
                for key in self.keys
                if key.valid_from <= moment and not key.revoked and key.private_key is not None
            ),
            None,
        )

    def status(self, key: RingKey, now: datetime | None = None) -> str:
        """``revoked``, ``future`` (not valid yet), ``current`` or ``retired``."""
        moment = now or datetime.now(UTC)
        if key.revoked:
            return "revoked"
        if key.valid_from > moment:
            return "future"
        current = self.current(moment)
        return "current" if current is not None and current.key_id == key.key_id else "retired"


def parse_moment(value: Any, field: str) -> datetime:
    """An ISO date (midnight in TIME_ZONE) or date-time (naive: TIME_ZONE) as an aware moment."""
    from django.utils import timezone

    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = str(value or "").strip()
        try:
            moment = (
                datetime.combine(date.fromisoformat(text), time.min)
                if len(text) == 10
                else datetime.fromisoformat(text)
            )
        except ValueError as exc:
            raise SigningKeyError(f"{field} {text!r} is not an ISO date or date-time") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _entry(item: Mapping[str, Any], index: int) -> RingKey:
    where = f"ONEWINDOW_SIGNING_KEYS[{index}]"
    if not isinstance(item, Mapping):
        raise SigningKeyError(f"{where} must be an object")
    unknown = set(item) - {"id", "private", "public", "valid_from", "revoked_at", "reason"}
    if unknown:
        raise SigningKeyError(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
    private = load_private_key(str(item["private"]), where) if item.get("private") else None
    public = private.public_key() if private else None
    if item.get("public"):
        given = load_public_key(str(item["public"]))
        if public is not None and raw_public(given) != raw_public(public):
            raise SigningKeyError(f"{where}: public and private keys do not match")
        public = given
    if public is None:
        raise SigningKeyError(f"{where} needs a private or a public key")
    key_id = key_id_of(public)
    if item.get("id") and str(item["id"]) != key_id:
        raise SigningKeyError(f"{where}: id {item['id']!r} is not this key's id {key_id!r}")
    if "valid_from" not in item:
        raise SigningKeyError(f"{where} needs valid_from")
    revoked_at = item.get("revoked_at")
    return RingKey(
        key_id=key_id,
        public_key=public,
        private_key=private,
        valid_from=parse_moment(item["valid_from"], f"{where}.valid_from"),
        revoked_at=parse_moment(revoked_at, f"{where}.revoked_at") if revoked_at else None,
        revoked_reason=str(item.get("reason") or ""),
    )


def build_keyring(entries: Iterable[Mapping[str, Any]], legacy_key: str = "") -> Keyring:
    """A ring from entries (see the module's docstring) and the pre-rotation key, if any."""
    keys = [_entry(item, i) for i, item in enumerate(entries)]
    if legacy_key and legacy_key.strip():
        private = load_private_key(legacy_key)
        public = private.public_key()
        keys.append(RingKey(key_id_of(public), public, private, BEGINNING))
    # Stable: of two entries with the same start, the one listed first wins.
    keys.sort(key=lambda key: key.valid_from, reverse=True)
    return Keyring(tuple(keys))


def _entries(value: Any) -> list[Mapping[str, Any]]:
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SigningKeyError(f"ONEWINDOW_SIGNING_KEYS is not JSON: {exc}") from exc
    if not isinstance(value, list):
        raise SigningKeyError("ONEWINDOW_SIGNING_KEYS must be a JSON list of key entries")
    return value


@lru_cache(maxsize=8)
def _cached(entries: str, legacy_key: str, zone: str) -> Keyring:
    return build_keyring(json.loads(entries), legacy_key)


def keyring() -> Keyring:
    """The process's ring, from settings (parsed once per configuration)."""
    from django.conf import settings

    entries = _entries(getattr(settings, "ONEWINDOW_SIGNING_KEYS", None))
    return _cached(
        json.dumps(entries, sort_keys=True, default=str),
        str(getattr(settings, "ONEWINDOW_SIGNING_KEY", "") or ""),
        str(settings.TIME_ZONE),
    )


def current_key(now: datetime | None = None) -> RingKey:
    """The key that signs now; ``SigningKeyError`` when the ring has none."""
    key = keyring().current(now)
    if key is None:
        raise SigningKeyError(
            "the signing keyring has no current key (none is configured: set "
            "ONEWINDOW_SIGNING_KEYS or ONEWINDOW_SIGNING_KEY; or every key is revoked, "
            "not yet valid, or configured without its private half)"
        )
    return key
