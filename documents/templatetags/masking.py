"""Template filters for the masking policy (documents.masking): staff screens mask by default."""

from __future__ import annotations

from django import template

from documents import masking

register = template.Library()


@register.filter
def screen_phone(value: str) -> str:
    """A phone as staff screens show it (audience SCREEN)."""
    return masking.mask_phone(value or "", masking.Audience.SCREEN)


@register.filter
def screen_id(value: str, id_type: str = "resident_id") -> str:
    """An ID number as staff screens show it (audience SCREEN)."""
    return masking.mask_id_number(value or "", masking.Audience.SCREEN, id_type=id_type or "")
