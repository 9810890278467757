"""一件事 一次性告知 and 补正: one notice for the whole bundle, one supplement back to 收件."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from workflows.cases import errors as case_errors
from workflows.cases import services as case_services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, CaseMaterial, Status
from workflows.cases.services import CorrectionLine, MaterialLine, Party
from workflows.catalog.models import Center
from workflows.combined import errors
from workflows.combined.models import Bundle
from workflows.combined.selectors import missing_for
from workflows.combined.services.intake import (
    DeceasedPerson,
    check_bundle,
    chosen_parts,
    receive_all,
)
from workflows.window.notice import correction_lines

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def bundle_correction_lines(
    parent: Case, problems: Mapping[str, str] | None = None
) -> dict[int, list[CorrectionLine]]:
    """What each case of the bundle lacks (by case pk): required lines not received.

    ``problems`` gives the clerk's wording per material name; otherwise the
    notice says what is due, in which form and how many copies.
    """
    found: dict[int, list[CorrectionLine]] = {}
    for case in [parent, *parent.children.order_by("pk")]:
        if lines := correction_lines(case, problems):
            found[case.pk] = lines
    return found


def bundle_request_correction(
    *,
    parent: Case,
    actor: User,
    lines: Mapping[int, Sequence[CorrectionLine]],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """一次性告知 for a whole 一件事: one notice on the main case, every lacking sub-case 待补正.

    ``lines`` maps a case pk (the main case or a sub-case) to what it lacks.
    Each case goes through ``case_request_correction``, so the law's rules
    (one notice, no new items in a second one, too late once deemed accepted)
    hold per case; the main case also lists every sub-case line by name, so
    its notice (the only document issued) covers them all.
    """
    children = {c.pk: c for c in parent.children.order_by("pk")}
    if set(lines) - {parent.pk, *children}:
        raise InvalidRequest(errors.CASE_NOT_IN_BUNDLE)
    if not any(lines.values()):
        raise InvalidRequest(case_errors.CORRECTION_EMPTY)
    parent_rows = {
        m.name: m for m in parent.materials.filter(material__isnull=True).order_by("position")
    }
    parent_lines = {line.position: line for line in lines.get(parent.pk, [])}
    with transaction.atomic():
        for pk, child in children.items():
            if not lines.get(pk):
                continue
            names = dict(child.materials.values_list("position", "name"))
            for line in lines[pk]:
                row = parent_rows.get(names.get(line.position, ""))
                if row is not None and row.position not in parent_lines:
                    parent_lines[row.position] = CorrectionLine(
                        position=row.position, problem=line.problem, state=line.state
                    )
            case_services.case_request_correction(
                case=child,
                actor=actor,
                lines=lines[pk],
                idempotency_key=f"{idempotency_key}:{pk}" if idempotency_key else None,
                now=now,
            )
        return case_services.case_request_correction(
            case=parent,
            actor=actor,
            lines=sorted(parent_lines.values(), key=lambda line: line.position),
            idempotency_key=idempotency_key,
            now=now,
        )


def bundle_receive_for_correction(
    *,
    bundle: Bundle,
    center: Center,
    actor: User,
    applicant: Party,
    item_ids: Collection[int],
    received: Collection[str],
    problems: Mapping[str, str] | None = None,
    agent: Party | None = None,
    deceased: DeceasedPerson | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """收件 with materials lacking: the main case and every sub-case received, one 补正告知书."""
    check_bundle(bundle, deceased)
    items = chosen_parts(bundle, item_ids)
    if not missing_for([bundle.item, *items], received):
        raise InvalidRequest(errors.NOTHING_MISSING)
    with transaction.atomic():
        parent, replayed = receive_all(
            bundle=bundle,
            items=items,
            center=center,
            actor=actor,
            applicant=applicant,
            received=received,
            agent=agent,
            deceased=deceased,
            idempotency_key=idempotency_key,
            now=now,
        )
        if replayed:
            return parent
        return bundle_request_correction(
            parent=parent,
            actor=actor,
            lines=bundle_correction_lines(parent, problems),
            idempotency_key=f"{idempotency_key}:notice" if idempotency_key else None,
            now=now,
        )


def bundle_supplement(
    *,
    parent: Case,
    actor: User,
    brought: Collection[str],
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Case:
    """补正 for a whole 一件事: every case on the notice records what the applicant brought.

    ``brought`` names materials of the notice; each case in 待补正 goes back
    to 收件 through ``case_supplement``, which decides whether it is complete.
    """
    if parent.status != Status.AWAITING_CORRECTION:
        raise InvalidRequest(
            errors.NOT_AWAITING_CORRECTION % {"status": parent.get_status_display()}
        )
    waiting = [
        *parent.children.filter(status=Status.AWAITING_CORRECTION).order_by("pk"),
        parent,
    ]
    on_notice = {entry["name"] for case in waiting for entry in case.correction_items}
    if not brought:
        raise InvalidRequest(errors.NOTHING_BROUGHT)
    if set(brought) - on_notice:
        raise InvalidRequest(
            errors.NOT_ON_NOTICE % {"names": "、".join(sorted(set(brought) - on_notice))}
        )
    with transaction.atomic():
        for case in waiting:
            rows = {m.position: m for m in case.materials.select_related("material")}
            lines = [
                MaterialLine(
                    position=row.position,
                    copies=max(row.copies, row.material.copies if row.material else 1),
                    state=CaseMaterial.State.RECEIVED,
                )
                for entry in case.correction_items
                if entry["name"] in brought and (row := rows.get(entry["position"])) is not None
            ]
            supplemented = case_services.case_supplement(
                case=case,
                actor=actor,
                lines=lines,
                idempotency_key=f"{idempotency_key}:{case.pk}" if idempotency_key else None,
                now=now,
            )
        return supplemented
