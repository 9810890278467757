"""The catalogue admin: promised ≤ statutory as a form error, pages that render."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from workflows.catalog.management.commands.setup_reference import CATALOG_FIXTURES
from workflows.catalog.models import PROMISED_OVER_STATUTORY, Department, ServiceItem


@pytest.fixture
def catalogue(db: None) -> None:
    call_command("loaddata", *CATALOG_FIXTURES, verbosity=0)


def item_post(department: Department, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "GA-TEST",
        "name": "测试事项",
        "department": department.pk,
        "kind": ServiceItem.Kind.PROMISED,
        "legal_basis": "",
        "is_active": "on",
        "statutory_limit_days": "10",
        "promised_limit_days": "5",
        "max_extension_days": "10",
        "warning_days": "2",
        "extension_needs_head": "on",
        "flow": "public_security.review",
        "fee": "0",
        "fee_basis": "",
        "delivery_options": ["window", "post"],
        "materials-TOTAL_FORMS": "1",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "materials-0-position": "1",
        "materials-0-name": "居民身份证",
        "materials-0-form": "original",
        "materials-0-copies": "1",
        "materials-0-required": "on",
        "materials-0-note": "",
    }
    data.update(overrides)
    return data


def test_add_item__promised_over_statutory_is_a_field_error(
    catalogue: None, admin_client: Client
) -> None:
    department = Department.objects.get(code="GA")

    response = admin_client.post(
        reverse("admin:catalog_serviceitem_add"),
        item_post(department, statutory_limit_days="5", promised_limit_days="6"),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["promised_limit_days"] == [
        str(PROMISED_OVER_STATUTORY % {"promised": 6, "statutory": 5})
    ]
    assert "__all__" not in form.errors
    assert not ServiceItem.objects.filter(code="GA-TEST").exists()


def test_change_item__raising_promised_over_statutory_refused(
    catalogue: None, admin_client: Client
) -> None:
    item = ServiceItem.objects.get(code="MZ-DB")
    materials = list(item.materials.order_by("position"))
    data = item_post(
        item.department,
        code=item.code,
        name=item.name,
        kind=item.kind,
        statutory_limit_days="30",
        promised_limit_days="31",
        flow=item.flow,
        delivery_options=item.delivery_options,
        **{
            "materials-TOTAL_FORMS": str(len(materials)),
            "materials-INITIAL_FORMS": str(len(materials)),
        },
    )
    for key in [k for k in data if k.startswith("materials-0-")]:
        del data[key]
    for i, m in enumerate(materials):
        data.update(
            {
                f"materials-{i}-id": str(m.pk),
                f"materials-{i}-item": str(item.pk),
                f"materials-{i}-position": str(m.position),
                f"materials-{i}-name": m.name,
                f"materials-{i}-form": m.form,
                f"materials-{i}-copies": str(m.copies),
                f"materials-{i}-note": m.note,
                **({f"materials-{i}-required": "on"} if m.required else {}),
            }
        )

    response = admin_client.post(reverse("admin:catalog_serviceitem_change", args=[item.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["promised_limit_days"] == [
        "承诺时限（31 个工作日）不得超过法定时限（30 个工作日）。"
    ]
    item.refresh_from_db()
    assert (item.statutory_limit_days, item.promised_limit_days) == (30, 25)


def test_add_item__valid_item_saved_with_its_checklist(
    catalogue: None, admin_client: Client
) -> None:
    department = Department.objects.get(code="GA")

    response = admin_client.post(reverse("admin:catalog_serviceitem_add"), item_post(department))

    assert response.status_code == 302, response.context["adminform"].form.errors
    item = ServiceItem.objects.get(code="GA-TEST")
    assert item.delivery_options == ["window", "post"]
    assert list(item.materials.values_list("name", flat=True)) == ["居民身份证"]


@pytest.mark.parametrize(
    "name",
    [
        "admin:catalog_center_changelist",
        "admin:catalog_department_changelist",
        "admin:catalog_serviceitem_changelist",
        "admin:catalog_staffprofile_changelist",
        "admin:auth_user_changelist",
        "admin:catalog_serviceitem_add",
        "admin:auth_user_add",
    ],
)
def test_admin_pages_render(catalogue: None, admin_client: Client, name: str) -> None:
    assert admin_client.get(reverse(name)).status_code == 200


def test_center_changelist_searches_by_name_in_path_order(
    catalogue: None, admin_client: Client
) -> None:
    response = admin_client.get(reverse("admin:catalog_center_changelist"), {"q": "大柘镇"})

    codes = [c.code for c in response.context["cl"].result_list]
    # The county center's address is in 大柘镇 (the county seat), so it matches too.
    assert codes == ["PY", "PY-DZ", "PY-DZ-CN", "PY-DZ-HS"]


def test_user_admin_has_the_staff_profile_inline(catalogue: None, admin_client: Client) -> None:
    user = User.objects.create_user("ga_test", password="x")

    response = admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))

    assert response.status_code == 200
    prefixes = [f.formset.prefix for f in response.context["inline_admin_formsets"]]
    assert "staff" in prefixes
