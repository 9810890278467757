"""The public verify page: authentic or not, current or superseded, personal data masked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from documents.models import Document, DocumentKind
from documents.selectors import verify_document
from documents.services import verify_path
from tests.conftest import APPLICANT_ID
from tests.documents.conftest import MONDAY, DocumentMaker, document_of
from workflows.cases import services
from workflows.cases.models import CaseMaterial

pytestmark = pytest.mark.django_db

NOT_AUTHENTIC = "不是本系统出具的真实文书"


def page(client: Client, document: Document) -> str:
    response = client.get(verify_path(document))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_needs_no_login_and_shows_masked_key_facts(
    make_document: DocumentMaker, client: Client
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    html = page(client, document)

    assert "真实文书" in html
    assert "现行有效" in html
    assert document.number in html
    assert document.case.number in html
    assert "张*" in html
    assert "张三" not in html
    assert "4414**************" in html  # public variant: no tail
    assert "**1238" not in html  # the last four are the /status/ credential
    assert APPLICANT_ID not in html
    assert "黄沙村" not in html  # no address
    assert "13912345678" not in html
    assert "139****5678" not in html
    assert "2026年3月9日" in html  # the promised due date


def test_the_page_is_not_cached_and_keeps_the_token_out_of_other_sites_referrers(
    make_document: DocumentMaker, client: Client
) -> None:
    response = client.get(verify_path(make_document(DocumentKind.ACCEPTANCE, rendered=False)))

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_every_single_character_change_of_a_token_is_not_authentic(
    make_document: DocumentMaker,
) -> None:
    token = make_document(DocumentKind.ACCEPTANCE, rendered=False).token
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    for i, ch in enumerate(token):
        for replacement in (
            alphabet[(alphabet.index(ch) + 1) % 64],
            alphabet[(alphabet.index(ch) + 33) % 64],
        ):
            altered = token[:i] + replacement + token[i + 1 :]
            assert not verify_document(altered).authentic, (i, replacement)
    assert verify_document(token).authentic


@pytest.mark.parametrize("token", ["", "x", "AAAA", "not a token", "A" * 300, "%00"])
def test_garbage_is_not_authentic(client: Client, token: str) -> None:
    response = client.get(f"/verify/{token}") if token else client.get("/verify/%20")

    # A NUL byte in the address is refused before the page with a 400 and a message.
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200:
        assert NOT_AUTHENTIC in response.content.decode()
    if response.status_code == 400:
        assert "NUL" in response.content.decode()


def test_a_token_signed_with_another_key_is_not_authentic(
    make_document: DocumentMaker, client: Client
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from documents.signing import make_token

    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    forged = make_token(
        number=document.number,
        sha256_hex=document.content_sha256,
        key=Ed25519PrivateKey.generate(),
    )

    assert NOT_AUTHENTIC in client.get(f"/verify/{forged}").content.decode()


def test_our_signature_over_a_document_we_never_issued_is_not_authentic(client: Client) -> None:
    from documents.signing import make_token

    token = make_token(number="平远受字〔2026〕999999号", sha256_hex="00" * 32)

    assert NOT_AUTHENTIC in client.get(f"/verify/{token}").content.decode()


def test_an_extension_supersedes_the_acceptance_notice(
    make_document: DocumentMaker, client: Client
) -> None:
    extension = make_document(DocumentKind.EXTENSION, rendered=False)
    acceptance = document_of(extension.case, DocumentKind.ACCEPTANCE)

    assert acceptance.superseded_by == extension
    html = page(client, acceptance)
    assert "真实文书" in html
    assert "已失效" in html
    assert extension.number in html
    assert "现行有效" in page(client, extension)


def test_a_withdrawal_supersedes_the_acceptance_notice(
    make_document: DocumentMaker, client: Client, clerk: User
) -> None:
    acceptance = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    services.case_withdraw(case=acceptance.case, actor=clerk, reason="申请人撤回", now=MONDAY)
    acceptance.refresh_from_db()

    assert not acceptance.is_current
    assert acceptance.superseded_by is None
    html = page(client, acceptance)
    assert "已失效" in html
    assert "撤回" in html


def test_acceptance_after_correction_supersedes_the_correction_notice(
    make_document: DocumentMaker, clerk: User
) -> None:
    correction = make_document(DocumentKind.CORRECTION, rendered=False)
    case = correction.case
    services.case_supplement(
        case=case,
        actor=clerk,
        now=MONDAY,
        lines=[
            services.MaterialLine(position=2, copies=1, pages=2, state=CaseMaterial.State.RECEIVED)
        ],
    )
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    correction.refresh_from_db()

    acceptance = document_of(case, DocumentKind.ACCEPTANCE)
    assert correction.superseded_by == acceptance
    assert acceptance.is_current


def test_special_procedure_and_completion_leave_the_acceptance_notice_current(
    make_document: DocumentMaker, officer: User
) -> None:
    special = make_document(DocumentKind.SPECIAL, rendered=False)
    case = special.case
    services.case_resume(case=case, actor=officer, now=MONDAY)
    services.case_decide(case=case, actor=officer, decision="approved", now=MONDAY)

    assert document_of(case, DocumentKind.ACCEPTANCE).is_current
    assert document_of(case, DocumentKind.SPECIAL).is_current
    assert document_of(case, DocumentKind.COMPLETION).is_current


def test_the_page_links_to_the_citizens_status_page(
    make_document: DocumentMaker, client: Client
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    number = document.case.number

    assert f'href="/status/?number={number}"' in page(client, document)
    with override_settings(ROOT_URLCONF="tests.documents.urls_with_status"):
        assert f'href="/status/{number}"' in page(client, document)
    with override_settings(ROOT_URLCONF="tests.documents.urls_without_status"):
        html = page(client, document)  # no status page: no link, no error
    assert "/status/" not in html
    assert "真实文书" in html


def test_offline_verification_needs_only_the_published_public_key(
    make_document: DocumentMaker, client: Client
) -> None:
    from documents.content import canonical_bytes
    from documents.signing import load_public_key, sha256_hex, verify_token

    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    response = client.get("/verify/public-key")
    assert response.status_code == 200
    public_key = load_public_key(response.content)

    claims = verify_token(document.token, public_key)

    assert claims is not None
    assert claims.number == document.number
    assert claims.sha256 == sha256_hex(canonical_bytes(document.content))


def test_a_tampered_content_record_is_no_longer_authentic(make_document: DocumentMaker) -> None:
    import pgtrigger

    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    content = dict(document.content, applicant=dict(document.content["applicant"], name="李四"))
    with pgtrigger.ignore("documents.Document:document_issued_read_only"):
        Document.objects.filter(pk=document.pk).update(content=content)

    assert not verify_document(document.token).authentic
