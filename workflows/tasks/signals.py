"""What the flows announce to apps that build on them (the 一件事 bundle listens)."""

from __future__ import annotations

from django.dispatch import Signal

# A bundle sub-case's flow is done with it (decided, or withdrawn and cancelled).
# Sent with ``sender=Case`` and ``child=<the sub-case, read fresh>`` inside the
# flow's transaction; ``workflows.combined.receivers`` wakes the parent flow.
sub_case_finished = Signal()
