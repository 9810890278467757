"""The audit trail is append-only in PostgreSQL and its hash chain catches tampering."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, transaction

from tests.conftest import CaseFactory
from workflows.cases import services
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TRIGGER = "cases.CaseEvent:case_event_append_only"


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
