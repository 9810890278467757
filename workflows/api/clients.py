"""Register a system: its OAuth2 application, service account and scopes."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.text import slugify
from oauth2_provider.models import Application

from workflows.api.models import ApiClient
from workflows.catalog.models import Center, StaffProfile
from workflows.catalog.roles import CLERK


@transaction.atomic
def api_client_create(*, name: str, center: Center, scopes: list[str]) -> tuple[ApiClient, str]:
    """Create the system and return it with its client secret (shown once, stored hashed)."""
    secret = secrets.token_urlsafe(40)
    slug = slugify(name, allow_unicode=False) or secrets.token_hex(4)
    user = User.objects.create(username=f"api-{slug}-{secrets.token_hex(3)}", first_name=name[:150])
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=CLERK)[0])
    StaffProfile.objects.create(user=user, center=center, title="对接系统")
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        user=user,
    )
    client = ApiClient.objects.create(
        name=name, application=application, user=user, center=center, scopes=" ".join(scopes)
    )
    return client, secret
