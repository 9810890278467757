"""Systems, not people: OAuth2 client-credentials tokens, scopes, per-system rate limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from workflows.api.models import ApiClient


class SystemAuthentication(OAuth2Authentication):
    """A bearer token of an active ApiClient; the request acts as its service account."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        # Tokens only in the Authorization header: never read from the body or the query.
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return None
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = (
            ApiClient.objects.select_related("user", "center")
            .filter(application_id=token.application_id, is_active=True)
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed()
        request._request.api_client = client
        return client.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def client_of(request: Request) -> ApiClient:
    client = getattr(request._request, "api_client", None)
    if client is None:
        raise exceptions.NotAuthenticated()
    return client


class HasScope(BasePermission):
    """The token carries every scope the view's ``required_scopes`` names."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.auth is None or getattr(request._request, "api_client", None) is None:
            raise exceptions.NotAuthenticated()
        needed = set(getattr(view, "required_scopes", []))
        granted = set((request.auth.scope or "").split())
        if not needed <= granted:
            raise exceptions.PermissionDenied(_missing_scope(sorted(needed - granted)))
        return True


def _missing_scope(scopes: list[str]) -> str:
    from django.utils.translation import gettext as _

    return _("访问令牌缺少权限范围：%(scopes)s。") % {"scopes": " ".join(scopes)}


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per system (or per address before authentication), from ONEWINDOW_API_RATE."""

    scope = "api"

    def get_rate(self) -> str:
        return str(getattr(settings, "ONEWINDOW_API_RATE", "600/min"))

    def get_cache_key(self, request: Request, view: Any) -> str:
        client = getattr(request._request, "api_client", None)
        ident = f"client-{client.pk}" if client is not None else self.get_ident(request)
        return f"throttle_api_{ident}"
