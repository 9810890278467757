"""Every URL pattern, opened by each role: CSP, Permissions-Policy, no-store on personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import CaseFactory
from tests.factories import staff
from workflows.catalog import roles

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SKIP_PREFIXES = ("__debug__",)


def patterns(resolvers: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    """Every route of the project as a path template ("window/cases/<str:number>/")."""
    for entry in resolvers:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + route)
        elif not route.startswith("^") and not (prefix + route).startswith(SKIP_PREFIXES):
            yield prefix + route


def concrete(template: str, values: dict[str, str]) -> str:
    """The route with each converter filled by a real object's value (or a harmless one)."""

    def fill(match: re.Match[str]) -> str:
        kind, name = match.group("kind") or "str", match.group("name")
        if name in values:
            return values[name]
        return "1" if kind == "int" else "x"

    return "/" + CONVERTER.sub(fill, template)


def routes() -> list[str]:
    return sorted(set(patterns(get_resolver().url_patterns)))


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser("root", password="x")


@pytest.fixture
def town_supervisor(town: object) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=4)


ROLES = ["anonymous", "clerk", "officer", "head", "supervisor", "town_supervisor", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_a_role_opens_carries_the_policy_headers(
    role: str, request: pytest.FixtureRequest, case_factory: CaseFactory
) -> None:
    case = case_factory(status="accepted")
    document = case.documents.first()
    values = {
        "number": case.number,
        "code": case.item.code,
        "item": case.item.code,
        "pk": str(document.pk if document else 1),
    }
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    checked = []

    for template in routes():
        url = concrete(template, values)
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
