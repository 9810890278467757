"""A 一件事 accepted in December: its 2026 promised date is firm, only the 2027 date is 暂定."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import flat, pdf_text
from tests.workflows.combined.bundles import DECEASED, all_materials, load_reference, people
from workflows.cases.models import Case
from workflows.cases.services import Party
from workflows.catalog.models import Center
from workflows.combined.models import Bundle
from workflows.combined.services import bundle_receive

pytestmark = pytest.mark.django_db
DECEMBER = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def december_bundle() -> tuple[Case, dict]:
    load_reference()
    users = people()
    bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    with time_machine.travel(DECEMBER, tick=False):
        parent = bundle_receive(
            bundle=bundle,
            center=Center.objects.get(code="PY"),
            actor=users["clerk"],
            applicant=Party(name="王五", id_number="441426199001011238", phone="13912345678"),
            item_ids=[p.item_id for p in bundle.parts.all()],
            received=all_materials(bundle),
            deceased=DECEASED,
        )
    return parent, users


def test_only_the_date_in_the_unpublished_year_is_provisional(
    december_bundle: tuple[Case, dict],
) -> None:
    parent, _users = december_bundle
    immediate = parent.children.filter(item__kind="immediate").first()
    assert immediate is not None
    for case in (parent, immediate):
        case.refresh_from_db()
        assert case.promised_due_at.year == 2026
        assert case.statutory_due_at.year == 2027
        assert case.due_provisional  # something is provisional …
        assert not case.promised_due_provisional  # … but not the promised date
        assert case.statutory_due_provisional


def test_the_case_page_and_the_notice_mark_only_the_2027_date(
    december_bundle: tuple[Case, dict],
) -> None:
    parent, users = december_bundle
    immediate = parent.children.filter(item__kind="immediate").first()
    client = Client()
    client.force_login(users["clerk"])

    html = client.get(
        reverse("window:case_detail", kwargs={"number": immediate.number})
    ).content.decode()
    promised = html.split("承诺办结期限", 1)[1].split("</dd>", 1)[0]
    statutory = html.split("法定办结期限", 1)[1].split("</dd>", 1)[0]
    assert "暂定" not in promised
    assert "暂定" in statutory

    notice = Document.objects.get(case=immediate, kind=DocumentKind.ACCEPTANCE)
    text = flat(pdf_text(bytes(ensure_rendered(notice).pdf)))
    promised_day = f"{immediate.promised_due_at.astimezone().day}日"
    assert f"至2026年12月{promised_day}（暂定）" not in text
    assert f"至2026年12月{promised_day}" in text
    assert "（暂定）" in text  # the statutory date in 2027
