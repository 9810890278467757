"""Unusable input is a 400 with a message, never a 500 (issue #13, bad input)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import applicant
from tests.workflows.combined.bundles import intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for
from tests.workflows.window.conftest import intake_data, login
from workflows.cases import services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case
from workflows.catalog.models import Center, ServiceItem
from workflows.combined.models import Bundle

pytestmark = pytest.mark.django_db
NUL_MESSAGE = "不可见的控制字符（NUL）"


@pytest.mark.parametrize(
    "url",
    ["/window/cases/%00/", "/window/?q=%00", "/window/?q=a%00b", "/notifications/?page=%00"],
)
def test_a_nul_in_the_address_is_a_400_with_a_message(clerk: User, url: str) -> None:
    response = login(clerk).get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_form_field_is_a_400_and_saves_nothing(clerk: User, item: ServiceItem) -> None:
    data = intake_data(item, **{"p-address": "黄沙村\x001 号"})
    response = login(clerk).post(reverse("window:intake", args=[item.code]), data)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Case.objects.exists()


def test_the_400_page_never_shows_an_exception_message(clerk: User) -> None:
    # Django refuses this Host with a SuspiciousOperation whose text names the header.
    response = login(clerk).get("/window/", HTTP_HOST="evil.invalid")
    assert response.status_code == 400
    html = response.content.decode()
    assert "evil.invalid" not in html
    assert "ALLOWED_HOSTS" not in html
    assert "请求有误" in html


def test_a_superscript_digit_as_notification_id_is_ignored_not_a_500(clerk: User) -> None:
    response = login(clerk).post(reverse("notifications:mark_read"), {"id": "²"})
    assert response.status_code == 302


def test_an_overlong_bundle_token_is_a_400_not_a_500() -> None:
    load_reference()
    users = people()
    bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    data = intake_post(bundle)
    data["bundle-token"] = "t" * 300
    response = client_for(users["clerk"]).post(reverse("combined:intake", args=["BUNDLE-SH"]), data)
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_an_idempotency_key_is_the_clerks_own(
    county: Center, town: Center, item: ServiceItem, clerk: User, town_clerk: User
) -> None:
    mine = services.case_receive(
        center=county, item=item, actor=clerk, applicant=applicant(), idempotency_key="k-1"
    )
    theirs = services.case_receive(
        center=town, item=item, actor=town_clerk, applicant=applicant(), idempotency_key="k-1"
    )
    assert mine.pk != theirs.pk
    assert theirs.center == town
    again = services.case_receive(
        center=county, item=item, actor=clerk, applicant=applicant(), idempotency_key="k-1"
    )
    assert again.pk == mine.pk


def test_a_key_reused_for_another_applicant_is_refused(
    county: Center, item: ServiceItem, clerk: User
) -> None:
    first = services.case_receive(
        center=county, item=item, actor=clerk, applicant=applicant(), idempotency_key="k-2"
    )
    other = applicant(name="李四")
    with pytest.raises(InvalidRequest, match=first.number):
        services.case_receive(
            center=county, item=item, actor=clerk, applicant=other, idempotency_key="k-2"
        )
    assert Case.objects.count() == 1
