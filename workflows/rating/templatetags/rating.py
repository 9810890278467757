"""``{% rating_link document as url %}``: the rating page a notice's QR code leads to."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()

KIND_MOMENTS = {"acceptance": "acceptance", "completion": "completion"}


@register.simple_tag
def rating_link(document: Any) -> str:
    """The rating URL for this acceptance or completion notice, or "" when there is none."""
    from workflows.rating.models import RatingInvitation

    moment = KIND_MOMENTS.get(getattr(document, "kind", ""))
    if moment is None:
        return ""
    if not RatingInvitation.objects.filter(case_id=document.case_id, moment=moment).exists():
        return ""
    return reverse("rating_token", args=[document.token])
