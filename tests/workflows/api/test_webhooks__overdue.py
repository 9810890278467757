"""case.overdue: the sweep's escalations reach a subscribed system, signed, once each."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import applicant
from tests.workflows.api.conftest import MakeSystem, token_for
from tests.workflows.api.peer import running_peer
from workflows.api.models import WebhookDelivery
from workflows.api.signing import SIGNATURE_HEADER, verify
from workflows.api.webhooks import deliver_due
from workflows.cases import services as case_services
from workflows.cases.models import Case
from workflows.catalog.models import Center, ItemMaterial, ServiceItem
from workflows.supervision.models import Escalation
from workflows.supervision.services import sweep_deadlines

pytestmark = pytest.mark.django_db


def received_case(now: datetime | None = None) -> Case:
    """A 户口迁移 case received at the PY window (at ``now``), with all its materials."""
    item = ServiceItem.objects.get(code="GA-HKQY")
    return case_services.case_receive(
        center=Center.objects.get(code="PY"),
        item=item,
        actor=User.objects.get(username="clerk"),
        applicant=applicant(),
        materials=[
            case_services.MaterialLine(material_id=m.pk, copies=m.copies)
            for m in ItemMaterial.objects.filter(item=item)
        ],
        now=now,
    )


def accepted_case(days_ago: int) -> Case:
    """A 户口迁移 case the PY window accepted ``days_ago`` days ago."""
    moment = timezone.now() - timedelta(days=days_ago)
    case = received_case(now=moment)
    return case_services.case_accept(
        case=case, actor=User.objects.get(username="clerk"), now=moment
    )


def subscribe(client: Client, token: str, url: str, events: list[str]) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/subscriptions/",
        json.dumps({"url": url, "events": events}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_subscriber_receives_case_overdue_once_after_two_sweeps(
    client: Client, make_system: MakeSystem
) -> None:
    token = token_for(client, make_system())
    with running_peer() as peer:
        sub = subscribe(client, token, peer.url, ["case.overdue"])
        case = accepted_case(days_ago=200)  # past its promised and its statutory limit

        first = sweep_deadlines(issue_orders=False)
        second = sweep_deadlines(issue_orders=False)
        assert first.escalations >= 2
        assert second.escalations == 0
        breaches = Escalation.objects.filter(case=case, level__gte=2).count()
        assert WebhookDelivery.objects.filter(event_type="case.overdue").count() == breaches == 2

        deliver_due()
        deliver_due()
        events = []
        for headers, raw in peer.received:
            assert verify(sub["secret"], raw, headers[SIGNATURE_HEADER.lower()])
            assert headers["x-onewindow-event"] == "case.overdue"
            events.append(json.loads(raw))
    assert len(events) == 2, "once per escalation, not once per sweep"
    assert {e["case"]["number"] for e in events} == {case.number}
    assert sorted(e["data"]["level"] for e in events) == ["overdue", "statutory_overdue"]
    assert len({e["id"] for e in events}) == 2


def test_overdue_is_sent_only_to_subscribers_and_within_their_scope(
    client: Client, make_system: MakeSystem
) -> None:
    token = token_for(client, make_system())
    town = Center.objects.filter(level=Center.Level.TOWN).first()
    assert town is not None
    other = token_for(client, make_system(name="镇系统", center=town.code))
    with running_peer() as peer:
        subscribe(client, token, peer.url, ["case.accepted"])  # not case.overdue
        subscribe(client, other, peer.url, ["case.overdue"])  # a town: the county case is not its
        accepted_case(days_ago=200)
        sweep_deadlines(issue_orders=False)
    assert not WebhookDelivery.objects.filter(event_type="case.overdue").exists()
