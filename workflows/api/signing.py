"""HMAC-SHA256 signatures over a request or response body, as every peer checks them."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-OneWindow-Signature"
PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body``: ``sha256=<hex HMAC-SHA256 with secret>``."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` (constant-time compare)."""
    return bool(header) and hmac.compare_digest(sign(secret, body), header or "")
