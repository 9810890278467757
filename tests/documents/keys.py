"""Signing keys and keyrings for the rotation tests (configured the way the environment does)."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pytest_django.fixtures import Settings as SettingsWrapper

from documents.keyring import key_id_of


def seed(key: Ed25519PrivateKey) -> str:
    """The base64 of the raw 32-byte private key, as ``signing_key generate`` prints it."""
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def public(key: Ed25519PrivateKey) -> str:
    """The base64 of the raw 32-byte public key (a retired key's entry needs only this)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def kid(key: Ed25519PrivateKey) -> str:
    return key_id_of(key.public_key())


def configure(settings: SettingsWrapper, *entries: dict[str, Any], legacy: str = "") -> None:
    """Set the ring as the environment would: ONEWINDOW_SIGNING_KEYS (JSON) and the old key."""
    settings.ONEWINDOW_SIGNING_KEYS = json.dumps(list(entries))
    settings.ONEWINDOW_SIGNING_KEY = legacy


def v1_token(key: Ed25519PrivateKey, number: str, sha256_hex: str) -> str:
    """A token as issued before rotation (version 1: no key id), byte for byte."""
    raw, digest = number.encode(), bytes.fromhex(sha256_hex)
    signature = key.sign(b"OW-DOC\x01" + raw + digest)
    data = bytes([1, len(raw)]) + raw + digest + signature
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
