"""Reference data and people for the 一件事 tests (the real fixtures, loaded per test)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management import call_command

from tests.factories import staff
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.combined.models import Bundle
from workflows.combined.selectors import union_checklist
from workflows.combined.services import DeceasedPerson

# Who died, for 公民身后一件事 (its sub-items need the deceased person).
DECEASED = DeceasedPerson(
    name="王大山", id_number="44142619500101123X", date_of_death=date(2025, 6, 8)
)

# A Tuesday morning with no holiday around it.
MORNING = datetime(2025, 6, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def load_reference() -> None:
    """The catalogue and bundle fixtures, in their loaddata order."""
    call_command(
        "loaddata",
        "catalog_departments",
        "catalog_centers",
        "catalog_items",
        "bundles",
        verbosity=0,
    )


def people() -> dict[str, User]:
    """A clerk of the county center, and an officer and a head for every department."""
    county = Center.objects.get(code="PY")
    users = {"clerk": staff("bundle_clerk", roles.CLERK, center=county)}
    for department in Department.objects.all():
        code = department.code.lower()
        users[f"{code}_officer"] = staff(f"b_{code}_officer", roles.OFFICER, department=department)
        users[f"{code}_head"] = staff(f"b_{code}_head", roles.HEAD, department=department, rank=3)
    return users


def all_materials(bundle: Bundle) -> list[str]:
    """Every line of the bundle's union checklist (all received)."""
    return [line.key for line in union_checklist(bundle)]


def intake_post(bundle: Bundle) -> dict[str, object]:
    """The intake form's POST data: one applicant, every sub-item, every material."""
    return {
        "applicant-name": "王五",
        "applicant-id_type": "resident_id",
        "applicant-id_number": "441426199001011238",
        "applicant-phone": "13912345678",
        "applicant-address": "平远县大柘镇黄沙村 1 号",
        "bundle-parts": [str(p.item_id) for p in bundle.parts.all()],
        "bundle-materials": all_materials(bundle),
        "bundle-token": "e2e-token",
        "deceased-name": "王大山",
        "deceased-id_number": DECEASED.id_number,
        "deceased-date_of_death": DECEASED.date_of_death.isoformat(),
    }
