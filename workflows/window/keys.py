"""The window's idempotency keys: one per rendered form, scoped to the clerk and the action."""

from __future__ import annotations

import uuid

KEY_PATTERN = r"^[0-9a-f]{32}$"


def new_key() -> str:
    """A fresh idempotency key for one rendered form."""
    return uuid.uuid4().hex


def service_key_prefix(user_pk: int, key: str) -> str:
    """What every service key of one submitted form starts with (clerk and form scoped)."""
    return f"window:{user_pk}:{key}:"


def service_key(user_pk: int, key: str, action: str) -> str:
    """The key passed to a ``cases`` service: the form's key, scoped to the clerk and the action."""
    return f"{service_key_prefix(user_pk, key)}{action!s}"


__all__ = ["KEY_PATTERN", "new_key", "service_key", "service_key_prefix"]
