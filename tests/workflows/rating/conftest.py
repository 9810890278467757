"""Fixtures of 好差评: a decided case with its completion invitation."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.cases import services as case_services
from workflows.cases.models import Case
from workflows.rating.models import Moment, RatingInvitation

# A Tuesday morning in Pingyuan (2026-03-03 09:00 +08:00).
T0 = datetime.fromisoformat("2026-03-03T09:00:00+08:00")


@pytest.fixture
def decided_case(case_factory: CaseFactory, officer: User) -> Case:
    """A case accepted, started and approved on T0."""
    case = case_factory(status="in_progress", officer=officer, at=T0)
    return case_services.case_decide(case=case, actor=officer, decision="approved", now=T0)


@pytest.fixture
def invitation(decided_case: Case) -> RatingInvitation:
    """The completion invitation the decision opened."""
    return RatingInvitation.objects.get(case=decided_case, moment=Moment.COMPLETION)
