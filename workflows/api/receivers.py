"""Write the webhook outbox in the same transaction as the case event."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from workflows.api.webhooks import enqueue
from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded


@receiver(case_event_recorded, dispatch_uid="api.webhook_outbox")
def _outbox(sender: Any, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    enqueue(case, event)
