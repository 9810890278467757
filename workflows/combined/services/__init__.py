"""一件事: receive one application as a parent case plus one child case per sub-item.

The window enters the applicant once and ticks the union of the sub-items'
materials; ``bundle_receive`` receives and accepts the parent and every child
through the case services and starts the parent's flow, which starts each
child's department flow. When a child is decided its flow sends
``sub_case_finished`` and ``receivers.wake_bundle`` calls
``bundle_child_finished``; once no child is pending the parent flow moves on
to the lead department's summary and one combined delivery at the window.
The reads (checklists, progress) are in ``workflows.combined.selectors``, the
messages in ``workflows.combined.errors``. Intake, correction and the children's
report each have their module; this package re-exports their services.
"""

from workflows.combined.services.children import bundle_child_finished
from workflows.combined.services.correction import (
    bundle_correction_lines,
    bundle_receive_for_correction,
    bundle_request_correction,
    bundle_supplement,
)
from workflows.combined.services.intake import (
    DeceasedPerson,
    bundle_accept,
    bundle_receive,
    bundle_reject,
    chosen_parts,
)

__all__ = [
    "DeceasedPerson",
    "bundle_accept",
    "bundle_child_finished",
    "bundle_correction_lines",
    "bundle_receive",
    "bundle_receive_for_correction",
    "bundle_reject",
    "bundle_request_correction",
    "bundle_supplement",
    "chosen_parts",
]
