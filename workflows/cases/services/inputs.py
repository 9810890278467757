"""The input dataclasses of the case services and the limits free text is held to."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.cases import errors
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import CaseMaterial


@dataclass(frozen=True)
class Party:
    """An applicant or an agent, as cleaned by ``forms``."""

    name: str
    id_number: str
    phone: str
    id_type: str = "resident_id"
    address: str = ""
    kind: str = "person"
    legal_representative: str = ""
    authorisation: str = ""


@dataclass(frozen=True)
class MaterialLine:
    """What the clerk ticked for one checklist line (or an extra line)."""

    material_id: int | None = None
    position: int | None = None
    name: str = ""
    form: str = ""
    copies: int = 0
    pages: int = 0
    state: str = CaseMaterial.State.RECEIVED
    problem: str = ""


@dataclass(frozen=True)
class CorrectionLine:
    """One thing the applicant must supplement or correct."""

    position: int
    problem: str
    state: str = CaseMaterial.State.MISSING


REASON_MAX = 2000  # reasons, opinions and notes kept as TextField: one A4 page at most


SHORT_TEXT_MAX = 200  # CharField(max_length=200) texts: addresses, organs, delivery notes


def _bounded(**texts: tuple[str, int]) -> None:
    """Refuse a free text longer than its field holds (or than one printed page)."""
    for value, limit in texts.values():
        if len(value or "") > limit:
            raise InvalidRequest(errors.TEXT_TOO_LONG % {"max": limit, "length": len(value)})
