"""Every document a case has is reachable and printable from the clerk's case page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.conftest import CaseFactory
from workflows.cases import services
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def extended_and_suspended(case_factory: CaseFactory, officer: User, head: User) -> Case:
    case = case_factory(status="in_progress", officer=officer)
    services.case_request_extension(case=case, actor=officer, days=5, reason="需现场核查")
    services.case_decide_extension(case=case, actor=head, approve=True, note="同意")
    services.case_suspend(
        case=case, actor=officer, procedure="expert_review", expected_days=3, reason="专家评审"
    )
    return case


def outcome(client: Client, case: Case, kind: str) -> str:
    url = reverse("window:outcome", kwargs={"number": case.number})
    response = client.get(f"{url}?doc={kind}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_links_every_document_of_the_case(
    clerk_client: Client, extended_and_suspended: Case
) -> None:
    case = extended_and_suspended
    kinds = set(Document.objects.filter(case=case).values_list("kind", flat=True))
    assert {DocumentKind.ACCEPTANCE, DocumentKind.EXTENSION, DocumentKind.SPECIAL} <= kinds

    html = clerk_client.get(
        reverse("window:case_detail", kwargs={"number": case.number})
    ).content.decode()

    for kind in kinds:
        assert f"?doc={kind}" in html


@pytest.mark.parametrize(
    ("kind", "title"),
    [(DocumentKind.EXTENSION, "延期办理告知书"), (DocumentKind.SPECIAL, "特别程序告知书")],
)
def test_the_extension_and_special_notices_open_and_print_their_own_pdf(
    clerk_client: Client, extended_and_suspended: Case, kind: str, title: str
) -> None:
    case = extended_and_suspended
    document = Document.objects.filter(case=case, kind=kind).latest("issued_at")
    acceptance = Document.objects.filter(case=case, kind=DocumentKind.ACCEPTANCE)

    html = outcome(clerk_client, case, kind)

    assert f'data-document-slot="{kind}"' in html
    assert f"<title>{title}" in html
    pdf = reverse("documents:pdf", args=[document.pk])
    assert f'href="{pdf}"' in html
    for old in acceptance:
        assert f'href="{reverse("documents:pdf", args=[old.pk])}"' not in html
    printed = clerk_client.get(pdf)
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
