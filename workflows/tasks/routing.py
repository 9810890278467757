"""Which flow works on a case, and starting it (once) when the case is accepted.

``ServiceItem.flow`` names a flow by key (``public_security.household_move``);
the registry maps keys to Flow classes. The window's accept view and the
supervision sweep (deemed acceptance) call :func:`start_department_flow`
inside their accept transaction; it is idempotent: the one-to-one key from
``CaseProcess`` to ``Case`` makes a second process for a case impossible.
A withdrawn bundle sub-case is announced with ``sub_case_finished``
(``workflows.tasks.signals``); the bundle listens, routing does not know it.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from viewflow.workflow.status import PROCESS

from workflows.cases import txn
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import RUNNING, Case, Status
from workflows.tasks import errors
from workflows.tasks.models import CaseProcess
from workflows.tasks.signals import sub_case_finished

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# flow key -> Flow class (import path). Keys are what ServiceItem.flow holds.
FLOWS: dict[str, str] = {
    "public_security.household_move": "workflows.public_security.flows.HouseholdMoveFlow",
    "public_security.review": "workflows.public_security.flows.ReviewFlow",
    "social_insurance.review": "workflows.social_insurance.flows.ReviewFlow",
    "medical_insurance.chronic_disease": "workflows.medical_insurance.flows.ChronicDiseaseFlow",
    "medical_insurance.review": "workflows.medical_insurance.flows.ReviewFlow",
    "civil_affairs.minimum_living": "workflows.civil_affairs.flows.MinimumLivingFlow",
    "civil_affairs.review": "workflows.civil_affairs.flows.ReviewFlow",
    "health.review": "workflows.health.flows.ReviewFlow",
    "tax.review": "workflows.tax.flows.ReviewFlow",
    "combined.bundle": "workflows.combined.flows.BundleFlow",
}

BUNDLE_FLOW = "combined.bundle"

CASE_TABLE = Case._meta.db_table
_STARTED = "routing.flow_started"  # case pks whose flow this transaction started

# Department code -> package: a bundle's 即办 sub-item (no flow of its own)
# is handled by its department's generic review flow.
DEPARTMENT_PACKAGES: dict[str, str] = {
    "GA": "public_security",
    "RS": "social_insurance",
    "YB": "medical_insurance",
    "MZ": "civil_affairs",
    "WJ": "health",
    "SW": "tax",
}


def flow_class_for(key: str) -> Any:
    """The Flow class registered under ``key``, or None for an unknown key."""
    path = FLOWS.get(key)
    return import_string(path) if path else None


def flow_key_for(case: Case) -> str:
    """The flow key for ``case``: its item's, or its department's review for a bundle sub-item."""
    key = case.item.flow
    if not key and case.parent_id is not None:
        package = DEPARTMENT_PACKAGES.get(case.department.code)
        key = f"{package}.review" if package else ""
    return key


def process_of(case: Case) -> CaseProcess | None:
    """The process working on ``case``, if one was started."""
    return CaseProcess.objects.filter(case=case).first()


def start_department_flow(*, case: Case, actor: User | None) -> CaseProcess | None:
    """Start the back-office flow of an accepted case; None for a 即办件 (decided at the window).

    Idempotent: returns the existing process when the case already has one.
    Call it inside the accept transaction so acceptance and routing commit together.
    """
    # A case this transaction created has a process only if this transaction
    # started one (the process's key points at a row nobody else sees yet).
    created_here = txn.written_here(CASE_TABLE, case.pk)
    if not created_here or txn.written_here(_STARTED, case.pk):
        existing = process_of(case)
        if existing is not None:
            return existing
    key = flow_key_for(case)
    if not key:
        return None
    flow_class = flow_class_for(key)
    if flow_class is None:
        raise InvalidRequest(errors.NO_FLOW % {"item": case.item.name, "flow": key})
    if key == BUNDLE_FLOW and not case.children.exists():
        raise InvalidRequest(errors.BUNDLE_ONLY)
    # The status as it stands: an instance this transaction just wrote is that row.
    if txn.is_current(case):
        fresh = case
    else:
        fresh = Case.objects.select_related("item", "department").get(pk=case.pk)
    if fresh.status not in RUNNING:
        raise TransitionRefused(
            errors.CASE_NOT_ACCEPTED
            % {"number": fresh.number, "status": fresh.get_status_display()}
        )
    try:
        # The savepoint is for a concurrent start; none can race a case nobody else sees.
        with nullcontext() if created_here else transaction.atomic():
            process: CaseProcess = flow_class.start.run(case=fresh, actor=actor)
        txn.note_written(_STARTED, case.pk)
        # The flow's first steps write the case row through their own instance (e.g.
        # 办理中): the one in hand is no longer the row, so a later transition in this
        # transaction must read it again.
        txn.forget(case)
        txn.forget(fresh)
    except IntegrityError:
        # A concurrent caller started it first (one-to-one on the case).
        existing = process_of(case)
        if existing is None:
            raise
        return existing
    return process


def cancel_department_flow(*, case: Case) -> bool:
    """Cancel the open tasks of ``case``'s flow (after a withdrawal); True if it was running.

    For a bundle sub-case the parent is told (``sub_case_finished``), so the bundle
    does not wait for it.
    """
    process = process_of(case)
    if process is None or process.status != PROCESS.NEW:
        return False
    process.flow_class.instance.cancel(process)
    # A withdrawn bundle took its open sub-cases with it (case_withdraw): end their flows too.
    for child in Case.objects.filter(parent_id=case.pk, status=Status.WITHDRAWN):
        child_process = process_of(child)
        if child_process is not None and child_process.status == PROCESS.NEW:
            child_process.flow_class.instance.cancel(child_process)
    if case.parent_id is not None:
        sub_case_finished.send(sender=Case, child=Case.objects.get(pk=case.pk))
    return True
