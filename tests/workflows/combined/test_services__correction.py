"""一次性告知 for a 一件事: one notice for every item, 补正 for all, then one acceptance."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import flat, pdf_text
from tests.workflows.combined.bundles import (
    DECEASED,
    MORNING,
    all_materials,
    load_reference,
    people,
)
from workflows.cases import errors as case_errors
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, Status
from workflows.cases.services import CorrectionLine, Party
from workflows.catalog.models import Center
from workflows.combined import errors, services
from workflows.combined.models import Bundle
from workflows.tasks.routing import process_of

pytestmark = pytest.mark.django_db

HOUSEHOLD_BOOK = "死者居民户口簿"  # 户口注销（死亡） only
BANK_ACCOUNT = "申领人银行账户（银行卡或存折）"  # 遗属待遇 only


@pytest.fixture
def world() -> dict:
    load_reference()
    return {"users": people(), "bundle": Bundle.objects.get(item__code="BUNDLE-SH")}


def noticed(world: dict, *, missing: tuple[str, ...] = (HOUSEHOLD_BOOK, BANK_ACCOUNT)) -> Case:
    bundle = world["bundle"]
    with time_machine.travel(MORNING, tick=False):
        return services.bundle_receive_for_correction(
            bundle=bundle,
            center=Center.objects.get(code="PY"),
            actor=world["users"]["clerk"],
            applicant=Party(name="王五", id_number="441426199001011238", phone="13912345678"),
            item_ids=[p.item_id for p in bundle.parts.all()],
            received=[m for m in all_materials(bundle) if m not in missing],
            problems={HOUSEHOLD_BOOK: "请携带死者户口簿原件"},
            deceased=DECEASED,
            idempotency_key="bundle:notice-test",
        )


def test_one_notice_lists_every_item_and_each_lacking_sub_case_awaits_correction(
    world: dict,
) -> None:
    parent = noticed(world)

    assert parent.status == Status.AWAITING_CORRECTION
    by_item = {c.item.code: c for c in parent.children.select_related("item")}
    assert by_item["GA-HKZX"].status == Status.AWAITING_CORRECTION
    assert by_item["RS-YSDY"].status == Status.AWAITING_CORRECTION
    assert by_item["MZ-HHZM"].status == Status.RECEIVED  # nothing lacking: not on notice
    assert [e["name"] for e in by_item["GA-HKZX"].correction_items] == [HOUSEHOLD_BOOK]
    # One document, one number, on the main case; none on the sub-cases.
    notices = Document.objects.filter(kind=DocumentKind.CORRECTION)
    assert [d.case_id for d in notices] == [parent.pk]
    text = flat(pdf_text(ensure_rendered(notices[0]).pdf))
    assert notices[0].number in text
    assert HOUSEHOLD_BOOK in text
    assert BANK_ACCOUNT in text
    assert "请携带死者户口簿原件" in text
    for code in ("GA-HKZX", "RS-YSDY"):
        assert by_item[code].number in text
        assert by_item[code].item.name in text
    assert by_item["MZ-HHZM"].number not in text


def test_the_deemed_acceptance_clock_runs_per_sub_case(world: dict) -> None:
    parent = noticed(world)
    by_item = {c.item.code: c for c in parent.children.select_related("item")}
    # Told within 5 days: no deemed acceptance for the noticed cases …
    assert by_item["GA-HKZX"].deemed_acceptance_at is None
    assert parent.deemed_acceptance_at is None
    # … while a complete sub-case keeps its own deadline from receipt.
    assert by_item["MZ-HHZM"].deemed_acceptance_at is not None


def test_a_second_notice_may_not_add_materials_and_changes_nothing(world: dict) -> None:
    parent = noticed(world)
    clerk = world["users"]["clerk"]
    # The applicant brings only the household book: 遗属待遇 still lacks the bank account.
    parent = services.bundle_supplement(parent=parent, actor=clerk, brought=[HOUSEHOLD_BOOK])
    other = parent.children.get(item__code="RS-YSDY")
    restated = services.bundle_correction_lines(parent)
    assert list(restated) == [other.pk]
    identity = other.materials.get(name="申领人居民身份证")

    with pytest.raises(InvalidRequest) as refused:
        services.bundle_request_correction(
            parent=parent,
            actor=clerk,
            lines={other.pk: [*restated[other.pk], CorrectionLine(identity.position, "新增")]},
        )

    assert "申领人居民身份证" in refused.value.message
    other.refresh_from_db()
    parent.refresh_from_db()
    assert other.status == parent.status == Status.RECEIVED
    assert Document.objects.filter(kind=DocumentKind.CORRECTION).count() == 1

    # Restating the first notice is allowed: one more notice, on the main case only.
    parent = services.bundle_request_correction(parent=parent, actor=clerk, lines=restated)
    assert parent.status == Status.AWAITING_CORRECTION
    notices = Document.objects.filter(kind=DocumentKind.CORRECTION).order_by("pk")
    assert [d.case_id for d in notices] == [parent.pk, parent.pk]
    text = flat(pdf_text(ensure_rendered(notices[1]).pdf))
    assert other.number in text
    assert BANK_ACCOUNT in text
    assert parent.children.get(item__code="GA-HKZX").number not in text  # supplemented
    assert "重申" in text


def test_an_empty_notice_and_a_complete_bundle_are_refused(world: dict) -> None:
    parent = noticed(world)
    with pytest.raises(InvalidRequest) as empty:
        services.bundle_request_correction(parent=parent, actor=world["users"]["clerk"], lines={})
    assert empty.value.message == case_errors.CORRECTION_EMPTY
    with pytest.raises(InvalidRequest) as complete:
        noticed(world, missing=())
    assert complete.value.message == errors.NOTHING_MISSING


def test_supplement_then_accept_starts_every_department_flow_from_the_supplement(
    world: dict,
) -> None:
    parent = noticed(world)
    clerk = world["users"]["clerk"]
    later = MORNING + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        parent = services.bundle_supplement(
            parent=parent, actor=clerk, brought=[HOUSEHOLD_BOOK, BANK_ACCOUNT]
        )
        assert parent.status == Status.RECEIVED
        assert not parent.children.filter(status=Status.AWAITING_CORRECTION).exists()
        parent = services.bundle_accept(parent=parent, actor=clerk, idempotency_key="acc-1")

    assert parent.status == Status.ACCEPTED
    for child in parent.children.all():
        assert child.status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.DECIDED)
        assert child.accepted_at == later
        assert process_of(child) is not None
    assert process_of(parent) is not None
    # A double click accepts nothing twice.
    again = services.bundle_accept(parent=parent, actor=clerk, idempotency_key="acc-1")
    assert again.pk == parent.pk
    assert Document.objects.filter(case=parent, kind=DocumentKind.ACCEPTANCE).count() == 1


def test_a_partial_supplement_cannot_be_accepted_and_nothing_is_accepted(world: dict) -> None:
    parent = noticed(world)
    clerk = world["users"]["clerk"]
    parent = services.bundle_supplement(parent=parent, actor=clerk, brought=[HOUSEHOLD_BOOK])

    with pytest.raises(InvalidRequest) as refused:
        services.bundle_accept(parent=parent, actor=clerk)

    assert parent.children.get(item__code="RS-YSDY").item.name in refused.value.message
    assert not Case.objects.filter(status=Status.ACCEPTED).exists()


def test_supplementing_what_the_notice_does_not_list_is_refused(world: dict) -> None:
    parent = noticed(world)
    with pytest.raises(InvalidRequest) as refused:
        services.bundle_supplement(
            parent=parent, actor=world["users"]["clerk"], brought=["死者居民身份证"]
        )
    assert "死者居民身份证" in refused.value.message
    assert parent.children.filter(status=Status.AWAITING_CORRECTION).count() == 2


def test_a_retried_notice_submission_issues_nothing_twice(world: dict) -> None:
    first = noticed(world)
    again = noticed(world)  # the same form token: a double click

    assert again.pk == first.pk
    assert Case.objects.filter(parent__isnull=True).count() == 1
    assert Document.objects.filter(kind=DocumentKind.CORRECTION).count() == 1
