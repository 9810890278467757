"""Write the webhook outbox in the same transaction as the case event."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workflows.api.models import ApiClient, Subscription
from workflows.api.webhooks import SUBSCRIPTIONS_READ, enqueue
from workflows.cases import txn
from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded


@receiver(case_event_recorded, dispatch_uid="api.webhook_outbox")
def _outbox(sender: Any, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    enqueue(case, event)


@receiver(post_save, sender=Subscription, dispatch_uid="api.subscriptions_changed")
@receiver(post_delete, sender=Subscription, dispatch_uid="api.subscriptions_deleted")
@receiver(post_save, sender=ApiClient, dispatch_uid="api.clients_changed")
@receiver(post_delete, sender=ApiClient, dispatch_uid="api.clients_deleted")
def _subscriptions_changed(sender: Any, **kwargs: Any) -> None:
    """A subscription or its client changed here: the transaction's next event reads again."""
    txn.forget_read(SUBSCRIPTIONS_READ)
