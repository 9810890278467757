"""A page count left blank at intake stays blank on the clerk's screens (never "0")."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import applicant
from workflows.cases import services
from workflows.catalog.models import Center, ServiceItem

pytestmark = pytest.mark.django_db


def test_blank_pages_show_blank_on_the_case_page(
    clerk_client: Client, county: Center, item: ServiceItem, clerk: User
) -> None:
    case = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        materials=[
            services.MaterialLine(material_id=m.pk, copies=1, pages=0) for m in item.materials.all()
        ],
    )

    html = clerk_client.get(
        reverse("window:case_detail", kwargs={"number": case.number})
    ).content.decode()

    table = html.split('<table class="materials">', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells, "the materials table has number cells"
    assert "0" not in cells
    assert "1" in cells  # copies still shown
