"""Shared fixtures: a small county, one department, its staff, and a case factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils.translation.reloader import translation_file_changed

from tests.factories import CenterFactory, DepartmentFactory, ServiceItemFactory, staff
from workflows.calendar.models import CalendarYear
from workflows.calendar.services import calendar_seed
from workflows.cases import services
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ServiceItem

# A valid resident ID (GB 11643 check digit) used for test applicants.
APPLICANT_ID = "441426199001011238"


@pytest.fixture(autouse=True)
def _published_calendars(request: pytest.FixtureRequest) -> None:
    """Every database test sees the published calendars 2004–2026.

    The data migration seeds them, but a transactional test empties every table
    when it ends; the next database test puts them back (calendar_seed only
    fills missing years, so this is one cheap query when nothing is missing).
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    if not CalendarYear.objects.filter(status=CalendarYear.Status.PUBLISHED).exists():
        calendar_seed()


@pytest.fixture
def county() -> Center:
    return CenterFactory(code="PY", name="平远县党群服务中心", level=Center.Level.COUNTY)


@pytest.fixture
def town(county: Center) -> Center:
    return CenterFactory(
        code="PY-DZ", name="大柘镇党群服务中心", level=Center.Level.TOWN, parent=county
    )


@pytest.fixture
def other_town(county: Center) -> Center:
    return CenterFactory(
        code="PY-RJ", name="仁居镇党群服务中心", level=Center.Level.TOWN, parent=county
    )


@pytest.fixture
def department() -> Department:
    return DepartmentFactory(code="GA", name="公安", full_name="平远县公安局")


@pytest.fixture
def other_department() -> Department:
    return DepartmentFactory(code="MZ", name="民政", full_name="平远县民政局")


@pytest.fixture
def item(department: Department) -> ServiceItem:
    return ServiceItemFactory(
        code="GA-TEST",
        name="户口迁移",
        department=department,
        statutory_limit_days=10,
        promised_limit_days=5,
    )


@pytest.fixture
def clerk(county: Center) -> User:
    return staff("clerk", roles.CLERK, center=county)


@pytest.fixture
def town_clerk(town: Center) -> User:
    return staff("clerk_dz", roles.CLERK, center=town)


@pytest.fixture
def officer(department: Department) -> User:
    return staff("officer", roles.OFFICER, department=department)


@pytest.fixture
def head(department: Department) -> User:
    return staff("head", roles.HEAD, department=department, rank=3)


@pytest.fixture
def other_officer(other_department: Department) -> User:
    return staff("mz_officer", roles.OFFICER, department=other_department)


@pytest.fixture
def supervisor(county: Center) -> User:
    return staff("supervisor", roles.SUPERVISOR, center=county, rank=4)


def applicant(**overrides: Any) -> services.Party:
    """A valid natural-person applicant."""
    values: dict[str, Any] = {
        "name": "张三",
        "id_number": APPLICANT_ID,
        "phone": "13912345678",
        "address": "平远县大柘镇黄沙村 1 号",
    }
    values.update(overrides)
    return services.Party(**values)


def complete_materials(item: ServiceItem) -> list[services.MaterialLine]:
    """Every checklist line of ``item`` received, one copy, two pages."""
    return [
        services.MaterialLine(material_id=m.pk, copies=m.copies, pages=2)
        for m in item.materials.all()
    ]


CaseFactory = Callable[..., Case]


@pytest.fixture
def case_factory(county: Center, item: ServiceItem, clerk: User) -> CaseFactory:
    """Receive a case (complete materials by default), optionally taking it further."""

    def make(
        *,
        at: datetime | None = None,
        status: str = "received",
        materials: list[services.MaterialLine] | None = None,
        center: Center | None = None,
        service_item: ServiceItem | None = None,
        actor: User | None = None,
        officer: User | None = None,
    ) -> Case:
        the_item = service_item or item
        case = services.case_receive(
            center=center or county,
            item=the_item,
            actor=actor or clerk,
            applicant=applicant(),
            materials=complete_materials(the_item) if materials is None else materials,
            now=at,
        )
        if status in {"accepted", "in_progress"}:
            case = services.case_accept(case=case, actor=actor or clerk, now=at)
        if status == "in_progress":
            assert officer is not None, "an in_progress case needs the officer who starts it"
            case = services.case_start(case=case, actor=officer, now=at)
        return case

    return make


@pytest.fixture(scope="session")
def compiled_messages() -> None:
    """Compile the project's catalogues (en, and zh_Hans for third-party strings) when stale.

    ``make`` compiles them too; a fresh clone running pytest alone must not show
    a Chinese page to someone who picked English.
    """
    stale = False
    for po in (Path(settings.BASE_DIR) / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        stale = stale or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
    if stale:
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
        for mo in (Path(settings.BASE_DIR) / "locale").glob("*/LC_MESSAGES/django.mo"):
            translation_file_changed(sender=None, file_path=mo)


__all__ = ["APPLICANT_ID", "CaseMaterial", "applicant", "complete_materials"]


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_the_audit_trail() -> Any:
    """Transactional tests reset the database with TRUNCATE, which the audit trail refuses.

    Only the test runner's own ``flush`` is let through (pgtrigger's ignore, for the
    statement-level trigger alone); everything else still meets the trigger.
    """
    import pgtrigger
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self: flush.Command, *args: Any, **options: Any) -> Any:
        with pgtrigger.ignore("cases.CaseEvent:case_event_no_truncate"):
            return original(self, *args, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]
