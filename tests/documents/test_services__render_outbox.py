"""Rendering after commit: stored once with its SHA-256; failures retried, then surfaced."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django.utils import timezone

from documents import services as doc_services
from documents.models import Document, DocumentFile, DocumentKind, RenderJob
from documents.services import MAX_ATTEMPTS, render_pending
from tests.conftest import CaseFactory
from tests.documents.conftest import MONDAY, DocumentMaker
from workflows.cases import services
from workflows.cases.models import CaseEvent, Status

pytestmark = pytest.mark.django_db


def test_issuing_writes_a_pending_job_that_the_worker_renders_and_stores_once(
    make_document: DocumentMaker,
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)
    assert document.render_job.state == RenderJob.State.PENDING
    assert not document.files.exists()

    assert render_pending()["done"] == 1

    document.render_job.refresh_from_db()
    assert document.render_job.state == RenderJob.State.DONE
    stored = document.files.get()
    assert stored.sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert stored.size == len(bytes(stored.pdf))
    assert stored.pages == 1
    assert render_pending()["done"] == 0  # nothing left


def test_the_render_documents_command_renders_what_is_pending(
    make_document: DocumentMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    document = make_document(DocumentKind.REJECTION, rendered=False)

    call_command("render_documents")

    assert "已生成 1 份" in capsys.readouterr().out
    assert document.files.exists()


def test_a_render_failure_leaves_the_case_intact_retries_and_surfaces_after_the_limit(
    case_factory: CaseFactory,
    clerk: User,
    admin_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(**kwargs: object) -> None:
        raise OSError("font file unreadable")

    monkeypatch.setattr(doc_services, "render_pdf", broken)
    case = case_factory(at=MONDAY)
    services.case_accept(case=case, actor=clerk, now=MONDAY)
    case.refresh_from_db()
    events_before = CaseEvent.objects.filter(case=case).count()
    job = Document.objects.get(case=case).render_job

    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        counts = render_pending(now=now)
        job.refresh_from_db()
        assert job.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1
            assert job.state == RenderJob.State.PENDING
            assert job.next_attempt_at > now  # backoff: not retried at once
            assert render_pending(now=now)["retry"] == 0
            now = job.next_attempt_at
    assert job.state == RenderJob.State.FAILED
    assert "font file unreadable" in job.last_error
    assert render_pending(now=now + timedelta(days=1)) == {
        "done": 0,
        "retry": 0,
        "failed": 0,
        "skipped": 0,
    }

    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert CaseEvent.objects.filter(case=case).count() == events_before

    with pytest.raises(CommandError, match="份文书没有 PDF"):
        call_command("render_documents", "--report")
    assert job.document.number in capsys.readouterr().out
    listing = admin_client.get("/admin/documents/document/?render=failed").content.decode()
    assert job.document.number in listing

    monkeypatch.undo()
    admin_client.post(
        "/admin/documents/document/",
        {"action": "retry_render", "_selected_action": [job.document_id]},
    )
    assert render_pending()["done"] == 1
    call_command("render_documents", "--report")  # nothing left to report


def test_a_failed_storage_write_counts_as_a_failed_attempt(
    make_document: DocumentMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    def refuse(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(DocumentFile.objects, "create", refuse)

    assert render_pending()["retry"] == 1
    document.render_job.refresh_from_db()
    assert document.render_job.attempts == 1


def test_stored_pdfs_and_issued_documents_cannot_be_changed(make_document: DocumentMaker) -> None:
    document = make_document(DocumentKind.ACCEPTANCE)
    stored = document.files.get()

    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentFile.objects.filter(pk=stored.pk).update(pdf=b"%PDF-forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentFile.objects.filter(pk=stored.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(number="平远受字〔2026〕000999号")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(content={})


def test_with_celery_the_job_is_queued_after_commit(
    case_factory: CaseFactory,
    clerk: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    from documents import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document_job, "delay", queued.append)
    case = case_factory(at=MONDAY)

    with (
        override_settings(ONEWINDOW_USE_CELERY=True),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        services.case_accept(case=case, actor=clerk, now=MONDAY)

    assert queued == [Document.objects.get(case=case).render_job.pk]


def test_without_celery_nothing_is_queued(
    case_factory: CaseFactory,
    clerk: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    from documents import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document_job, "delay", queued.append)
    case = case_factory(at=MONDAY)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.case_accept(case=case, actor=clerk, now=MONDAY)

    assert queued == []


def test_the_celery_task_renders_the_job(make_document: DocumentMaker) -> None:
    from documents.tasks import render_document_job

    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    assert render_document_job(document.render_job.pk) == "done"
    assert document.files.exists()
