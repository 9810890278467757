"""The outbox in the event's transaction: one intake's events, and subscribers that change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.workflows.api.conftest import MakeSystem, token_for
from tests.workflows.api.test_webhooks__overdue import received_case, subscribe
from workflows.api.models import Subscription, WebhookDelivery
from workflows.cases import services as case_services

pytestmark = pytest.mark.django_db


def test_both_events_of_one_intake_reach_a_subscriber(
    client: Client, make_system: MakeSystem
) -> None:
    token = token_for(client, make_system())
    subscribe(client, token, "https://example.org/hook", ["case.received", "case.accepted"])

    case = received_case()
    case_services.case_accept(case=case, actor=User.objects.get(username="clerk"))

    sent = WebhookDelivery.objects.filter(case=case).values_list("event_type", flat=True)
    assert sorted(sent) == ["case.accepted", "case.received"]


def test_a_subscription_saved_between_two_events_gets_the_second(
    client: Client, make_system: MakeSystem
) -> None:
    token = token_for(client, make_system())
    case = received_case()  # no subscriber yet: nothing queued
    assert not WebhookDelivery.objects.filter(case=case).exists()

    # In the same (test) transaction as the receive: the subscription is seen at once.
    subscribe(client, token, "https://example.org/hook", ["case.accepted"])
    case_services.case_accept(case=case, actor=User.objects.get(username="clerk"))
    assert list(WebhookDelivery.objects.filter(case=case).values_list("event_type", flat=True)) == [
        "case.accepted"
    ]

    # Switched off, it gets nothing more.
    subscription = Subscription.objects.get()
    subscription.is_active = False
    subscription.save()
    case_services.case_withdraw(
        case=case, actor=User.objects.get(username="clerk"), reason="申请人撤回"
    )
    assert WebhookDelivery.objects.filter(case=case).count() == 1
