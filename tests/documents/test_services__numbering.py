"""Document numbers: gapless per organ, kind and year, assigned in the issuing transaction."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from documents.models import Document, DocumentKind, OrganSeal, RenderJob
from documents.organs import derive_prefix
from documents.services import document_issue
from tests.conftest import CaseFactory
from tests.documents.conftest import MONDAY, TZ, DocumentMaker
from workflows.cases import services
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db


def accepted(case_factory: CaseFactory, at: datetime = MONDAY) -> Case:
    return case_factory(at=at, status="accepted")


def acceptance_numbers() -> list[str]:
    return list(
        Document.objects.filter(kind=DocumentKind.ACCEPTANCE)
        .order_by("serial")
        .values_list("number", flat=True)
    )


def test_numbers_follow_the_organ_kind_year_serial_format(
    case_factory: CaseFactory, make_document: DocumentMaker
) -> None:
    accepted(case_factory)
    accepted(case_factory)
    extension = make_document(DocumentKind.EXTENSION, rendered=False)

    assert acceptance_numbers()[:2] == ["平远受字〔2026〕000001号", "平远受字〔2026〕000002号"]
    # The department issues extensions, in its own series.
    assert extension.number == "平远公安延字〔2026〕000001号"


@pytest.mark.parametrize(
    ("name", "center", "prefix"),
    [
        ("平远县党群服务中心", True, "平远"),
        ("大柘镇党群服务中心", True, "大柘镇"),
        ("平远县大柘镇黄沙村党群服务站", True, "黄沙村"),
        ("梅州市平远县医疗保障局", False, "平远医疗保障"),
        ("平远县公安局", False, "平远公安"),
        ("平远县人力资源和社会保障局", False, "平远人力资源和社会保障"),
    ],
)
def test_the_prefix_is_derived_from_the_organs_name(name: str, center: bool, prefix: str) -> None:
    assert derive_prefix(name, center=center) == prefix


def test_an_organs_configured_prefix_wins(case_factory: CaseFactory, county: object) -> None:
    OrganSeal.objects.create(center=county, number_prefix="平党服")

    accepted(case_factory)

    assert acceptance_numbers() == ["平党服受字〔2026〕000001号"]


def test_each_year_starts_again_at_one(case_factory: CaseFactory) -> None:
    accepted(case_factory, at=datetime(2025, 12, 31, 16, 0, tzinfo=TZ))
    accepted(case_factory, at=MONDAY)

    assert acceptance_numbers() == ["平远受字〔2025〕000001号", "平远受字〔2026〕000001号"]


def test_a_rolled_back_step_gives_its_number_back(case_factory: CaseFactory, clerk: User) -> None:
    first = case_factory(at=MONDAY)
    second = case_factory(at=MONDAY)

    def accept_then_fail() -> None:
        with transaction.atomic():
            services.case_accept(case=first, actor=clerk, now=MONDAY)
            raise RuntimeError("the request failed after the transition")

    with pytest.raises(RuntimeError):
        accept_then_fail()
    services.case_accept(case=second, actor=clerk, now=MONDAY)

    assert acceptance_numbers() == ["平远受字〔2026〕000001号"]
    assert not Document.objects.filter(case=first).exists()
    assert Document.objects.get(case=second).render_job.state == RenderJob.State.PENDING


def test_issue_needs_the_callers_transaction(case_factory: CaseFactory) -> None:
    case = accepted(case_factory)

    # pytest-django's test transaction is an atomic block; step out of it for this call.
    saved, connection.in_atomic_block = connection.in_atomic_block, False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            document_issue(case=case, kind=DocumentKind.SUPERVISION)
    finally:
        connection.in_atomic_block = saved


def test_the_same_dedupe_key_returns_the_first_document(
    case_factory: CaseFactory, supervisor: User
) -> None:
    case = accepted(case_factory)
    with transaction.atomic():
        first = document_issue(
            case=case,
            kind="supervision",
            actor=supervisor,
            dedupe_key="escalation:7",
            extra={"level": "红灯"},
        )
        again = document_issue(
            case=case,
            kind="supervision",
            actor=supervisor,
            dedupe_key="escalation:7",
            extra={"level": "红灯"},
        )

    assert again == first
    assert Document.objects.filter(kind="supervision").count() == 1


def test_each_transition_issues_its_document_once(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY, idempotency_key="k1")
    services.case_accept(case=case, actor=clerk, now=MONDAY, idempotency_key="k1")  # replay

    assert list(Document.objects.filter(case=case).values_list("kind", flat=True)) == ["acceptance"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_gapless_numbers(
    case_factory: CaseFactory, supervisor: User
) -> None:
    cases = [accepted(case_factory) for _ in range(6)]
    barrier = threading.Barrier(len(cases))
    errors: list[BaseException] = []

    def issue(case: Case) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                document_issue(
                    case=case,
                    kind="supervision",
                    actor=supervisor,
                    extra={"level": "黄灯"},
                    dedupe_key="sweep",
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(Document.objects.filter(kind="supervision").values_list("serial", flat=True))
    assert serials == [1, 2, 3, 4, 5, 6]
