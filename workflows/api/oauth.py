"""Each system gets only the scopes its ApiClient row grants (default: all of them)."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


def _granted(client: Any) -> set[str]:
    api_client = getattr(client, "api_client", None)
    if api_client is None or not api_client.is_active:
        return set()
    return set(api_client.scopes.split())


class ScopedValidator(OAuth2Validator):
    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return bool(scopes) and set(scopes) <= _granted(client)

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return sorted(_granted(request.client))
