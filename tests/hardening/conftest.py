"""Fixtures of the hardening tests: every URL of the site, opened as each role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import CaseFactory
from tests.factories import staff
from workflows.catalog import roles

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SKIP_PREFIXES = ("__debug__",)

# (a client signed in as the role, or anonymous; every URL filled with a real case's values)
EveryUrl = Callable[[str], tuple[Client, list[str]]]


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


@pytest.fixture
def every_url(request: pytest.FixtureRequest, case_factory: CaseFactory) -> EveryUrl:
    """A client for a role (a fixture name, or "anonymous") and every URL of the site,
    each converter filled from one accepted case, its item and its first document."""

    def opened_by(role: str) -> tuple[Client, list[str]]:
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
        return client, [concrete(template, values) for template in routes()]

    return opened_by
