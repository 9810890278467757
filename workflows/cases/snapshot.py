"""The service item as it was at acceptance (事项快照): one typed record, stored as JSON.

``Case.item_snapshot`` keeps the item's limits, units and rules from the moment the
case was accepted, so catalogue edits never move a running clock. Both writers
(``services._clock._start_clock`` and ``seeding``) build it here; readers may parse it
back with ``ItemSnapshot.from_json`` (snapshots written before a field existed get
that field's default, which is the law's default).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workflows.cases.clock import WORKING

if TYPE_CHECKING:
    from workflows.catalog.models import ServiceItem


def _stored_fee(item: ServiceItem) -> str:
    """The fee as the database stores it ("0.00"), also from an instance not read back."""
    fee_field = item._meta.get_field("fee")
    places = Decimal(1).scaleb(-fee_field.decimal_places)
    return str(Decimal(item.fee).quantize(places))


@dataclass(frozen=True)
class ItemSnapshot:
    """The item's facts a case depends on after acceptance."""

    code: str
    name: str
    kind: str
    department: str = ""
    legal_basis: str = ""
    statutory_limit_days: int = 0
    promised_limit_days: int = 0
    statutory_limit_unit: str = WORKING
    promised_limit_unit: str = WORKING
    acceptance_day_counts: bool = False
    max_extension_days: int = 0
    warning_days: int = 2
    extension_needs_head: bool = True
    extension_within_promise: bool = False
    decision_needs_head: bool = False
    fee: str = "0.00"
    delivery_options: tuple[str, ...] = ()
    materials: tuple[dict[str, Any], ...] = field(default=())

    @classmethod
    def from_item(cls, item: ServiceItem) -> ItemSnapshot:
        """The snapshot of ``item`` now (one query for its materials)."""
        return cls(
            code=item.code,
            name=item.name,
            kind=item.kind,
            department=item.department.name,
            legal_basis=item.legal_basis,
            statutory_limit_days=item.statutory_limit_days,
            promised_limit_days=item.promised_limit_days,
            statutory_limit_unit=item.statutory_limit_unit,
            promised_limit_unit=item.promised_limit_unit,
            acceptance_day_counts=item.acceptance_day_counts,
            max_extension_days=item.max_extension_days,
            warning_days=item.warning_days,
            extension_needs_head=item.extension_needs_head,
            extension_within_promise=item.extension_within_promise,
            decision_needs_head=item.decision_needs_head,
            fee=_stored_fee(item),
            delivery_options=tuple(item.delivery_options),
            materials=tuple(m.snapshot() for m in item.materials.all()),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON stored in ``Case.item_snapshot``."""
        data = asdict(self)
        data["delivery_options"] = list(self.delivery_options)
        data["materials"] = [dict(m) for m in self.materials]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemSnapshot:
        """Parse a stored snapshot; unknown keys are ignored, missing ones take their default."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["delivery_options"] = tuple(values.get("delivery_options") or ())
        values["materials"] = tuple(dict(m) for m in values.get("materials") or ())
        for name in ("code", "name", "kind"):
            values.setdefault(name, "")
        return cls(**values)
