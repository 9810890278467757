"""The audit log is append-only in the database itself (pgtrigger)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction

from workflows.calendar.models import CalendarChange

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted() -> None:
    change = CalendarChange.objects.filter(year=2025).first()
    assert change is not None
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        CalendarChange.objects.filter(pk=change.pk).update(payload={})
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        CalendarChange.objects.filter(pk=change.pk).delete()
    assert CalendarChange.objects.filter(pk=change.pk).exists()


def test_deleting_the_actor_only_clears_the_actor() -> None:
    user = User.objects.create_user(username="leaver", password="x")
    change = CalendarChange.objects.create(actor=user, year=2030, action="publish", payload={})
    user.delete()
    change.refresh_from_db()
    assert change.actor is None
    assert change.year == 2030
