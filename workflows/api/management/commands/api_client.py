"""Register a system that may call the API: ``manage.py api_client "社保系统" --center PY``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.api.clients import api_client_create
from workflows.api.schema import SCOPES
from workflows.catalog.models import Center


class Command(BaseCommand):
    help = "Register a system: prints its OAuth2 client id and secret (the secret only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--center", required=True, help="center code, e.g. PY")
        parser.add_argument("--scopes", default=" ".join(SCOPES), help="space-separated scopes")

    def handle(self, *args: Any, **options: Any) -> None:
        center = Center.objects.filter(code=options["center"]).first()
        if center is None:
            raise CommandError(f"no center with code {options['center']!r}")
        scopes = options["scopes"].split()
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise CommandError(f"unknown scopes {unknown}; known: {sorted(SCOPES)}")
        client, secret = api_client_create(name=options["name"], center=center, scopes=scopes)
        self.stdout.write(f"client_id={client.application.client_id}")
        self.stdout.write(f"client_secret={secret}")
