"""What the clerk decides on a received application, and the document each outcome prints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What the clerk decides at the window (行政许可法第三十二条)."""

    ACCEPT = "accept", _("受理")
    CORRECT = "correct", _("一次性告知补正")
    REJECT = "reject", _("不予受理")


# The document the outcome page opens on after each outcome.
DOCUMENT = {
    Outcome.ACCEPT: "acceptance",
    Outcome.CORRECT: "correction",
    Outcome.REJECT: "rejection",
}

__all__ = ["DOCUMENT", "Outcome"]
