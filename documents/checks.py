"""System checks of the signing keyring (run by ``manage.py check`` and at gunicorn start)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.utils import timezone

from documents.keyring import SigningKeyError, keyring

KEYRING_UNREADABLE = "documents.E001"
NO_CURRENT_KEY = "documents.E002"
DUPLICATE_KEY_ID = "documents.E003"
NEWEST_KEY_REVOKED = "documents.W001"
CURRENT_KEY_OLD = "documents.W002"

HINT = (
    "See docs/operations.md, the signing keys: rotation and revocation; "
    "`manage.py signing_key list` shows the ring."
)


@register()
def signing_keyring(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The ring can be read, has no key twice, and (in production) a current key."""
    try:
        ring = keyring()
    except (SigningKeyError, ValueError, TypeError, KeyError) as exc:
        return [
            Error(f"The signing keyring cannot be read: {exc}", hint=HINT, id=KEYRING_UNREADABLE)
        ]
    messages: list[CheckMessage] = []
    for key_id in ring.duplicates():
        messages.append(
            Error(
                f"Signing key {key_id} is configured more than once (ONEWINDOW_SIGNING_KEYS "
                "and ONEWINDOW_SIGNING_KEY must not list the same key twice).",
                hint=HINT,
                id=DUPLICATE_KEY_ID,
            )
        )
    now = timezone.now()
    current = ring.current(now)
    newest = ring.newest_valid(now)
    if current is None:
        if not settings.DEBUG:
            messages.append(
                Error(
                    "The signing keyring has no current key, so no receipt can be issued: "
                    "no key is configured (ONEWINDOW_SIGNING_KEYS, ONEWINDOW_SIGNING_KEY), or "
                    "every key whose valid_from has come is revoked or lacks its private half.",
                    hint="Generate a key with `manage.py signing_key generate` and add it. " + HINT,
                    id=NO_CURRENT_KEY,
                )
            )
        return messages
    if newest is not None and newest.revoked:
        messages.append(
            Warning(
                f"The newest signing key {newest.key_id} is revoked; receipts are signed "
                f"with the older key {current.key_id}.",
                hint="Generate a new key with `manage.py signing_key generate`. " + HINT,
                id=NEWEST_KEY_REVOKED,
            )
        )
    max_age = int(getattr(settings, "ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS", 0) or 0)
    if max_age and not current.since_always and now - current.valid_from > timedelta(days=max_age):
        messages.append(
            Warning(
                f"The current signing key {current.key_id} has signed since "
                f"{timezone.localdate(current.valid_from).isoformat()}, longer than "
                f"ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS ({max_age} days).",
                hint="Rotate it: generate a new key and add it with a valid_from. " + HINT,
                id=CURRENT_KEY_OLD,
            )
        )
    return messages
