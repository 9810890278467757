"""Reads of the documents app: verification, a case's documents, render problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from documents.content import canonical_bytes
from documents.keyring import RingKey
from documents.models import Document, DocumentKind, RenderJob
from documents.signing import sha256_hex, verify_with_ring
from workflows.cases.selectors import cases_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class Verification:
    """The answer of the public verify page."""

    authentic: bool
    document: Document | None = None
    # The key that signed, when it has been revoked: then the document is not authentic.
    revoked_key: RingKey | None = None

    @property
    def current(self) -> bool:
        return self.document is not None and self.document.is_current


def verify_document(token: str) -> Verification:
    """Is ``token`` a document this system issued, unaltered? (No login needed.)

    Authentic means: the signature checks out under a key of our ring that is
    not revoked, a document with that number and content digest exists, and its
    stored content still hashes to that digest. A signature by a revoked key is
    not authentic, and the answer names the key (``revoked_key``).
    """
    signed = verify_with_ring(token)
    if signed is None:
        return Verification(authentic=False)
    if signed.key.revoked:
        return Verification(authentic=False, revoked_key=signed.key)
    claims = signed.claims
    document = (
        Document.objects.select_related("case", "case__center", "superseded_by")
        .filter(number=claims.number, content_sha256=claims.sha256)
        .first()
    )
    if document is None or sha256_hex(canonical_bytes(document.content)) != claims.sha256:
        return Verification(authentic=False)
    return Verification(authentic=True, document=document)


def documents_visible_to(
    user: AbstractBaseUser | AnonymousUser, queryset: QuerySet[Document] | None = None
) -> QuerySet[Document]:
    """Documents of the cases ``user`` may see (row-level visibility of cases)."""
    qs = queryset if queryset is not None else Document.objects.all()
    return qs.filter(case__in=cases_visible_to(user))


def case_documents(case_id: int) -> QuerySet[Document]:
    """A case's documents in issue order."""
    return Document.objects.filter(case_id=case_id).order_by("issued_at", "pk")


def latest_document(case_id: int, kind: str) -> Document | None:
    """The latest ``kind`` document of a case (current ones first)."""
    return (
        Document.objects.filter(case_id=case_id, kind=DocumentKind(kind).value)
        .order_by(F("superseded_at").asc(nulls_first=True), "-issued_at", "-pk")
        .first()
    )


def render_problems(*, stale_after: timedelta = timedelta(minutes=30)) -> QuerySet[RenderJob]:
    """Jobs that failed for good, or still pending long after issue."""
    cutoff = timezone.now() - stale_after
    return (
        RenderJob.objects.select_related("document", "document__case")
        .filter(
            Q(state=RenderJob.State.FAILED)
            | Q(state=RenderJob.State.PENDING, created_at__lt=cutoff)
        )
        .order_by("created_at")
    )
