"""Audit checkpoints across a signing-key rotation: each checks with the key it names."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.conftest import CaseFactory
from tests.documents.keys import configure, kid, public, seed
from workflows.cases.audit import DOMAIN, _canonical, read_checkpoint, write_checkpoint
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoints(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.ONEWINDOW_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.ONEWINDOW_AUDIT_KEYS = "dev1:" + "o" * 40
    return tmp_path / "checkpoints"


def report(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")
    return str(failed.value) + capsys.readouterr().err


def forge(directory: Path, body: dict[str, object], key: Ed25519PrivateKey, name: str) -> Path:
    """A checkpoint file signed with ``key``, as an attacker or an old version writes it."""
    signature = key.sign(DOMAIN + _canonical(body))
    path = directory / name
    path.write_text(json.dumps({**body, "signature": base64.b64encode(signature).decode()}))
    return path


def testcheckpoints_from_before_a_rotation_still_verify(
    settings: SettingsWrapper, case_factory: CaseFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(old))
    case_factory()
    first = write_checkpoint(timezone.now() - timedelta(hours=2))

    configure(
        settings,
        {"private": seed(new), "valid_from": (timezone.now() - timedelta(hours=1)).isoformat()},
        {"public": public(old), "valid_from": "2026-01-01"},
    )
    case_factory()
    second = write_checkpoint()

    assert json.loads(first.read_text())["key_id"] == kid(old)
    assert json.loads(second.read_text())["key_id"] == kid(new)
    assert read_checkpoint(first).key_id == kid(old)  # type: ignore[union-attr]
    assert read_checkpoint(second).key_id == kid(new)  # type: ignore[union-attr]
    second.unlink()  # the newest left is the old key's
    call_command("verify_audit")
    assert f"对照检查点 {first.name}" in capsys.readouterr().out


def test_a_checkpoint_of_the_version_before_key_ids_still_verifies(
    settings: SettingsWrapper, case_factory: CaseFactory, checkpoints: Path
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    case = case_factory()
    checkpoints.mkdir(parents=True)
    raw = old.public_key().public_bytes_raw()
    body = {
        "version": 1,
        "taken_at": timezone.now().isoformat(),
        "signing_key": raw.hex()[:16],
        "events": 1,
        "heads": {str(case.pk): [1, CaseEvent.objects.get(case=case).hash, case.number]},
    }
    path = forge(checkpoints, body, old, "checkpoint-20261201T000000000000Z.json")
    configure(
        settings,
        {"private": seed(new), "valid_from": "2026-12-02"},
        {"public": public(old), "valid_from": "2026-01-01"},
    )

    checkpoint = read_checkpoint(path)

    assert checkpoint is not None
    assert checkpoint.key_id == kid(old)
    call_command("verify_audit")


def test_a_checkpoint_forged_with_an_unknown_key_is_reported(
    settings: SettingsWrapper,
    case_factory: CaseFactory,
    checkpoints: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ours = Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(ours))
    case_factory()
    genuine = write_checkpoint(timezone.now() - timedelta(hours=1))
    stranger = Ed25519PrivateKey.generate()
    body = json.loads(genuine.read_text())
    body.pop("signature")
    body.update(events=0, heads={}, key_id=kid(stranger))
    forged = forge(checkpoints, body, stranger, "checkpoint-29991231T000000000000Z.json")

    text = report(capsys)

    assert f"[checkpoint] 办件 -：检查点 {forged.name} 不可信" in text
    assert f"签名密钥 {kid(stranger)} 不在本系统的密钥环中" in text
    assert f"对照检查点 {genuine.name}" in text  # the genuine one still anchors the trail


def test_a_checkpoint_naming_our_key_but_signed_by_another_is_reported(
    settings: SettingsWrapper,
    case_factory: CaseFactory,
    checkpoints: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ours = Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(ours))
    case_factory()
    body = json.loads(write_checkpoint().read_text())
    body.pop("signature")
    forge(checkpoints, body, Ed25519PrivateKey.generate(), "checkpoint-29991231T000000000000Z.json")

    assert "签名无效" in report(capsys)


def test_a_checkpoint_signed_by_a_revoked_key_is_not_trusted(
    settings: SettingsWrapper, case_factory: CaseFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(old))
    case_factory()
    path = write_checkpoint()
    configure(
        settings,
        {"private": seed(new), "valid_from": "2026-12-01"},
        {"public": public(old), "valid_from": "2026-01-01", "revoked_at": "2026-12-02"},
    )

    text = report(capsys)

    assert f"检查点 {path.name} 不可信：签名密钥 {kid(old)} 已吊销" in text
