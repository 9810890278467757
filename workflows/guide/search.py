"""Search the guide in Chinese: names, aliases and materials, ranked.

Chinese has no spaces, so a query is cut into character pairs (迁户口 → 迁户,
户口) besides being matched whole. An item scores most when its name or an
alias contains the whole query, then for each pair found in its name or
aliases, then for each pair found anywhere in its text (department,
materials). Every match is a ``LIKE '%…%'`` on one text column with a
pg_trgm GIN index (``guide_search_trgm``), so PostgreSQL answers from the
index for queries of three characters and more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from workflows.catalog.models import ServiceItem

MAX_QUERY = 40

# Weights: whole query in name/alias, pair in name/alias, pair anywhere.
WHOLE_NAME, WHOLE_ALIAS, PAIR_NAME, PAIR_ALIAS, PAIR_TEXT = 100, 90, 10, 8, 1


def refresh_search_text(item_id: int) -> None:
    """Recompute one entry's search column from its item, aliases and materials."""
    from workflows.guide.models import GuideEntry

    item = ServiceItem.objects.select_related("department").filter(pk=item_id).first()
    if item is None:
        return
    entry = GuideEntry.objects.filter(item_id=item_id).first()
    parts = [item.name, item.code, item.department.name, item.department.full_name]
    if entry is not None:
        parts.append(entry.aliases)
    parts.extend(item.materials.values_list("name", flat=True))
    GuideEntry.objects.filter(item_id=item_id).update(search_text="\n".join(p for p in parts if p))


def normalize(query: str) -> str:
    """The query without surrounding or repeated spaces, at most MAX_QUERY characters."""
    return " ".join(query.split())[:MAX_QUERY]


def pairs(query: str) -> list[str]:
    """The query's words cut into character pairs; a one-character word stays whole."""
    found: list[str] = []
    for word in query.split():
        grams = [word] if len(word) < 2 else [word[i : i + 2] for i in range(len(word) - 1)]
        for gram in grams:
            if gram not in found:
                found.append(gram)
    return found


@dataclass(frozen=True)
class Filters:
    department: str = ""
    center: str = ""


def published_items(filters: Filters | None = None) -> QuerySet[ServiceItem]:
    """Active items with their guide entry, narrowed to a department and/or a center."""
    filters = filters or Filters()
    qs = ServiceItem.objects.filter(is_active=True).select_related("department", "guide")
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.center:
        # An entry with no centers listed is offered by every center.
        qs = qs.filter(
            Q(guide__centers__code=filters.center) | Q(guide__centers__isnull=True)
        ).distinct()
    return qs


def search(query: str, filters: Filters | None = None) -> list[ServiceItem]:
    """Items matching ``query`` best first (all published items when it is empty)."""
    qs = published_items(filters)
    query = normalize(query)
    if not query:
        return list(qs.order_by("department__code", "code"))
    grams = pairs(query)
    match = Q(name__contains=query) | Q(guide__search_text__contains=query)
    whens = [
        When(name__contains=query, then=Value(WHOLE_NAME)),
        When(guide__aliases__contains=query, then=Value(WHOLE_ALIAS)),
    ]
    score: Any = Coalesce(Case(*whens, output_field=IntegerField()), Value(0))
    for gram in grams:
        match |= Q(guide__search_text__contains=gram)
        score = (
            score
            + Case(When(name__contains=gram, then=Value(PAIR_NAME)), default=Value(0))
            + Case(When(guide__aliases__contains=gram, then=Value(PAIR_ALIAS)), default=Value(0))
            + Case(When(guide__search_text__contains=gram, then=Value(PAIR_TEXT)), default=Value(0))
        )
    ranked = qs.filter(match).annotate(score=score).order_by("-score", "code")
    return list(ranked)
