"""免提交 at the window: ask the shared sources before the clerk decides, then attach what came.

The clerk presses 查询共享材料 once the applicant's ID number is typed: the
intake page is posted (nothing is saved), each checklist line marked
shareable is asked for through ``workflows.api.sharing`` (each source waits at
most its own timeout), and the page comes back with what was typed, the found
lines ticked 已共享获取 and the others saying why paper is needed. The found
records are kept in the clerk's session under (item, ID number); at submit,
the same item and ID number make those lines received (electronic) and attach
the records to the case in the intake's transaction. Another ID number finds
nothing kept, so nothing stale is attached.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from workflows.api import sharing
from workflows.cases.models import ApplicantKind, CaseMaterial
from workflows.catalog.models import ItemMaterial, ServiceItem

SESSION_KEY = "window_shared"
KEEP = 10  # lookups kept per clerk session (a few tabs at once)

ID_NEEDED = _("请先填写有效的申请人证件号码，再查询共享材料。")


@dataclass(frozen=True)
class LineResult:
    """What the window shows on one shareable checklist line."""

    outcome: str
    note: str
    licence_number: str = ""

    @property
    def found(self) -> bool:
        return self.outcome == sharing.FOUND

    @property
    def unavailable(self) -> bool:
        return self.outcome == sharing.UNAVAILABLE


def _id_field(data: Mapping[str, Any]) -> str:
    return "o-uscc" if data.get("c-applicant_kind") == ApplicantKind.ORGANISATION else "p-id_number"


def _slot(item: ServiceItem, id_number: str) -> str:
    """Where a lookup is kept: the item and the ID number as the applicant forms normalise it."""
    number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", id_number)).upper()
    return f"{item.code}:{number}"


def lookup(request: HttpRequest, item: ServiceItem, id_number: str) -> dict[int, LineResult]:
    """Ask the sources for this applicant and keep what was found for the submit."""
    results = sharing.lookup_materials(item, id_number)
    kept: dict[str, Any] = dict(request.session.get(SESSION_KEY) or {})
    kept.pop(_slot(item, id_number), None)
    kept[_slot(item, id_number)] = [
        sharing.found_entry(r) for r in results if r.outcome == sharing.FOUND
    ]
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
    return {
        r.position: LineResult(outcome=r.outcome, note=r.note, licence_number=r.licence_number)
        for r in results
    }


def kept_for(
    request: HttpRequest, item: ServiceItem, data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The records found for the item and the ID number posted, if the clerk looked them up."""
    id_number = str(data.get(_id_field(data)) or "")
    if not id_number.strip():
        return []
    kept = request.session.get(SESSION_KEY) or {}
    return list(kept.get(_slot(item, id_number)) or [])


def with_found(data: QueryDict, item: ServiceItem, found: list[dict[str, Any]]) -> QueryDict:
    """The posted intake with each found line received in electronic form (the source decides)."""
    if not found:
        return data
    data = data.copy()
    for entry in found:
        prefix = f"m{entry['position']}"
        data[f"{prefix}-state"] = CaseMaterial.State.RECEIVED
        data[f"{prefix}-form"] = ItemMaterial.Form.ELECTRONIC
        data[f"{prefix}-copies"] = data.get(f"{prefix}-copies") or "1"
        data[f"{prefix}-problem"] = ""
    return data


def mark_lines(
    intake: Any, shareable: Mapping[int, Any], results: Mapping[int, LineResult]
) -> None:
    """Give each checklist line its source (if shareable) and what the source said (if asked)."""
    for line in intake.checklist:
        position = line.material.position
        line.shareable = shareable.get(position)
        line.shared = results.get(position)


def results_of(found: list[dict[str, Any]]) -> dict[int, LineResult]:
    """The lines a kept lookup found, as the page shows them after a refused submit."""
    return {
        e["position"]: LineResult(
            outcome=sharing.FOUND,
            note=str(sharing.FOUND_NOTE % {"source": e["source"], "number": e["licence_number"]}),
            licence_number=e["licence_number"],
        )
        for e in found
    }


__all__ = [
    "ID_NEEDED",
    "LineResult",
    "kept_for",
    "lookup",
    "mark_lines",
    "results_of",
    "with_found",
]
