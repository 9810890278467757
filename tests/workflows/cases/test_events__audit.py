"""The audit trail is append-only in PostgreSQL, keyed, anchored, and catches tampering."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import DatabaseError, ProgrammingError, connection, transaction
from django.test import override_settings
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.conftest import CaseFactory
from workflows.cases import services
from workflows.cases.audit import write_checkpoint
from workflows.cases.events import event_hash
from workflows.cases.management.commands.create_app_role import grant_app_role
from workflows.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TRIGGER = "cases.CaseEvent:case_event_append_only"
OLD_KEY = "dev1:" + "o" * 40


@pytest.fixture(autouse=True)
def _checkpoints(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.ONEWINDOW_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.ONEWINDOW_AUDIT_KEYS = OLD_KEY
    return tmp_path / "checkpoints"


def app_role() -> str:
    """An INSERT-only application role for this test database (rolled back with the test)."""
    role = f"ow_app_{connection.settings_dict['NAME']}"[:63]
    grant_app_role(role)
    return role


def as_role(role: str, statement: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute(statement)


def findings(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")
    return str(failed.value) + capsys.readouterr().err


def test_update_of_an_event_fails_at_the_database(case_factory: CaseFactory) -> None:
    case = case_factory(at=MONDAY)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(action="forged")


def test_delete_of_an_event_fails_at_the_database(case_factory: CaseFactory) -> None:
    case = case_factory(at=MONDAY)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        CaseEvent.objects.filter(case=case).delete()


def test_verify_audit_passes_on_an_untouched_trail(
    case_factory: CaseFactory, clerk: User, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    call_command("verify_audit")
    assert "共校验 2 条记录" in capsys.readouterr().out


def test_verify_audit_names_the_first_altered_event(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    services.case_withdraw(case=case, actor=clerk, reason="申请人撤回", now=MONDAY)
    accept = CaseEvent.objects.get(case=case, action="accept")
    with pgtrigger.ignore(TRIGGER):
        CaseEvent.objects.filter(pk=accept.pk).update(payload={"forged": True})

    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")

    assert f"办件 {case.number} 第 2 条记录" in str(failed.value)
    assert "内容与其哈希值不符" in str(failed.value)


def test_verify_audit_catches_a_removed_event(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    services.case_withdraw(case=case, actor=clerk, reason="撤回", now=MONDAY)
    # Hide the withdrawal as a tamperer would, renumbering past a removed event.
    with pgtrigger.ignore(TRIGGER):
        CaseEvent.objects.filter(case=case, seq=3).update(seq=4)

    with pytest.raises(CommandError, match="序号不连续"):
        call_command("verify_audit")


def test_truncate_of_the_trail_fails_at_the_database(case_factory: CaseFactory) -> None:
    case_factory(at=MONDAY)
    table = CaseEvent._meta.db_table
    cursor = connection.cursor()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in a fresh transaction
    with pytest.raises(DatabaseError, match="Cannot truncate"), transaction.atomic():
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert CaseEvent.objects.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {t} SET action = 'forged'",
        "DELETE FROM {t}",
        "TRUNCATE {t}",
        "ALTER TABLE {t} DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "DROP TABLE {t}",
    ],
)
def test_the_application_role_may_only_read_and_append_the_trail(
    case_factory: CaseFactory, statement: str
) -> None:
    case_factory(at=MONDAY)
    role = app_role()
    with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
        as_role(role, statement.format(t=CaseEvent._meta.db_table))
    assert CaseEvent.objects.filter(action="receive").exists()


def test_the_application_role_owns_nothing_and_can_append(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=MONDAY)
    role = app_role()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        services.case_accept(case=case, actor=clerk, now=MONDAY)
        cursor.execute("RESET ROLE")
    assert CaseEvent.objects.filter(case=case).count() == 2


def _forge(case: Case, role: str, *, key_id: str) -> None:
    """Append a 'decide' event as an INSERT-only user would: with a recomputed hash."""
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert last is not None
    fields = {
        "case_id": case.pk,
        "seq": last.seq + 1,
        "action": "decide",
        "actor_id": None,
        "from_status": "accepted",
        "to_status": "decided",
        "payload": {"approved": True},
        "clock": {},
        "idempotency_key": None,
        "created_at": MONDAY,
        "prev_hash": last.hash,
    }
    # Without the application's key, the forger can only hash without it or guess one.
    with override_settings(ONEWINDOW_AUDIT_KEYS="dev1:" + "g" * 40):
        forged_hash = event_hash(**fields, key_id=key_id)  # type: ignore[arg-type]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        CaseEvent.objects.create(**fields, key_id=key_id, hash=forged_hash)
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize("key_id", ["", "dev1"])
def test_verify_audit_names_an_event_forged_by_an_insert_only_role(
    case_factory: CaseFactory, clerk: User, capsys: pytest.CaptureFixture[str], key_id: str
) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    write_checkpoint()
    _forge(case, app_role(), key_id=key_id)

    report = findings(capsys)

    assert f"[forged] 办件 {case.number} 第 3 条记录" in report


def test_verify_audit_names_a_deleted_last_event(
    case_factory: CaseFactory, clerk: User, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    services.case_withdraw(case=case, actor=clerk, reason="申请人撤回", now=MONDAY)
    write_checkpoint()
    # A superuser with the triggers bypassed removes the withdrawal: the chain stays valid.
    with pgtrigger.ignore(TRIGGER):
        CaseEvent.objects.filter(case=case, seq=3).delete()

    report = findings(capsys)

    assert f"[missing] 办件 {case.number} 第 3 条记录" in report
    assert "第 3–3 条记录已不在库中" in report


def test_verify_audit_names_a_truncated_table(
    case_factory: CaseFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = case_factory(at=MONDAY), case_factory(at=MONDAY)
    write_checkpoint()
    with pgtrigger.ignore(TRIGGER):
        CaseEvent.objects.all().delete()

    report = findings(capsys)

    assert "[truncated]" in report
    assert "整表被清空" in report
    assert "记有 2 条记录、2 个办件" in report
    assert first.number != second.number


def test_verify_audit_names_a_case_whose_whole_chain_is_gone(
    case_factory: CaseFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, gone = case_factory(at=MONDAY), case_factory(at=MONDAY)
    write_checkpoint()
    with pgtrigger.ignore(TRIGGER):
        CaseEvent.objects.filter(case=gone).delete()

    report = findings(capsys)

    assert f"[truncated] 办件 {gone.number}" in report
    assert kept.number not in report


def test_a_checkpoint_with_a_bad_signature_is_reported_and_not_trusted(
    case_factory: CaseFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    case_factory(at=MONDAY)
    path = write_checkpoint()
    document = json.loads(path.read_text())
    document["events"] = 0
    path.write_text(json.dumps(document))

    report = findings(capsys)

    assert "[checkpoint]" in report
    assert "签名无效" in report


def test_checkpoints_are_signed_files_outside_the_database(
    case_factory: CaseFactory, settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_factory(at=MONDAY)
    call_command("audit_checkpoint")
    files = list(Path(settings.ONEWINDOW_AUDIT_CHECKPOINT_DIR).glob("checkpoint-*.json"))
    assert len(files) == 1
    document = json.loads(files[0].read_text())
    assert document["heads"][str(case.pk)][0] == 1
    assert document["signature"]
    call_command("verify_audit")
    assert "对照检查点 checkpoint-" in capsys.readouterr().out


def test_a_retired_key_still_verifies_and_the_new_key_signs(
    case_factory: CaseFactory, clerk: User, settings: SettingsWrapper
) -> None:
    case = case_factory(at=MONDAY)
    settings.ONEWINDOW_AUDIT_KEYS = "k2:" + "n" * 40 + "," + OLD_KEY

    services.case_accept(case=case, actor=clerk, now=MONDAY)

    assert list(CaseEvent.objects.filter(case=case).values_list("key_id", flat=True)) == [
        "dev1",
        "k2",
    ]
    call_command("verify_audit")
    settings.ONEWINDOW_AUDIT_KEYS = "k2:" + "n" * 40  # the old key dropped: its events fail
    with pytest.raises(CommandError, match="forged"):
        call_command("verify_audit")
