"""Every URL pattern, opened by each role: CSP, Permissions-Policy, no-store on personal data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.hardening.conftest import EveryUrl

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "clerk", "officer", "head", "supervisor", "town_supervisor", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_a_role_opens_carries_the_policy_headers(role: str, every_url: EveryUrl) -> None:
    client, urls = every_url(role)
    checked = []

    for url in urls:
        response = client.get(url)
        policy = response.get("Content-Security-Policy", "")
        checked.append(url)

        assert response.status_code < 500, (url, response.status_code)
        assert "default-src 'self'" in policy, url
        assert "'unsafe-inline'" not in policy.split("style-src", 1)[0], url  # never for scripts
        assert "'unsafe-eval'" not in policy, url
        assert "camera=()" in response.get("Permissions-Policy", ""), url
        if role != "anonymous" or url.startswith(("/status/", "/verify/", "/api/")):
            assert "no-store" in response.get("Cache-Control", ""), url

    assert len(checked) > 80  # the walk reached the whole site, not one app


def test_the_staff_pages_forbid_inline_script_and_style(client: Client, clerk: User) -> None:
    client.force_login(clerk)

    policy = client.get("/window/")["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_the_citizens_status_result_and_a_staff_pdf_are_not_stored(
    client: Client, case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(status="accepted")
    document = case.documents.get(kind="acceptance")

    status = client.get("/status/", {"number": case.number, "digits": "1238"})
    client.force_login(clerk)
    pdf = client.get(f"/documents/{document.pk}/pdf")

    assert "no-store" in status["Cache-Control"]
    assert pdf.status_code == 200
    assert "no-store" in pdf["Cache-Control"]
    assert "microphone=()" in pdf["Permissions-Policy"]
