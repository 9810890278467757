"""一件事's receivers: a finished sub-case may wake its bundle's waiting parent flow."""

from __future__ import annotations

from typing import Any

from workflows.cases.models import Case
from workflows.combined.services.children import bundle_child_finished


def wake_bundle(sender: Any, *, child: Case, **kwargs: Any) -> None:
    """``sub_case_finished``: run the parent's ``wait_children`` once no sub-case is pending."""
    bundle_child_finished(child=child)
