"""One item's guide as the page, the PDF and the API show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from workflows.catalog.models import Center, ItemMaterial, ServiceItem
from workflows.guide.models import GuideEntry


@dataclass(frozen=True)
class Material:
    position: int
    name: str
    form: str
    copies: int
    required: bool
    note: str


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    address: str
    hours: str
    phone: str
    supervision_phone: str


@dataclass(frozen=True)
class Guide:
    item: ServiceItem
    entry: GuideEntry | None
    aliases: list[str]
    steps: list[str]
    materials: list[Material]
    centers: list[Place]
    delivery: list[str]
    fee: Decimal
    enquiry_phones: list[str] = field(default_factory=list)
    supervision_phones: list[str] = field(default_factory=list)


def _places(entry: GuideEntry | None) -> list[Place]:
    centers = Center.objects.select_related("hours").order_by("path")
    if entry is not None and entry.centers.exists():
        centers = centers.filter(pk__in=entry.centers.values("pk"))
    places = []
    for center in centers:
        hours = getattr(center, "hours", None)
        places.append(
            Place(
                code=center.code,
                name=center.name,
                address=center.address,
                hours=hours.hours if hours else "",
                phone=center.phone,
                supervision_phone=center.supervision_phone,
            )
        )
    return places


def guide_of(item: ServiceItem) -> Guide:
    """Everything the guide publishes about ``item``."""
    entry = GuideEntry.objects.filter(item=item).first()
    labels = dict(ServiceItem.Delivery.choices)
    forms = dict(ItemMaterial.Form.choices)
    places = _places(entry)
    enquiry = [p for p in [item.department.phone, *(p.phone for p in places)] if p]
    supervision = sorted({p.supervision_phone for p in places if p.supervision_phone})
    return Guide(
        item=item,
        entry=entry,
        aliases=entry.alias_list() if entry else [],
        steps=entry.steps() if entry else [],
        materials=[
            Material(
                position=m.position,
                name=m.name,
                form=str(forms.get(m.form, m.form)),
                copies=m.copies,
                required=m.required,
                note=m.note,
            )
            for m in item.materials.order_by("position")
        ],
        centers=places,
        delivery=[str(labels.get(d, d)) for d in item.delivery_options],
        fee=item.fee,
        enquiry_phones=list(dict.fromkeys(enquiry)),
        supervision_phones=supervision,
    )
