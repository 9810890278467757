"""Layout: a notice that fits stays on one page, the 80 mm ticket's columns do not overrun."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
import weasyprint
from django.contrib.auth.models import User

from documents import render
from documents.models import Document, DocumentKind
from documents.services import ensure_rendered, render_document
from tests.conftest import applicant, complete_materials
from tests.documents.conftest import MONDAY, document_of, pdf_pages
from workflows.cases import services
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import Center, ItemMaterial, ServiceItem

pytestmark = pytest.mark.django_db

PROBLEM = "复印件不清晰，请提交清晰的复印件并由申请人签名确认"


@pytest.fixture
def six_materials(item: ServiceItem) -> ServiceItem:
    """The longest checklist of the reference catalogue has six lines."""
    for position, name in enumerate(("婚姻状况证明", "准迁证", "承诺书"), start=4):
        ItemMaterial.objects.create(
            item=item, position=position, name=name, form=ItemMaterial.Form.BOTH, copies=1
        )
    return item


def received(county: Center, item: ServiceItem, clerk: User) -> Case:
    return services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        materials=complete_materials(item),
        now=MONDAY,
    )


def a4(document: Document) -> bytes:
    return bytes(ensure_rendered(document).pdf)


def test_a_correction_notice_with_three_lines_keeps_its_seal_on_page_one(
    county: Center, item: ServiceItem, clerk: User
) -> None:
    case = received(county, item, clerk)
    services.case_request_correction(
        case=case,
        actor=clerk,
        now=MONDAY,
        lines=[
            services.CorrectionLine(position=p, problem=PROBLEM, state=CaseMaterial.State.DEFECTIVE)
            for p in (1, 2, 3)
        ],
    )

    pdf = a4(document_of(case, DocumentKind.CORRECTION))

    assert pdf_pages(pdf) == [(210.0, 297.0)]


def test_a_rejection_of_a_six_material_item_is_one_page(
    county: Center, six_materials: ServiceItem, clerk: User
) -> None:
    case = received(county, six_materials, clerk)
    services.case_reject(
        case=case,
        actor=clerk,
        reason="该申请事项依法应由户籍所在地公安机关受理，本中心无权受理。" * 2,
        competent_organ="梅州市公安局平远分局户政大队",
        now=MONDAY,
    )

    pdf = a4(document_of(case, DocumentKind.REJECTION))

    assert pdf_pages(pdf) == [(210.0, 297.0)]


class Layouts:
    """Each spacing a document template was filled with, and how many WeasyPrint layouts ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spacings: list[bool] = []
        self.count = 0
        fill, lay_out = render.render_to_string, weasyprint.HTML.render

        def filled(template: str, context: dict[str, Any]) -> str:
            self.spacings.append(bool(context.get("tight")))
            return fill(template, context)

        def laid_out(html: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return lay_out(html, *args, **kwargs)

        monkeypatch.setattr(render, "render_to_string", filled)
        monkeypatch.setattr(weasyprint.HTML, "render", laid_out)


def test_a_six_material_acceptance_notice_is_laid_out_once_tightened_on_one_page(
    county: Center, six_materials: ServiceItem, clerk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = services.case_accept(
        case=received(county, six_materials, clerk), actor=clerk, now=MONDAY
    )
    document = document_of(case, DocumentKind.ACCEPTANCE)
    layouts = Layouts(monkeypatch)

    rendered = render_document(document)

    assert rendered.pages == 1
    assert pdf_pages(rendered.pdf) == [(210.0, 297.0)]
    assert layouts.count == 1  # normal spacing cannot hold its rows: tightened at once
    assert layouts.spacings[-1] is True


def test_a_short_acceptance_notice_keeps_normal_spacing_in_one_layout(
    county: Center, item: ServiceItem, clerk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = services.case_accept(case=received(county, item, clerk), actor=clerk, now=MONDAY)
    document = document_of(case, DocumentKind.ACCEPTANCE)
    layouts = Layouts(monkeypatch)

    rendered = render_document(document)

    assert rendered.pages == 1
    assert layouts.count == 1
    assert layouts.spacings == [False]


def words(pdf: bytes) -> list[tuple[str, float, float]]:
    """Every word pdftotext finds, with its left and right edge in points."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(w, float(x0), float(x1)) for x0, x1, w in re.findall(pattern, html)]


def test_the_ticket_prints_original_and_copy_inside_its_column(
    county: Center, item: ServiceItem, clerk: User
) -> None:
    case = services.case_accept(case=received(county, item, clerk), actor=clerk, now=MONDAY)
    document = document_of(case, DocumentKind.ACCEPTANCE)

    found = words(bytes(ensure_rendered(document, "ticket").pdf))

    both = next(w for w in found if w[0] == "原件及复印件")
    heading = next(w for w in found if w[0] == "原/复")
    copies = next(w for w in found if w[0] == "份")
    # A cell's text is centred under its heading unless it overruns the column.
    assert abs((both[1] + both[2]) / 2 - (heading[1] + heading[2]) / 2) < 1.0
    assert both[2] < copies[1] - 3.0
