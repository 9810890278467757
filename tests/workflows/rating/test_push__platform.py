"""The push to the provincial platform: survives a failing endpoint, sends each record once."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from documents.keyring import keyring
from tests.concurrency import run_together
from tests.documents.keys import configure, kid, public, seed
from tests.workflows.rating.conftest import T0
from workflows.rating import services
from workflows.rating.models import Channel, PushError, PushRecord, RatingInvitation
from workflows.rating.push import KEY_ID_HEADER, SIGNATURE_HEADER, push_pending


class Platform:
    """A local HTTP server standing in for the provincial platform, told how to answer."""

    def __init__(self) -> None:
        self.answers: list[str] = []  # "fail", "slow" or "ok"; empty = ok
        self.received: list[dict[str, object]] = []
        self.keys: list[str] = []
        self.key_ids: list[str] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = platform.answers.pop(0) if platform.answers else "ok"
                if answer == "slow":
                    time.sleep(1.5)
                if answer == "fail":
                    self.send_response(503)
                    self.end_headers()
                    return
                signature = base64.b64decode(self.headers[SIGNATURE_HEADER])
                key = keyring().get(self.headers[KEY_ID_HEADER])  # as listed at /verify/keys
                assert key is not None
                key.public_key.verify(signature, body)  # raises if not ours
                platform.key_ids.append(self.headers[KEY_ID_HEADER])
                if answer == "ok":
                    platform.received.append(json.loads(body))
                    platform.keys.append(self.headers["Idempotency-Key"])
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hcp"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform() -> Iterator[Platform]:
    server = Platform()
    yield server
    server.close()


def rate(invitation: RatingInvitation, level: int = 5) -> None:
    services.rating_submit(
        invitation=invitation,
        level=level,
        reasons=["attitude"] if level < 3 else [],
        channel=Channel.QR,
        digits="5678",
        now=T0,
    )


@pytest.mark.django_db
def test_the_record_carries_what_the_platform_needs(
    invitation: RatingInvitation, platform: Platform
) -> None:
    rate(invitation, 1)
    with override_settings(ONEWINDOW_RATING_PUSH_URL=platform.url):
        assert push_pending().sent == 1
    record = platform.received[0]
    assert record["case_number"] == invitation.case.number
    assert record["item_code"] == "GA-TEST"
    assert record["applicant_name"] == "张三"
    assert record["id_number"] == "441426199001011238"
    assert record["phone"] == "13912345678"
    assert record["level"] == 1
    assert record["reasons"] == ["态度差"]
    assert record["channel"] == "qr"
    assert record["staff_id"] == "officer"
    assert record["rating_time"] >= record["service_time"]  # type: ignore[operator]
    assert platform.keys == [record["dedupe_key"]]


@pytest.mark.django_db
def test_failures_and_timeouts_are_retried_with_backoff_and_logged(
    invitation: RatingInvitation, platform: Platform
) -> None:
    rate(invitation)
    platform.answers = ["fail", "slow", "ok"]
    with override_settings(ONEWINDOW_RATING_PUSH_URL=platform.url, RATING_PUSH_TIMEOUT_SECONDS=0.5):
        now = timezone.now()
        assert push_pending(now=now).failed == 1
        assert push_pending(now=now).sent == 0  # backing off: nothing due yet
        assert push_pending(now=now + timedelta(minutes=1)).failed == 1  # timed out
        assert push_pending(now=now + timedelta(minutes=3)).sent == 1
    record = PushRecord.objects.get()
    assert record.sent_at is not None
    assert record.attempts == 3
    assert [e.attempt for e in PushError.objects.order_by("attempt")] == [1, 2]
    assert "503" in PushError.objects.get(attempt=1).error
    assert "timed out" in PushError.objects.get(attempt=2).error
    assert len(platform.received) == 1
    with override_settings(ONEWINDOW_RATING_PUSH_URL=platform.url):
        assert push_pending(now=now + timedelta(hours=1)).sent == 0  # never again


@pytest.mark.django_db
def test_without_an_endpoint_nothing_is_lost(invitation: RatingInvitation) -> None:
    rate(invitation)
    with override_settings(ONEWINDOW_RATING_PUSH_URL=""):
        assert not push_pending().configured
    assert PushRecord.objects.filter(sent_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_record_exactly_once(
    decided_case: object, platform: Platform
) -> None:
    from workflows.cases.models import Case

    case = Case.objects.get()
    rate(RatingInvitation.objects.get(), 5)
    rate(services.rating_invite(case=case, moment="acceptance", now=T0), 4)
    platform.answers = ["fail"]
    with override_settings(ONEWINDOW_RATING_PUSH_URL=platform.url):
        moment = timezone.now()
        run_together(4, lambda i: push_pending(now=moment))
        run_together(4, lambda i: push_pending(now=moment + timedelta(minutes=5)))
    assert PushRecord.objects.filter(sent_at__isnull=True).count() == 0
    assert sorted(platform.keys) == sorted(PushRecord.objects.values_list("dedupe_key", flat=True))


@pytest.mark.django_db
def test_after_a_key_rotation_pushes_name_and_use_the_new_key(
    invitation: RatingInvitation, platform: Platform, settings: SettingsWrapper
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(old))
    rate(invitation)
    with override_settings(ONEWINDOW_RATING_PUSH_URL=platform.url):
        assert push_pending().sent == 1
        configure(
            settings,
            {"private": seed(new), "valid_from": (timezone.now() - timedelta(hours=1)).isoformat()},
            {"public": public(old), "valid_from": "2026-01-01"},
        )
        rate(services.rating_invite(case=invitation.case, moment="acceptance", now=T0), 4)
        assert push_pending().sent == 1
    # The platform checked each signature with the key the header named (see Platform).
    assert platform.key_ids == [kid(old), kid(new)]
