"""一件事 reads: union checklist, notice lines, sub-case progress, which sub-cases are pending."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases.models import Case, Status
from workflows.catalog.models import ItemMaterial, ServiceItem
from workflows.combined.models import Bundle, Deceased

# Case states in which a bundle child no longer keeps its parent waiting.
CHILD_DONE = (Status.DECIDED, Status.CLOSED, Status.WITHDRAWN, Status.REJECTED)


@dataclass
class MaterialChoice:
    """One line of a bundle's union checklist: a material name and who needs it."""

    name: str
    form: str
    copies: int
    required: bool
    note: str = ""
    items: list[ServiceItem] = field(default_factory=list)
    materials: dict[int, ItemMaterial] = field(default_factory=dict)  # item pk -> line

    @property
    def key(self) -> str:
        """Stable form value for the line (its position in the union)."""
        return self.name

    def required_by(self) -> list[ServiceItem]:
        """The sub-items for which this line is required."""
        return [i for i in self.items if self.materials[i.pk].required]


def bundle_parts(bundle: Bundle) -> list[Any]:
    """The bundle's parts with their items, in order."""
    return list(bundle.parts.select_related("item", "item__department").order_by("position"))


def union_checklist(
    bundle: Bundle, items: Sequence[ServiceItem] | None = None
) -> list[MaterialChoice]:
    """The materials of the bundle form and of ``items`` (default: all parts), merged by name."""
    chosen = list(items) if items is not None else [p.item for p in bundle_parts(bundle)]
    lines: dict[str, MaterialChoice] = {}
    for item in [bundle.item, *chosen]:
        for material in item.materials.all().order_by("position"):
            line = lines.get(material.name)
            if line is None:
                line = lines[material.name] = MaterialChoice(
                    name=material.name,
                    form=material.form,
                    copies=material.copies,
                    required=False,
                    note=material.note,
                )
            line.items.append(item)
            line.materials[item.pk] = material
            line.required = line.required or material.required
    return list(lines.values())


def missing_for(
    items: Sequence[ServiceItem], received: Collection[str]
) -> dict[ServiceItem, list[str]]:
    """Required materials not ticked, per sub-item."""
    missing: dict[ServiceItem, list[str]] = {}
    for item in items:
        names = [m.name for m in item.materials.all() if m.required and m.name not in received]
        if names:
            missing[item] = names
    return missing


def notice_lines(parent: Case) -> list[dict[str, Any]]:
    """The materials a bundle's notice asks for, once each, with the items that need them."""
    lines: dict[str, dict[str, Any]] = {}
    cases = [*parent.children.filter(status=Status.AWAITING_CORRECTION).order_by("pk"), parent]
    for case in cases:
        for entry in case.correction_items:
            line = lines.setdefault(
                entry["name"], {"name": entry["name"], "problem": entry["problem"], "items": []}
            )
            if (
                case.pk != parent.pk
                or case.materials.filter(
                    position=entry["position"], material__isnull=False
                ).exists()
            ):
                line["items"].append(case.item.name)
    return list(lines.values())


def deceased_of(case: Case) -> Deceased | None:
    """The deceased person recorded with ``case``'s 一件事 (for the parent or a sub-case)."""
    parent_id = case.parent_id or case.pk
    return Deceased.objects.filter(case_id=parent_id).first()


def bundle_progress(parent: Case) -> list[dict[str, Any]]:
    """Each sub-case with its department, status and current step (for the progress page)."""
    children = list(parent.children.select_related("item", "department", "process").order_by("pk"))
    open_tasks = {
        t.process_id: t
        for t in Task.objects.filter(
            process__caseprocess__case__parent=parent,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        ).select_related("owner")
    }
    rows = []
    for child in children:
        process = getattr(child, "process", None)
        rows.append({"case": child, "task": open_tasks.get(process.pk) if process else None})
    return rows


def parent_open_task(parent: Case) -> Task | None:
    """The bundle's own open human step (汇总 or 出件), if it has reached one."""
    return (
        Task.objects.filter(
            process__caseprocess__case=parent,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .select_related("owner")
        .first()
    )


def children_pending(parent: Case) -> bool:
    """True while some child of ``parent`` is neither decided nor otherwise finished."""
    return parent.children.filter(~Q(status__in=CHILD_DONE)).exists()


def children_of(case: Case) -> list[Case]:
    """The sub-cases of a bundle, in intake order."""
    return list(case.children.select_related("item", "department").order_by("pk"))
