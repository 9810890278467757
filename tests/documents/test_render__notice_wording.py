"""What notices print: the extended total, blank page counts, the completion notice's wording."""

from __future__ import annotations

import subprocess

import pytest
from django.contrib.auth.models import User

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.conftest import applicant
from tests.documents.conftest import MONDAY, DocumentMaker, document_of, flat, pdf_text
from workflows.cases import services
from workflows.catalog.models import Center, ServiceItem
from workflows.rating.models import RatingInvitation

pytestmark = pytest.mark.django_db


def a4_text(document: Document) -> str:
    ensure_rendered(document)
    return flat(pdf_text(bytes(document.files.get(variant="a4").pdf)))


def test_the_extension_notice_prints_the_extended_total(make_document: DocumentMaker) -> None:
    document = make_document(DocumentKind.EXTENSION)  # item: promised 5, statutory 10; +5

    text = a4_text(document)

    assert "10个工作日（含延长5日）" in text  # promised 5 + 5
    assert "15个工作日（含延长5日）" in text  # statutory 10 + 5
    assert "承诺办结5个工作日" not in text


def layout_lines(pdf: bytes) -> list[str]:
    """The PDF's text with table rows kept on one line (pdftotext -layout)."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().splitlines()


def test_pages_left_blank_at_intake_print_blank_not_zero(
    county: Center, item: ServiceItem, clerk: User
) -> None:
    case = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        materials=[
            services.MaterialLine(material_id=m.pk, copies=1, pages=0) for m in item.materials.all()
        ],
        now=MONDAY,
    )
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    document = document_of(case, DocumentKind.ACCEPTANCE)

    a4 = layout_lines(bytes(ensure_rendered(document).pdf))
    ticket = layout_lines(bytes(ensure_rendered(document, "ticket").pdf))

    for lines in (a4, ticket):
        row = next(line for line in lines if "申请表" in line).split()
        assert row[-1] != "0"
        assert "0" not in row
        assert "1" in row  # the copies column still prints


def test_the_completion_notice_has_no_empty_phone_no_repeat_and_only_the_real_rating_code(
    make_document: DocumentMaker, county: Center, item: ServiceItem
) -> None:
    county.phone = ""
    county.save()
    assert item.delivery_options == ["window", "post"]
    document = make_document(DocumentKind.COMPLETION)

    text = a4_text(document)

    assert "咨询电话：—" not in text
    # The old placeholder invitation is gone; the 好差评 paragraph now carries the
    # case's own rating code (workflows/rating), or nothing at all.
    assert "欢迎对本次服务作出" not in text
    invitation = RatingInvitation.objects.filter(case=document.case).first()
    if invitation is None:
        assert "好差评" not in text
    else:
        assert f"评价码{invitation.code}" in text.replace(" ", "")
    assert text.count("窗口领取") == 0  # 到…领取 already says it; the others are offered
    assert "或选择邮寄送达" in text
