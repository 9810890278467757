"""Template filters for the masking policy (documents.masking): staff screens mask by default."""

from __future__ import annotations

from django import template

from documents import masking

register = template.Library()


@register.filter
def screen_phone(value: str) -> str:
    """A phone as staff screens show it (audience SCREEN)."""
    return masking.mask_phone(value or "", masking.Audience.SCREEN)
