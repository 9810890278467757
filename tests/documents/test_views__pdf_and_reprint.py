"""Staff view (GET, not recorded) and print (POST, recorded) the stored PDF; same bytes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from documents.models import DocumentKind, DocumentPrint, RenderJob
from tests.documents.conftest import DocumentMaker, pdf_pages
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def pdf_url(pk: int, variant: str = "") -> str:
    url = reverse("documents:pdf", args=[pk])
    return f"{url}?variant={variant}" if variant else url


def print_url(pk: int) -> str:
    return reverse("documents:print", args=[pk])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_log_in(make_document: DocumentMaker, client: Client) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    response = client.get(pdf_url(document.pk))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_who_may_not_see_the_case_get_not_found(
    make_document: DocumentMaker, town_clerk: User, other_officer: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    assert logged_in(town_clerk).get(pdf_url(document.pk)).status_code == 404
    assert logged_in(other_officer).get(pdf_url(document.pk)).status_code == 404


def test_the_clerk_gets_the_pdf_at_once_even_before_the_worker_ran(
    make_document: DocumentMaker, clerk: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    response = logged_in(clerk).get(pdf_url(document.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    assert response.content == bytes(document.files.get().pdf)
    document.render_job.refresh_from_db()
    assert document.render_job.state == RenderJob.State.DONE


def test_viewing_the_pdf_writes_nothing_to_the_trail(
    make_document: DocumentMaker, clerk: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    client = logged_in(clerk)
    before = CaseEvent.objects.filter(case=document.case).count()

    for _ in range(3):
        assert client.get(pdf_url(document.pk)).status_code == 200

    assert CaseEvent.objects.filter(case=document.case).count() == before
    assert not DocumentPrint.objects.filter(document=document).exists()


def test_printing_is_a_post_that_records_print_then_reprint_and_opens_the_same_bytes(
    make_document: DocumentMaker, clerk: User, officer: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    case = document.case

    printed = logged_in(clerk).post(print_url(document.pk))
    assert printed.status_code == 303
    assert printed["Location"] == pdf_url(document.pk)
    first = logged_in(clerk).get(printed["Location"]).content
    assert CaseEvent.objects.get(case=case, action="print").actor == clerk
    assert not CaseEvent.objects.filter(case=case, action="reprint").exists()

    again = logged_in(officer).post(print_url(document.pk), follow=True)

    assert again.content == first
    reprint = CaseEvent.objects.get(case=case, action="reprint")
    assert reprint.actor == officer
    assert reprint.payload["document"] == document.number
    assert reprint.payload["sha256"] == document.files.get().sha256
    assert list(
        DocumentPrint.objects.filter(document=document).values_list("reprint", flat=True)
    ) == [False, True]


def test_print_refuses_get_and_strangers_and_unknown_variants(
    make_document: DocumentMaker, clerk: User, town_clerk: User
) -> None:
    document = make_document(DocumentKind.REJECTION, rendered=False)

    assert logged_in(clerk).get(print_url(document.pk)).status_code == 405
    assert logged_in(town_clerk).post(print_url(document.pk)).status_code == 404
    assert logged_in(clerk).post(print_url(document.pk), {"variant": "ticket"}).status_code == 404
    assert logged_in(clerk).post(print_url(document.pk), {"variant": "A0"}).status_code == 400
    assert not CaseEvent.objects.filter(case=document.case, action__in=["print", "reprint"])
    assert not DocumentPrint.objects.exists()


def test_the_ticket_print_is_recorded_as_its_own_variant(
    make_document: DocumentMaker, clerk: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    response = logged_in(clerk).post(print_url(document.pk), {"variant": "ticket"})

    assert response["Location"] == pdf_url(document.pk, "ticket")
    event = CaseEvent.objects.get(case=document.case, action="print")
    assert event.payload["variant"] == "ticket"


def test_the_acceptance_notice_prints_as_an_80_mm_ticket(
    make_document: DocumentMaker, clerk: User
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    response = logged_in(clerk).get(pdf_url(document.pk, "ticket"))

    assert response.status_code == 200
    assert pdf_pages(response.content)[0][0] == 80.0
    assert not CaseEvent.objects.filter(case=document.case, action="reprint").exists()


def test_other_documents_have_no_ticket_and_unknown_variants_are_refused(
    make_document: DocumentMaker, clerk: User
) -> None:
    document = make_document(DocumentKind.REJECTION, rendered=False)
    client = logged_in(clerk)

    assert client.get(pdf_url(document.pk, "ticket")).status_code == 404
    assert client.get(pdf_url(document.pk, "A0")).status_code == 400


def test_the_print_buttons_include_lists_the_cases_documents(
    make_document: DocumentMaker,
) -> None:
    extension = make_document(DocumentKind.EXTENSION, rendered=False)

    html = render_to_string("documents/_print_buttons.html", {"case": extension.case})

    for document in extension.case.documents.all():
        assert document.number in html
        assert f'action="{print_url(document.pk)}"' in html  # 打印 is a POST
        assert f'href="{pdf_url(document.pk)}"' in html  # 查看 is a plain link
    assert 'name="variant" value="ticket"' in html  # the acceptance notice's 小票
    assert "已失效" in html  # the acceptance notice, superseded by the extension


def test_the_public_key_is_published_without_login(client: Client) -> None:
    response = client.get("/verify/public-key")

    assert response.status_code == 200
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
