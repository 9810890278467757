"""Writes of the documents app: issue, supersede, render and store, print.

It stays one module (about 500 lines): issue, supersession and rendering share the
numbering, the outbox rows and private helpers, callers across the tree (and the
supervision orders' dynamic lookup) use ``documents.services.*``, and the render-fault
tests replace ``render_pdf`` on this module.

``document_issue`` runs inside the caller's transaction (the case step that
needs the document): number, content record, hash, token and an outbox row
commit or roll back with the case change. Rendering happens after commit
(``render_job``), by a Celery task when ``ONEWINDOW_USE_CELERY`` is on,
otherwise by ``manage.py render_documents`` (run by the sweep's cron), or
synchronously when a clerk asks for the PDF first. A failed render never
touches the case: the job is retried with backoff, and after
``MAX_ATTEMPTS`` it is marked failed, listed in the admin and by
``render_documents --report``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from uuid import uuid4

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from config.faults import fault_point
from documents import content as content_mod
from documents import organs
from documents.models import (
    Document,
    DocumentFile,
    DocumentKind,
    DocumentPrint,
    OrganSeal,
    RenderJob,
    Variant,
)
from documents.render import RenderedPdf, qr_image, render_pdf
from documents.signing import make_token, sha256_hex
from workflows.cases.clock import local_date
from workflows.cases.events import record_event
from workflows.cases.models import Case, CaseEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
QR_SIZE_MM = {Variant.A4: 26.0, Variant.TICKET: 34.0}
STATUS_QR_MM = {Variant.A4: 20.0, Variant.TICKET: 26.0}  # the /status/ page, on receipts
TEMPLATES = {kind: f"documents/{kind}.html" for kind in DocumentKind.values}
TICKET_TEMPLATE = "documents/acceptance_ticket.html"
# From this many table rows an A4 notice never fits one page with normal spacing
# and is laid out tightened at once (render_pdf). Measured on the acceptance
# notice (docs/receipts.md): up to 14 rows fit, from 15 (four materials and an
# agent, or three materials and a three-case 一件事) none did.
TIGHT_FROM_ROWS = {DocumentKind.ACCEPTANCE: 15}
PRINTED_PEOPLE = ("first_responder", "handler", "received_by", "decided_by")


# ---------------------------------------------------------------- numbering


def _next_serial(organ_key: str, kind: str, year: int) -> int:
    """The next serial of (organ, kind, year): one statement, row-locked, gapless.

    The counter row stays locked until the issuing transaction ends, so a
    rollback gives the number back and concurrent issues queue in order.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_documentsequence (organ_key, kind, year, last)
            VALUES (%s, %s, %s, 1)
            ON CONFLICT (organ_key, kind, year)
            DO UPDATE SET last = documents_documentsequence.last + 1
            RETURNING last
            """,
            [organ_key, kind, year],
        )
        (serial,) = cursor.fetchone()
    return int(serial)


# ---------------------------------------------------------------- issue


def document_issue(
    *,
    case: Case,
    kind: str,
    actor: AbstractBaseUser | None = None,
    event: CaseEvent | None = None,
    extra: Mapping[str, Any] | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> Document:
    """Issue a ``kind`` document for ``case`` inside the caller's transaction.

    Writes the gapless number, the content record with its SHA-256, the
    signed token and the render outbox row; applies the supersession rules.
    ``dedupe_key`` (default: the event, else none) makes a repeated call
    return the first document. ``extra`` carries kind-specific facts (the
    supervision order: ``level``, ``reason``, ``instructions``, ``reply_by``).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_issue must run inside the transaction that needs it")
    kind = DocumentKind(kind).value
    key = dedupe_key or (f"event:{event.pk}" if event is not None else f"once:{uuid4().hex}")
    # A repeat is rare: look for the first document's id alone, and read it on a repeat.
    existing = (
        Document.objects.filter(case_id=case.pk, kind=kind, dedupe_key=key)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        return Document.objects.get(pk=existing)
    moment = now or (event.created_at if event is not None else timezone.now())
    # The staff profiles too: the content prints each person's title and phone. Only of
    # the people the case in hand names (at acceptance, no handler or decider yet): one
    # named since that instance was read is still printed, read when the content asks.
    people = [f"{who}__staff" for who in PRINTED_PEOPLE if getattr(case, f"{who}_id") is not None]
    fresh = (
        Case.objects.select_related("center", "item", "department", *people)
        # Of the 一件事 parent the content prints the number alone: not its whole row.
        .annotate(parent_number=F("parent__number"))
        .get(pk=case.pk)
    )
    organ = organs.resolve_organ(fresh, kind)
    year = local_date(moment).year
    serial = _next_serial(organ.key, kind, year)
    number = organs.format_number(prefix=organ.prefix, kind=kind, year=year, serial=serial)
    record = content_mod.build_content(
        case=fresh,
        kind=kind,
        number=number,
        organ=organ,
        issued_at=moment,
        actor=actor,
        event=event,
        extra=extra,
    )
    digest = sha256_hex(content_mod.canonical_bytes(record))
    document = Document.objects.create(
        kind=kind,
        case=fresh,
        event=event,
        dedupe_key=key,
        organ_key=organ.key,
        year=year,
        serial=serial,
        number=number,
        issued_at=moment,
        issued_by_id=actor.pk if actor is not None else None,
        seal=organ.seal if organ.seal is not None and organ.seal.has_image else None,
        content=record,
        content_sha256=digest,
        token=make_token(number=number, sha256_hex=digest),
    )
    job = RenderJob.objects.create(
        document=document, dedupe_key=f"render:{document.pk}", next_attempt_at=timezone.now()
    )
    _supersede_for(document)
    transaction.on_commit(lambda: _dispatch(job.pk))
    return document


def _dispatch(job_id: int) -> None:
    """After commit: hand the job to Celery if enabled (the cron picks up the rest)."""
    if not getattr(settings, "ONEWINDOW_USE_CELERY", False):
        return
    try:
        from documents.tasks import render_document_job

        render_document_job.delay(job_id)
    except Exception:  # the broker being down must not fail the request
        log.exception("could not queue render job %s; render_documents will pick it up", job_id)


# ---------------------------------------------------------------- supersession


# Stored with the document (in zh-Hans, the language of the documents themselves).
SUPERSEDED_BY_ACCEPTANCE = _("申请材料已补正齐全并已受理（见%(number)s）")
SUPERSEDED_BY_CORRECTION = _("已出具新的补正材料通知书（%(number)s）")
SUPERSEDED_BY_REJECTION = _("已作出不予受理决定（%(number)s）")
SUPERSEDED_BY_EXTENSION = _("办结期限已变更（见%(number)s）")
SUPERSEDED_BY_WITHDRAWAL = _("申请人已撤回申请，本文书不再有效")


def _current(case_id: int, *kinds: str) -> QuerySet[Document]:
    return Document.objects.filter(case_id=case_id, kind__in=kinds, superseded_at__isnull=True)


def _mark(
    docs: QuerySet[Document],
    *,
    by: Document | None,
    reason: Any,
    at: datetime,
    params: Mapping[str, str] | None = None,
) -> int:
    if by is not None:
        docs = docs.exclude(pk=by.pk)
    with translation.override("zh-hans"):
        text = str(reason) % params if params else str(reason)
    return docs.update(superseded_by=by, superseded_at=at, superseded_reason=text[:300])


def _due(doc_content: Mapping[str, Any]) -> tuple[Any, Any]:
    dates = doc_content.get("dates") or {}
    return dates.get("promised_due"), dates.get("statutory_due")


# New document kind → (kinds it supersedes, reason).
SUPERSEDES = {
    DocumentKind.ACCEPTANCE: ((DocumentKind.CORRECTION,), SUPERSEDED_BY_ACCEPTANCE),
    DocumentKind.CORRECTION: ((DocumentKind.CORRECTION,), SUPERSEDED_BY_CORRECTION),
    DocumentKind.REJECTION: ((DocumentKind.CORRECTION,), SUPERSEDED_BY_REJECTION),
    DocumentKind.EXTENSION: (
        (DocumentKind.ACCEPTANCE, DocumentKind.EXTENSION),
        SUPERSEDED_BY_EXTENSION,
    ),
}


def _supersede_for(new: Document) -> None:
    """The supersession rules (docs/receipts.md):

    - an acceptance notice supersedes the case's correction notices (fulfilled);
    - a correction notice supersedes the case's earlier correction notices;
    - a rejection supersedes the case's correction notices;
    - an extension notice supersedes the case's acceptance and extension
      notices whose due dates differ from the new ones;
    - special-procedure, completion and supervision documents supersede
      nothing (the acceptance notice already says special procedures are not
      counted, and the applicant collects the result with it).
    """
    rule = SUPERSEDES.get(DocumentKind(new.kind))
    if rule is None:
        return
    kinds, reason = rule
    docs = _current(new.case_id, *kinds)
    if new.kind == DocumentKind.EXTENSION:
        due = _due(new.content)
        docs = Document.objects.filter(pk__in=[d.pk for d in docs if _due(d.content) != due])
    _mark(docs, by=new, at=new.issued_at, reason=reason, params={"number": new.number})


def documents_supersede_on_withdrawal(*, case: Case, event: CaseEvent) -> int:
    """A withdrawn case's acceptance, correction, extension and special notices lapse."""
    return _mark(
        _current(
            case.pk,
            DocumentKind.ACCEPTANCE,
            DocumentKind.CORRECTION,
            DocumentKind.EXTENSION,
            DocumentKind.SPECIAL,
        ),
        by=None,
        at=event.created_at,
        reason=SUPERSEDED_BY_WITHDRAWAL,
    )


# ---------------------------------------------------------------- rendering


def verify_path(document: Document) -> str:
    """The site-relative verify URL of ``document``."""
    return reverse("documents:verify", args=[document.token])


def verify_url(document: Document) -> str:
    """The absolute verify URL printed in the QR code."""
    base = str(getattr(settings, "ONEWINDOW_PUBLIC_URL", "")).rstrip("/")
    return base + verify_path(document)


def _seal_data_uri(document: Document) -> str | None:
    seal: OrganSeal | None = document.seal
    if seal is None or not seal.has_image:
        return None
    import base64

    return f"data:{seal.image_type};base64,{base64.b64encode(bytes(seal.image)).decode()}"


def status_url(case_number: str) -> str:
    """The citizens' progress page (/status/) with the case number filled in, absolute."""
    base = str(getattr(settings, "ONEWINDOW_PUBLIC_URL", "")).rstrip("/")
    try:
        path = reverse("status")
    except NoReverseMatch:  # the status page is not mounted in this deployment
        return ""
    return f"{base}{path}?number={quote(case_number)}"


def render_context(document: Document, variant: str = Variant.A4) -> dict[str, Any]:
    """What the templates get: the content record, the QR codes and the seal.

    The acceptance notice also tells the citizen where to follow the case: the
    /status/ address (printed, and as a second QR code) with its number filled in.
    """
    url = verify_url(document)
    context: dict[str, Any] = {
        "doc": document.content,
        "qr_image": qr_image(url, size_mm=QR_SIZE_MM[Variant(variant)]),
        "verify_url": url,
        "seal_src": _seal_data_uri(document),
        "variant": variant,
    }
    if document.kind == DocumentKind.ACCEPTANCE:
        progress = status_url(str(document.content.get("case", {}).get("number", "")))
        if progress:
            context["status_url"] = progress
            context["status_address"] = progress.split("?", 1)[0]  # printed; the QR has the number
            context["status_qr_image"] = qr_image(progress, size_mm=STATUS_QR_MM[Variant(variant)])
    return context


def render_document(document: Document, variant: str = Variant.A4) -> RenderedPdf:
    """Render ``document`` (no database writes)."""
    variant = Variant(variant).value
    if variant == Variant.TICKET:
        if document.kind != DocumentKind.ACCEPTANCE:
            raise ValueError("only the acceptance notice has a ticket variant")
        template = TICKET_TEMPLATE
    else:
        template = TEMPLATES[document.kind]
    rendered = render_pdf(
        template=template,
        context=render_context(document, variant),
        fit_page_height=variant == Variant.TICKET,
        tight_from_rows=TIGHT_FROM_ROWS.get(DocumentKind(document.kind)),
    )
    fault_point("render")  # the fault tests kill a worker here (config/faults.py)
    return rendered


def ensure_rendered(document: Document, variant: str = Variant.A4) -> DocumentFile:
    """The stored PDF of ``document``; rendered and stored now if it is not yet.

    Stored once: if another process stored it first, theirs is returned and
    this rendering is discarded.
    """
    variant = Variant(variant).value
    stored = DocumentFile.objects.filter(document=document, variant=variant).first()
    if stored is not None:
        return stored
    started = time.perf_counter()
    rendered = render_document(document, variant)
    elapsed = int((time.perf_counter() - started) * 1000)
    try:
        with transaction.atomic():
            stored = DocumentFile.objects.create(
                document=document,
                variant=variant,
                pdf=rendered.pdf,
                sha256=sha256_hex(rendered.pdf),
                size=len(rendered.pdf),
                pages=rendered.pages,
                rendered_at=timezone.now(),
                render_ms=elapsed,
            )
    except IntegrityError:
        stored = DocumentFile.objects.get(document=document, variant=variant)
    if variant == Variant.A4:
        RenderJob.objects.filter(document=document).exclude(state=RenderJob.State.DONE).update(
            state=RenderJob.State.DONE, finished_at=timezone.now(), last_error=""
        )
    return stored


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** max(attempts - 1, 0))


@dataclass
class JobOutcome:
    """What one pass over one job did."""

    state: str  # done, retry, failed, skipped
    error: str = ""


def render_job(job_id: int, *, now: datetime | None = None) -> JobOutcome:
    """Render one outbox job; on error count the attempt and schedule a retry.

    The job row stays locked while rendering (SKIP LOCKED elsewhere), so two
    workers never render the same document at once.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        job = (
            RenderJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("document", "document__seal")
            .filter(pk=job_id, state=RenderJob.State.PENDING)
            .first()
        )
        if job is None:
            return JobOutcome("skipped")
        try:
            with transaction.atomic():
                ensure_rendered(job.document)
        except Exception as exc:
            job.attempts += 1
            job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if job.attempts >= MAX_ATTEMPTS:
                job.state = RenderJob.State.FAILED
                job.finished_at = moment
                log.error(
                    "document %s (%s) failed to render %s times: %s",
                    job.document.number,
                    job.document_id,
                    job.attempts,
                    job.last_error,
                )
            else:
                job.next_attempt_at = moment + _backoff(job.attempts)
                log.warning(
                    "document %s render attempt %s failed: %s",
                    job.document.number,
                    job.attempts,
                    job.last_error,
                )
            job.save(
                update_fields=["attempts", "last_error", "state", "finished_at", "next_attempt_at"]
            )
            return JobOutcome(
                "failed" if job.state == RenderJob.State.FAILED else "retry", job.last_error
            )
        job.refresh_from_db(fields=["state"])
        if job.state != RenderJob.State.DONE:
            job.state = RenderJob.State.DONE
            job.finished_at = moment
            job.save(update_fields=["state", "finished_at"])
        return JobOutcome("done")


def render_pending(*, limit: int = 200, now: datetime | None = None) -> dict[str, int]:
    """Render every due pending job (oldest first); return counts per outcome."""
    moment = now or timezone.now()
    ids = list(
        RenderJob.objects.filter(state=RenderJob.State.PENDING, next_attempt_at__lte=moment)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"done": 0, "retry": 0, "failed": 0, "skipped": 0}
    for job_id in ids:
        counts[render_job(job_id, now=moment).state] += 1
    return counts


def render_job_retry(*, job: RenderJob) -> None:
    """Give a failed job a fresh set of attempts (admin action after fixing the cause)."""
    RenderJob.objects.filter(pk=job.pk, state=RenderJob.State.FAILED).update(
        state=RenderJob.State.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        finished_at=None,
    )


# ---------------------------------------------------------------- printing


def document_print(
    *,
    document: Document,
    user: AbstractBaseUser | None,
    variant: str = Variant.A4,
    now: datetime | None = None,
) -> DocumentFile:
    """Hand out the stored PDF, recorded in the case's audit trail.

    The first delivery of a variant appends a ``print`` event; every later one
    returns the same stored bytes and appends a ``reprint`` event.
    """
    variant = Variant(variant).value
    stored = ensure_rendered(document, variant)
    moment = now or timezone.now()
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
        reprint = DocumentPrint.objects.filter(document=locked, variant=variant).exists()
        DocumentPrint.objects.create(
            document=locked,
            variant=variant,
            user_id=user.pk if user is not None else None,
            reprint=reprint,
            at=moment,
        )
        # Every hand-out is in the trail: the first as 打印, later ones as 补打.
        record_event(
            case=locked.case,
            action="reprint" if reprint else "print",
            actor=user,
            from_status=locked.case.status,
            to_status=locked.case.status,
            payload={
                "document": locked.number,
                "kind": locked.kind,
                "variant": variant,
                "sha256": stored.sha256,
            },
            at=moment,
        )
    return stored
