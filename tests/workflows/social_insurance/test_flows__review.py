"""social_insurance.review: 经办审核 → (负责人审批) → 出件, on the engine and over HTTP."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.workflows.tasks import review_checks
from workflows.catalog.models import Center

pytestmark = pytest.mark.django_db


def test_engine_walk(county: Center, clerk: User) -> None:
    review_checks.engine_walk("social_insurance", "RS", county, clerk)


def test_http_walk_and_403_for_other_department_and_center(
    county: Center, clerk: User, town_clerk: User
) -> None:
    review_checks.http_walk("social_insurance", "RS", county, clerk, town_clerk)
