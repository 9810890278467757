"""Who issues a document and how it is numbered: the organ, its 文号 prefix and its seal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from documents.models import DocumentKind, OrganSeal
from workflows.cases.models import (
    Case,
)

if TYPE_CHECKING:
    pass

# Who issues what: the window (center) receives, refuses, notifies the result
# and supervises; the department extends and orders special procedures.
CENTER_KINDS = frozenset(
    {
        DocumentKind.ACCEPTANCE,
        DocumentKind.CORRECTION,
        DocumentKind.REJECTION,
        DocumentKind.COMPLETION,
        DocumentKind.SUPERVISION,
    }
)
KIND_WORDS = {
    DocumentKind.ACCEPTANCE: "受",
    DocumentKind.CORRECTION: "补",
    DocumentKind.REJECTION: "不受",
    DocumentKind.EXTENSION: "延",
    DocumentKind.SPECIAL: "特",
    DocumentKind.COMPLETION: "结",
    DocumentKind.SUPERVISION: "督",
}
CENTER_SUFFIXES = (
    "党群服务中心",
    "政务服务中心",
    "便民服务中心",
    "行政服务中心",
    "服务中心",
    "党群服务站",
    "便民服务站",
    "服务站",
)
ORGAN_SUFFIXES = ("委员会", "办公室", "局", "委", "办")


@dataclass(frozen=True)
class Organ:
    """The organ that issues a document, its numbering key, prefix and seal."""

    key: str
    name: str
    address: str
    phone: str
    prefix: str
    seal: OrganSeal | None


ADMINISTRATIVE_UNIT = re.compile(r".+?(?:自治县|县|市|区|镇|乡|街道|社区|村)")


def derive_prefix(name: str, *, center: bool) -> str:
    """文号机关代字 from an organ's name.

    The service-center or organ suffix goes, then the lowest administrative
    unit stays with what follows it; a county drops 县: 平远县党群服务中心 →
    平远, 大柘镇党群服务中心 → 大柘镇, 平远县大柘镇黄沙村党群服务站 → 黄沙村,
    平远县公安局 → 平远公安. Admins can set any prefix on the organ's seal row.
    """
    text = name.strip()
    suffixes = CENTER_SUFFIXES if center else ORGAN_SUFFIXES
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    units = [m.group() for m in ADMINISTRATIVE_UNIT.finditer(text)]
    if not units:
        return text or name.strip()
    rest = text[sum(len(u) for u in units) :]
    last = units[-1]
    for county in ("自治县", "县"):
        if last.endswith(county) and len(last) > len(county):
            last = last[: -len(county)]
            break
    return last + rest


def _active_seal(**owner: Any) -> OrganSeal | None:
    return OrganSeal.objects.filter(is_active=True, **owner).order_by("-pk").first()


def resolve_organ(case: Case, kind: str) -> Organ:
    """The issuing organ of a ``kind`` document for ``case``."""
    center = case.center
    if kind in CENTER_KINDS:
        seal = _active_seal(center=center, department__isnull=True)
        name = center.organ_name or center.name
        return Organ(
            key=f"center:{center.pk}",
            name=name,
            address=center.address,
            phone=center.phone,
            prefix=(seal.number_prefix if seal and seal.number_prefix else "")
            or derive_prefix(name, center=True),
            seal=seal,
        )
    department = case.department
    seal = _active_seal(department=department, center=center) or _active_seal(
        department=department, center__isnull=True
    )
    name = department.full_name or department.name
    return Organ(
        key=f"department:{department.pk}",
        name=name,
        address=center.address,
        phone=department.phone,
        prefix=(seal.number_prefix if seal and seal.number_prefix else "")
        or derive_prefix(name, center=False),
        seal=seal,
    )


def format_number(*, prefix: str, kind: str, year: int, serial: int) -> str:
    """平远受字〔2026〕000123号."""
    return f"{prefix}{KIND_WORDS[DocumentKind(kind)]}字〔{year}〕{serial:06d}号"
