"""A system files an online application; the window handles it like any other; hooks follow."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.workflows.api.conftest import PNG, MakeSystem, System, application_form, token_for
from tests.workflows.api.peer import Reply, running_peer
from workflows.api.models import (
    ApiCall,
    ApplicationFile,
    DeliveryAttempt,
    IdempotentRequest,
    OnlineApplication,
    WebhookDelivery,
)
from workflows.api.signing import SIGNATURE_HEADER, verify
from workflows.api.webhooks import deliver_due
from workflows.cases.models import Case, Status

pytestmark = pytest.mark.django_db


def post_application(client: Client, bearer: dict[str, str], key: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/applications/", application_form(**extra), HTTP_IDEMPOTENCY_KEY=key, **bearer
    )


def subscribe(client: Client, bearer: dict[str, str], url: str, events: list[str]) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/subscriptions/",
        json.dumps({"url": url, "events": events}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        **bearer,
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_online_application_is_accepted_at_the_window_and_the_system_is_told(
    client: Client, bearer: dict[str, str]
) -> None:
    with running_peer() as peer:
        sub = subscribe(client, bearer, peer.url, ["case.received", "case.accepted"])
        response = post_application(client, bearer, uuid.uuid4().hex)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "received"
        assert body["channel"] == "online"
        assert body["deemed_acceptance_at"]
        assert response["Location"] == f"/api/v1/cases/{body['number']}/"
        case = Case.objects.get(number=body["number"])
        assert OnlineApplication.objects.filter(case=case).exists()
        assert ApplicationFile.objects.filter(application__case=case).count() == len(
            body["materials"]
        ) - sum(1 for m in body["materials"] if not m["required"])

        # The clerk of the center sees it waiting and accepts it, as at the window.
        clerk = Client()
        clerk.force_login(User.objects.get(username="clerk"))
        assert body["number"] in clerk.get("/window/").content.decode()
        answer = clerk.post(
            f"/window/cases/{case.number}/review/", {"outcome": "accept", "key": uuid.uuid4().hex}
        )
        assert answer.status_code == 302, answer.content.decode()[:500]
        case.refresh_from_db()
        assert case.status == Status.ACCEPTED

        delivered, failed = deliver_due()
        assert (delivered, failed) == (2, 0)
        kinds = []
        for headers, raw in peer.received:
            assert verify(sub["secret"], raw, headers[SIGNATURE_HEADER.lower()])
            event = json.loads(raw)
            assert event["case"]["number"] == case.number
            assert headers["x-onewindow-event-id"] == event["id"]
            kinds.append(event["type"])
        assert kinds == ["case.received", "case.accepted"]

    state = client.get(f"/api/v1/cases/{case.number}/", **bearer)
    assert state.json()["status"] == "accepted"
    assert state.json()["clock"]["promised_due"]
    assert ApiCall.objects.filter(client__isnull=False, path="/api/v1/applications/").exists()


def test_a_replayed_post_creates_nothing(client: Client, bearer: dict[str, str]) -> None:
    key = uuid.uuid4().hex
    first = post_application(client, bearer, key)
    again = post_application(client, bearer, key)
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
    # The same key for a different request is refused, not silently replayed.
    other = post_application(client, bearer, key, applicant_name="李四")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert Case.objects.count() == 1


def test_a_post_without_idempotency_key_is_refused(client: Client, bearer: dict[str, str]) -> None:
    response = client.post("/api/v1/applications/", application_form(), **bearer)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert Case.objects.count() == 0


def test_another_centers_case_is_not_found(client: Client, make_system: MakeSystem) -> None:
    town: System = make_system("仁居镇便民系统", center="PY-RJ")
    other: System = make_system("大柘镇便民系统", center="PY-DZ")
    county: System = make_system("县网办", center="PY")
    own = {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, town)}"}
    number = post_application(client, own, uuid.uuid4().hex).json()["number"]
    foreign = {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, other)}"}
    for path in ("", "events/", "documents/"):
        response = client.get(f"/api/v1/cases/{number}/{path}", **foreign)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    # The county center's system sees the town's case (its scope includes the towns).
    above = {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, county)}"}
    assert client.get(f"/api/v1/cases/{number}/", **above).status_code == 200


def test_uploads_are_checked_for_type_and_size(
    client: Client, bearer: dict[str, str], settings
) -> None:  # type: ignore[no-untyped-def]
    import io

    form = application_form()
    fake = io.BytesIO(b"MZ\x90\x00 this is an exe")
    fake.name = "scan.pdf"
    form["material_files"][0] = fake  # type: ignore[index]
    response = client.post(
        "/api/v1/applications/", form, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **bearer
    )
    assert response.status_code == 400
    position = form["material_positions"][0]  # type: ignore[index]
    assert "PDF" in json.dumps(
        response.json()["errors"][f"material_{position}"], ensure_ascii=False
    )

    settings.ONEWINDOW_API_MAX_UPLOAD_BYTES = 20
    big = io.BytesIO(PNG)
    big.name = "big.png"
    form = application_form()
    form["material_files"][0] = big  # type: ignore[index]
    response = client.post(
        "/api/v1/applications/", form, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **bearer
    )
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_missing_materials_leave_the_case_for_a_correction_notice(
    client: Client, bearer: dict[str, str]
) -> None:
    response = post_application(
        client, bearer, uuid.uuid4().hex, material_positions=[], material_files=[]
    )
    assert response.status_code == 201
    number = response.json()["number"]
    clerk = Client()
    clerk.force_login(User.objects.get(username="clerk"))
    refused = clerk.post(
        f"/window/cases/{number}/review/", {"outcome": "accept", "key": uuid.uuid4().hex}
    )
    # The same rule as at the window: incomplete materials cannot be accepted.
    assert refused.status_code == 400
    assert Case.objects.get(number=number).status == Status.RECEIVED
    noticed = clerk.post(
        f"/window/cases/{number}/review/", {"outcome": "correct", "key": uuid.uuid4().hex}
    )
    assert noticed.status_code == 302
    assert Case.objects.get(number=number).status == Status.AWAITING_CORRECTION


def test_a_failing_webhook_is_retried_until_it_succeeds_and_recorded_once(
    client: Client, bearer: dict[str, str]
) -> None:
    with running_peer() as peer:
        peer.replies = [Reply(status=500), Reply(status=500), Reply(status=503), Reply(status=200)]
        subscribe(client, bearer, peer.url, ["case.received"])
        post_application(client, bearer, uuid.uuid4().hex)
        moment = timezone.now()
        for _ in range(6):
            deliver_due(now=moment)
            moment += timedelta(hours=7)
        assert len(peer.received) == 4
        ids = {json.loads(raw)["id"] for _headers, raw in peer.received}
        attempts = [h["x-onewindow-delivery-attempt"] for h, _raw in peer.received]
    assert len(ids) == 1, "every retry carries the same event id"
    assert attempts == ["1", "2", "3", "4"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert delivery.attempts == 4
    assert [a.status_code for a in DeliveryAttempt.objects.order_by("at", "pk")] == [
        500,
        500,
        503,
        200,
    ]
    log = client.get(f"/api/v1/subscriptions/{delivery.subscription_id}/deliveries/", **bearer)
    assert log.status_code == 200
    assert len(log.json()) == 1
    assert len(log.json()[0]["log"]) == 4


def test_withdrawal_needs_the_current_etag(client: Client, bearer: dict[str, str]) -> None:
    number = post_application(client, bearer, uuid.uuid4().hex).json()["number"]
    url = f"/api/v1/cases/{number}/withdraw/"
    body = json.dumps({"reason": "申请人不再需要"})
    missing = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **bearer
    )
    assert missing.status_code == 428
    stale = client.post(
        url,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        HTTP_IF_MATCH='"0000"',
        **bearer,
    )
    assert stale.status_code == 412
    etag = client.get(f"/api/v1/cases/{number}/", **bearer)["ETag"]
    done = client.post(
        url,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        HTTP_IF_MATCH=etag,
        **bearer,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "withdrawn"
    assert done["ETag"] != etag
