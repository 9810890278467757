"""Layout: a notice that fits stays on one page, the 80 mm ticket's columns do not overrun."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.contrib.auth.models import User

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
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
