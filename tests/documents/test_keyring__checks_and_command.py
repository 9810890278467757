"""The keyring's system checks, and ``manage.py signing_key generate|list|retire|revoke``."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from documents.keyring import keyring
from tests.documents.keys import configure, kid, public, seed


def check_ids() -> list[str]:
    return sorted(m.id for m in run_checks() if (m.id or "").startswith("documents."))


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("signing_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def entry_of(output: str) -> dict[str, str]:
    """The one JSON line the command prints for the environment."""
    (line,) = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(line)  # type: ignore[no-any-return]


def ago(**delta: float) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


def test_a_healthy_ring_passes_the_checks(settings: SettingsWrapper) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, {"private": seed(new), "valid_from": ago(days=1)}, legacy=seed(old))

    assert check_ids() == []


def test_a_key_configured_twice_is_an_error(settings: SettingsWrapper) -> None:
    key = Ed25519PrivateKey.generate()
    configure(settings, {"public": public(key), "valid_from": "2026-01-01"}, legacy=seed(key))

    assert check_ids() == ["documents.E003"]


def test_no_current_key_in_production_is_an_error(settings: SettingsWrapper) -> None:
    key, later = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.DEBUG = False
    configure(
        settings,
        {"private": seed(later), "valid_from": (timezone.now() + timedelta(days=9)).isoformat()},
        {"private": seed(key), "valid_from": "2026-01-01", "revoked_at": "2026-11-30"},
    )

    assert check_ids() == ["documents.E002"]


def test_production_without_any_key_is_an_error(settings: SettingsWrapper) -> None:
    settings.DEBUG = False
    configure(settings)

    assert check_ids() == ["documents.E002"]


def test_an_unreadable_ring_is_an_error_not_a_crash(settings: SettingsWrapper) -> None:
    configure(settings, {"private": "not-a-key", "valid_from": "2026-01-01"})

    assert check_ids() == ["documents.E001"]


def test_a_revoked_newest_key_and_an_old_current_key_are_warned(
    settings: SettingsWrapper,
) -> None:
    older, newest = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS = 365
    configure(
        settings,
        {"private": seed(newest), "valid_from": ago(days=10), "revoked_at": ago(days=1)},
        {"private": seed(older), "valid_from": ago(days=400)},
    )

    assert keyring().current().key_id == kid(older)  # type: ignore[union-attr]
    assert check_ids() == ["documents.W001", "documents.W002"]
    settings.ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS = 0
    assert check_ids() == ["documents.W001"]


def test_generate_prints_a_key_that_joins_the_ring_and_writes_nothing(
    settings: SettingsWrapper,
) -> None:
    old = Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(old))

    # No django_db mark: any database access here would fail the test.
    out, _ = run("generate", "--valid-from", "2026-12-01")
    entry = entry_of(out)
    configure(settings, entry, legacy=seed(old))

    assert entry["valid_from"] == "2026-12-01T00:00:00+08:00"
    assert keyring().current().key_id == entry["id"]  # type: ignore[union-attr]
    assert f"新签名密钥 {entry['id']}" in out
    assert "-----BEGIN PUBLIC KEY-----" in out
    listed, _ = run("list")
    assert f"{entry['id']}  当前签发" in listed
    assert f"{kid(old)}  已停用（仍可核验）" in listed


def test_retire_and_revoke_print_public_only_entries(settings: SettingsWrapper) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, {"private": seed(new), "valid_from": ago(days=1)}, legacy=seed(old))

    retired = entry_of(run("retire", kid(old))[0])
    revoked = entry_of(run("revoke", kid(old), "--reason", "私钥泄露", "--at", "2026-12-02")[0])

    assert retired == {
        "id": kid(old),
        "public": public(old),
        "valid_from": "1970-01-01T00:00:00+00:00",
    }
    assert revoked["revoked_at"] == "2026-12-02T00:00:00+08:00"
    assert revoked["reason"] == "私钥泄露"
    assert "private" not in revoked
    configure(settings, {"private": seed(new), "valid_from": ago(days=1)}, revoked)
    assert keyring().status(keyring().get(kid(old))) == "revoked"  # type: ignore[arg-type]
    listed, _ = run("list")
    assert f"{kid(old)}  已吊销" in listed
    assert "吊销于 2026-12-02：私钥泄露" in listed
    _, warning = run("revoke", kid(new), "--reason", "测试")
    assert "这是当前签发的密钥" in warning
    with pytest.raises(CommandError, match="没有编号为 00000000 的密钥"):
        run("revoke", "00000000", "--reason", "x")
