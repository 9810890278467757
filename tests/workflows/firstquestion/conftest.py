"""Fixtures of the first-question tests: clients, a senior colleague, consultations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import staff
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.firstquestion import services
from workflows.firstquestion.models import Consultation

# Tuesday 10 March 2026, 10:00 in Shanghai: a working day, inside office hours.
OFFICE_MORNING = "2026-03-10 10:00 +0800"
CITIZEN_NAME = "李秀英"
CITIZEN_PHONE = "13722223333"


def login(user: User) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def town_supervisor(town: Center) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=4)


@pytest.fixture
def other_town_supervisor(other_town: Center) -> User:
    return staff("supervisor_rj", roles.SUPERVISOR, center=other_town, rank=4)


@pytest.fixture
def senior_clerk(county: Center) -> User:
    """A window section chief at the county center (more senior than ``clerk``)."""
    user = staff("chief", roles.CLERK, center=county, rank=3)
    user.first_name, user.last_name = "建国", "陈"
    user.save()
    return user


@pytest.fixture
def named_clerk(clerk: User) -> User:
    clerk.first_name, clerk.last_name = "小明", "王"
    clerk.save()
    return clerk


ConsultationFactory = Callable[..., Consultation]


@pytest.fixture
def consultation_factory(clerk: User) -> ConsultationFactory:
    """Log a consultation (by default: the county clerk refers it to 公安)."""

    def make(
        *,
        actor: User | None = None,
        outcome: str = "refer",
        target: services.ReferralTarget | None = None,
        department: Department | None = None,
        now: datetime | None = None,
        **kwargs: Any,
    ) -> Consultation:
        if outcome == "refer" and target is None:
            assert department is not None, "a referral needs a target"
            target = services.ReferralTarget(kind="department", department=department)
        values: dict[str, Any] = {
            "channel": "visit",
            "citizen_name": CITIZEN_NAME,
            "citizen_phone": CITIZEN_PHONE,
            "matter": "迁入县城需要哪些材料？",
            "answer": "已告知所需材料。" if outcome == "answer" else "",
        }
        values.update(kwargs)
        return services.consultation_log(
            actor=actor or clerk, outcome=outcome, target=target, now=now, **values
        )

    return make


__all__ = ["CITIZEN_NAME", "CITIZEN_PHONE", "OFFICE_MORNING", "ConsultationFactory", "login"]
