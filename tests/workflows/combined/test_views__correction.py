"""The bundle's 一次性告知 over HTTP: intake → one notice → 补正 → 受理, and the refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import flat, pdf_text
from tests.workflows.combined.bundles import intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Status
from workflows.combined import errors, selectors
from workflows.combined.models import Bundle
from workflows.tasks.routing import process_of

pytestmark = pytest.mark.django_db

HOUSEHOLD_BOOK = "死者居民户口簿"
BANK_ACCOUNT = "申领人银行账户（银行卡或存折）"


@pytest.fixture
def world() -> dict:
    load_reference()
    return {"users": people(), "bundle": Bundle.objects.get(item__code="BUNDLE-SH")}


def notice_post(bundle: Bundle, *missing: str) -> dict[str, object]:
    data = intake_post(bundle)
    union = selectors.union_checklist(bundle)
    data["bundle-materials"] = [m.key for m in union if m.name not in missing]
    data["bundle-outcome"] = "correct"
    index = next(i for i, m in enumerate(union) if m.name == HOUSEHOLD_BOOK)
    data[f"bundle-problem-{index}"] = "请携带死者户口簿原件"
    return data


def test_the_clerk_notifies_once_then_supplements_and_accepts_the_bundle(world: dict) -> None:
    client = client_for(world["users"]["clerk"])
    response = client.post(
        reverse("combined:intake", args=["BUNDLE-SH"]),
        notice_post(world["bundle"], HOUSEHOLD_BOOK, BANK_ACCOUNT),
    )

    parent = Case.objects.get(item=world["bundle"].item)
    assert response.status_code == 302
    assert response["Location"] == reverse("combined:progress", args=[parent.number])
    assert parent.status == Status.AWAITING_CORRECTION
    assert parent.children.filter(status=Status.AWAITING_CORRECTION).count() == 2
    notice = Document.objects.get(kind=DocumentKind.CORRECTION)
    page = client.get(response["Location"]).content.decode()
    assert "打印补正材料通知书" in page
    assert notice.number in page
    text = flat(pdf_text(ensure_rendered(notice).pdf))
    assert "请携带死者户口簿原件" in text
    assert BANK_ACCOUNT in text

    url = reverse("combined:supplement", args=[parent.number])
    form = client.get(url).content.decode()
    assert HOUSEHOLD_BOOK in form
    assert BANK_ACCOUNT in form
    done = client.post(
        url,
        {"s-brought": [HOUSEHOLD_BOOK, BANK_ACCOUNT], "s-action": "accept", "s-token": "t1"},
    )

    assert done.status_code == 302
    parent.refresh_from_db()
    assert parent.status == Status.ACCEPTED
    assert process_of(parent) is not None
    progress = client.get(done["Location"]).content.decode()
    for child in parent.children.all():
        assert child.accepted_at is not None
        assert process_of(child) is not None
        assert child.number in progress
    # The bundle's acceptance notice names every sub-case, A4 and ticket alike.
    receipt = Document.objects.get(case=parent, kind=DocumentKind.ACCEPTANCE)
    a4 = flat(pdf_text(ensure_rendered(receipt).pdf))
    ticket = flat(pdf_text(ensure_rendered(receipt, "ticket").pdf))
    for child in parent.children.all():
        assert child.number in a4
        assert child.number in ticket


def test_supplement_only_then_the_accept_button(world: dict) -> None:
    client = client_for(world["users"]["clerk"])
    client.post(
        reverse("combined:intake", args=["BUNDLE-SH"]),
        notice_post(world["bundle"], HOUSEHOLD_BOOK),
    )
    parent = Case.objects.get(item=world["bundle"].item)

    client.post(
        reverse("combined:supplement", args=[parent.number]),
        {"s-brought": [HOUSEHOLD_BOOK], "s-action": "supplement", "s-token": "t2"},
    )
    parent.refresh_from_db()
    assert parent.status == Status.RECEIVED
    assert (
        "一并受理"
        in client.get(reverse("combined:progress", args=[parent.number])).content.decode()
    )

    client.post(reverse("combined:accept", args=[parent.number]), {"token": "t3"})
    parent.refresh_from_db()
    assert parent.status == Status.ACCEPTED


def test_asking_for_a_notice_when_nothing_lacks_is_refused_and_nothing_saved(world: dict) -> None:
    data = notice_post(world["bundle"])
    response = client_for(world["users"]["clerk"]).post(
        reverse("combined:intake", args=["BUNDLE-SH"]), data
    )
    assert response.status_code == 400
    assert str(errors.NOTHING_MISSING) in response.content.decode()
    assert not Case.objects.exists()


def test_an_empty_supplement_is_refused_and_an_officer_may_not_supplement(world: dict) -> None:
    clerk = client_for(world["users"]["clerk"])
    clerk.post(
        reverse("combined:intake", args=["BUNDLE-SH"]),
        notice_post(world["bundle"], HOUSEHOLD_BOOK),
    )
    parent = Case.objects.get(item=world["bundle"].item)
    url = reverse("combined:supplement", args=[parent.number])

    empty = clerk.post(url, {"s-action": "accept", "s-token": "t4"})
    officer = client_for(world["users"]["ga_officer"]).post(
        url, {"s-brought": [HOUSEHOLD_BOOK], "s-action": "accept", "s-token": "t5"}
    )

    assert empty.status_code == 400
    assert officer.status_code == 403
    parent.refresh_from_db()
    assert parent.status == Status.AWAITING_CORRECTION


def test_accepting_a_bundle_that_awaits_correction_is_refused_with_a_message(world: dict) -> None:
    client = client_for(world["users"]["clerk"])
    client.post(
        reverse("combined:intake", args=["BUNDLE-SH"]),
        notice_post(world["bundle"], HOUSEHOLD_BOOK),
    )
    parent = Case.objects.get(item=world["bundle"].item)

    response = client.post(reverse("combined:accept", args=[parent.number]), follow=True)

    assert "待补正" in response.content.decode()
    assert "不能受理" in response.content.decode()
    parent.refresh_from_db()
    assert parent.status == Status.AWAITING_CORRECTION
    assert client.get(reverse("combined:accept", args=[parent.number])).status_code == 405


def test_the_bundles_correction_notice_is_printed_by_a_post_recorded_in_the_trail(
    world: dict,
) -> None:
    from documents.models import DocumentPrint

    client = client_for(world["users"]["clerk"])
    response = client.post(
        reverse("combined:intake", args=["BUNDLE-SH"]),
        notice_post(world["bundle"], HOUSEHOLD_BOOK),
    )
    notice = Document.objects.get(kind=DocumentKind.CORRECTION)
    page = client.get(response["Location"]).content.decode()

    # Like every other 打印 button: a form posting to documents:print, not a GET link.
    action = reverse("documents:print", args=[notice.pk])
    assert f'<form method="post" action="{action}"' in page
    assert f'href="{reverse("documents:pdf", args=[notice.pk])}"' not in page
    printed = client.post(action)
    assert printed.status_code == 303
    assert DocumentPrint.objects.filter(document=notice, reprint=False).count() == 1
    assert notice.case.events.filter(action="print").exists()
