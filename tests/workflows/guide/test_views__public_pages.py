"""Anyone can read an item's guide without logging in, and print its checklist."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    call_command("setup_reference", "--skip-calendar", verbosity=0, stdout=io.StringIO())


def test_the_guide_list_is_public_and_searches(client: Client, catalogue: None) -> None:
    response = client.get("/guide/", {"q": "迁户口"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "户口迁移" in text
    assert "/guide/GA-HKQY/" in text


def test_an_item_page_shows_the_ten_public_facts(client: Client, catalogue: None) -> None:
    response = client.get("/guide/MZ-DB/")
    assert response.status_code == 200
    text = response.content.decode()
    for fact in (
        "MZ-DB",
        "平远县民政局",
        "申请条件",
        "办理流程",
        "设定依据",
        "25 个工作日",
        "30 个工作日",
        "申请材料",
        "办理地点",
        "周一至周五",
        "监督电话",
        "0753-12345",
    ):
        assert fact in text, fact


def test_an_inactive_or_unknown_item_is_not_found(client: Client, catalogue: None) -> None:
    assert client.get("/guide/NO-SUCH/").status_code == 404


def test_the_checklist_pdf_reads_back_every_material(client: Client, catalogue: None) -> None:
    response = client.get("/guide/GA-HKQY/checklist.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        assert len(pdf.pages) == 1
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        # A long name wraps inside its table cell: read the cells whole, too.
        for table in pdf.pages[0].extract_tables():
            text += "".join(cell or "" for row in table for cell in row)
    text = text.replace(" ", "").replace("\n", "")
    from workflows.catalog.models import ItemMaterial

    for name in ItemMaterial.objects.filter(item__code="GA-HKQY").values_list("name", flat=True):
        assert name.replace(" ", "") in text, name
    assert "户口迁移" in text
