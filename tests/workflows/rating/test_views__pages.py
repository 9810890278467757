"""Over HTTP: the QR, code and SMS pages, the counter pad, rectification steps, the desk."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from documents.models import Document, DocumentKind
from tests.workflows.rating.conftest import T0
from workflows.rating.models import Channel, Rating, RatingInvitation, Rectification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_t0() -> object:
    with time_machine.travel(T0, tick=False):
        yield


def completion(invitation: RatingInvitation) -> Document:
    return Document.objects.get(case=invitation.case, kind=DocumentKind.COMPLETION)


def test_the_completion_notice_prints_the_code(invitation: RatingInvitation) -> None:
    content = completion(invitation).content
    assert content["rating"]["code"] == invitation.code
    assert content["rating"]["url"].endswith("/rate/")


def test_the_verify_page_leads_to_the_rating_page(
    client: Client, invitation: RatingInvitation
) -> None:
    token = completion(invitation).token
    page = client.get(f"/verify/{token}").content.decode()
    assert f"/rate/t/{token}" in page
    assert "评价本次服务" in page


def test_a_citizen_rates_from_the_qr_code(client: Client, invitation: RatingInvitation) -> None:
    url = f"/rate/t/{completion(invitation).token}"
    page = client.get(url)
    assert page.status_code == 200
    assert "户口迁移" in page.content.decode()
    assert "张三" not in page.content.decode()
    response = client.post(url, {"level": "5", "digits": "5678", "comment": "很好"})
    assert response.status_code == 200
    assert "感谢您的评价" in response.content.decode()
    rating = Rating.objects.get()
    assert rating.channel == Channel.QR
    assert rating.comment == "很好"


def test_a_changed_token_or_wrong_digits_are_refused(
    client: Client, invitation: RatingInvitation
) -> None:
    token = completion(invitation).token
    changed = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"/rate/t/{changed}").status_code == 404
    wrong = client.post(f"/rate/t/{token}", {"level": "5", "digits": "0000"})
    assert wrong.status_code == 403
    assert "后 4 位不正确" in wrong.content.decode()
    assert not Rating.objects.exists()


def test_a_bad_rating_without_a_reason_is_explained(
    client: Client, invitation: RatingInvitation
) -> None:
    response = client.post(f"/rate/c/{invitation.code}", {"level": "2", "digits": "5678"})
    assert response.status_code == 400
    assert "请至少选择一项差评原因" in response.content.decode()


def test_the_printed_code_and_the_sms_link(client: Client, invitation: RatingInvitation) -> None:
    response = client.post("/rate/", {"code": invitation.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/rate/c/{invitation.code}"
    assert client.post("/rate/", {"code": "NOPE1234"}).status_code == 404
    response = client.post(
        f"/rate/s/{invitation.code}",
        {"level": "1", "reasons": ["attitude", "long_wait"], "digits": "1238"},
    )
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert rating.channel == Channel.SMS
    assert rating.reasons == ["attitude", "long_wait"]
    assert Rectification.objects.filter(rating=rating).exists()


def test_the_counter_pad(
    client: Client, invitation: RatingInvitation, clerk: User, town_clerk: User
) -> None:
    client.force_login(town_clerk)
    assert client.get(f"/rating/invitations/{invitation.pk}/counter/").status_code == 403
    client.force_login(clerk)
    panel = client.get(f"/rating/cases/{invitation.case.number}/").content.decode()
    assert f"/rating/invitations/{invitation.pk}/counter/" in panel
    pad = client.get(f"/rating/invitations/{invitation.pk}/counter/")
    assert pad.status_code == 200
    assert "id_digits" not in pad.content.decode()  # the clerk started it: no digits asked
    response = client.post(f"/rating/invitations/{invitation.pk}/counter/", {"level": "4"})
    assert response.status_code == 200
    rating = Rating.objects.get()
    assert rating.channel == Channel.WINDOW
    assert rating.device_id.startswith("pad-")


def test_rectification_steps_over_http(
    client: Client, invitation: RatingInvitation, head: User, other_officer: User, supervisor: User
) -> None:
    client.post(
        f"/rate/c/{invitation.code}", {"level": "1", "reasons": ["attitude"], "digits": "5678"}
    )
    r = Rectification.objects.get()
    url = f"/rating/rectifications/{r.pk}/"
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(head)
    assert r.case.number in client.get("/rating/rectifications/").content.decode()
    assert client.post(url, {"action": "call_back", "call_back-note": ""}).status_code == 400
    response = client.post(url, {"action": "call_back", "call_back-note": "已回访"})
    assert response.status_code == 302
    response = client.post(url, {"action": "feed_back", "feed_back-text": "x"})
    assert response.status_code == 409  # not yet: verify and rectify first
    response = client.post(
        url,
        {
            "action": "resolve",
            "resolve-finding": "属实",
            "resolve-resolution": "explained",
            "resolve-text": "依法须本人到场",
        },
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.state == Rectification.State.FEEDBACK
    client.post(url, {"action": "appeal", "appeal-grounds": "误评", "appeal-evidence": "记录"})
    client.force_login(supervisor)
    response = client.post(
        url,
        {"action": "decide_appeal", "decide_appeal-upheld": "1", "decide_appeal-reason": "属实"},
    )
    assert response.status_code == 302
    assert Rating.objects.get().excluded


def test_the_desk_is_for_supervisors_and_heads(
    client: Client, invitation: RatingInvitation, clerk: User, supervisor: User
) -> None:
    client.post(f"/rate/c/{invitation.code}", {"level": "5", "digits": "5678"})
    client.force_login(clerk)
    assert client.get("/rating/statistics/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/rating/statistics/?by=department").content.decode()
    assert "100.0%" in page
    csv = b"".join(client.get("/rating/statistics/?by=item&export=csv").streaming_content)
    assert "户口迁移,1,1,0,0,0,100.0%,0.0%" in csv.decode("utf-8-sig")
    xlsx = client.get("/rating/statistics/?by=clerk&export=xlsx")
    assert xlsx["X-Export-Rows"] == "2"
