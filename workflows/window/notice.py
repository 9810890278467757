"""The 一次性告知 (correction notice): its default lines and what a case still has to correct."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case, CaseMaterial
from workflows.cases.services import CorrectionLine
from workflows.catalog.models import ItemMaterial

MISSING_DEFAULT = _("未提交。应提交：%(form)s %(copies)s 份。")
MISSING_DEFAULT_NOTE = _("未提交。应提交：%(form)s %(copies)s 份（%(note)s）。")


def missing_problem(material: ItemMaterial | CaseMaterial, copies: int | None = None) -> str:
    """The default 一次性告知 line for a material not handed in: what is due, in which form."""
    form = str(CaseMaterial.Form(material.form).label)
    params = {"form": form, "copies": copies if copies is not None else material.copies}
    note = getattr(material, "note", "")
    if note:
        return str(MISSING_DEFAULT_NOTE % {**params, "note": note})
    return str(MISSING_DEFAULT % params)


def correction_lines(case: Case, problems: Mapping[str, str] | None = None) -> list[CorrectionLine]:
    """Everything still missing (required) or defective on a received case.

    ``problems`` gives the clerk's wording per material name (a bundle's notice);
    otherwise the line says what is due, in which form and how many copies.
    """
    problems = problems or {}
    lines = []
    for material in case.materials.all():
        if material.state == CaseMaterial.State.RECEIVED:
            continue
        if material.state == CaseMaterial.State.MISSING and not material.required:
            continue  # an optional line, or the main case's copy of a sub-item line
        problem = (
            (problems.get(material.name) or "").strip()
            or material.problem
            or missing_problem(material)
        )
        lines.append(
            CorrectionLine(position=material.position, problem=problem, state=material.state)
        )
    return lines


def notice_materials(case: Case) -> list[tuple[CaseMaterial, dict[str, Any]]]:
    """The correction notice's items with their material rows."""
    rows = {m.position: m for m in case.materials.all()}
    return [
        (rows[entry["position"]], entry)
        for entry in case.correction_items
        if entry.get("position") in rows
    ]


__all__ = ["correction_lines", "missing_problem", "notice_materials"]
