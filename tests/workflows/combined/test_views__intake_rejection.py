"""不予受理 for a 一件事 as for one item: reasons required, a written decision, no sub-case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.workflows.combined.bundles import intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Status
from workflows.combined.models import Bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    load_reference()
    return {"users": people(), "bundle": Bundle.objects.get(item__code="BUNDLE-SH")}


def test_a_bundle_can_be_refused_with_reasons_and_no_sub_case_is_opened(world: dict) -> None:
    client = client_for(world["users"]["clerk"])
    url = reverse("combined:intake", args=["BUNDLE-SH"])
    data = {
        **intake_post(world["bundle"]),
        "bundle-materials": [],  # refused before the materials matter
        "bundle-outcome": "reject",
        "bundle-rejection_reason": "死者户籍不在本县，应向户籍所在地申请",
        "bundle-outside_competence": "on",
        "bundle-competent_organ": "梅州市梅江区党群服务中心",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    parent = Case.objects.get(item=world["bundle"].item)
    assert parent.status == Status.REJECTED
    assert parent.competent_organ == "梅州市梅江区党群服务中心"
    assert not parent.children.exists()
    assert Document.objects.filter(case=parent, kind=DocumentKind.REJECTION).exists()
    assert response["Location"].endswith("?doc=rejection")
    page = client.get(response["Location"]).content.decode()
    assert "不予受理决定书" in page
    assert "梅州市梅江区党群服务中心" in page


def test_refusing_a_bundle_without_a_reason_is_refused_clearly(world: dict) -> None:
    client = client_for(world["users"]["clerk"])
    url = reverse("combined:intake", args=["BUNDLE-SH"])

    response = client.post(url, {**intake_post(world["bundle"]), "bundle-outcome": "reject"})

    assert response.status_code == 400
    assert "不予受理" in response.content.decode()
    assert not Case.objects.exists()
