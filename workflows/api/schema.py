"""The OpenAPI document: the OAuth2 client-credentials scheme and the problem responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from workflows.api.models import (
    SCOPE_APPLY,
    SCOPE_BOOK,
    SCOPE_BOOKINGS,
    SCOPE_CASES,
    SCOPE_CATALOG,
    SCOPE_RATINGS,
    SCOPE_WEBHOOKS,
)

TOKEN_URL = "/api/v1/oauth/token/"  # noqa: S105  (an address, not a secret)
SCOPES = {
    SCOPE_CATALOG: "读取服务事项目录 / read the catalogue",
    SCOPE_APPLY: "提交网上申请、撤回 / submit and withdraw online applications",
    SCOPE_CASES: "查询本中心及下级中心的办件、文书 / read cases and documents in scope",
    SCOPE_WEBHOOKS: "订阅办件事件 / subscribe to case events",
    SCOPE_RATINGS: "查询本中心及下级中心的好差评与整改 / read ratings and rectifications in scope",
    SCOPE_BOOKINGS: "查询预约与空闲时段 / read bookings and free slots in scope",
    SCOPE_BOOK: "代群众预约 / book a slot for a citizen",
}
PROBLEM_STATUSES = {
    "400": "Bad request",
    "401": "Not authenticated",
    "403": "Forbidden (scope or role)",
    "404": "Not found or outside the system's scope",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict with the case's state",
    "412": "Precondition failed (If-Match)",
    "413": "Payload too large",
    "415": "Unsupported media type",
    "422": "Idempotency key reused for another request",
    "428": "Precondition required (If-Match)",
    "429": "Rate limited",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}


class SystemAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "workflows.api.auth.SystemAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": SCOPES}},
        }

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        return {self.name: list(getattr(auto_schema.view, "required_scopes", []))}


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every operation documents its problem responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, text in PROBLEM_STATUSES.items():
                responses.setdefault(
                    code,
                    {"description": text, "content": {"application/problem+json": {"schema": ref}}},
                )
    return result
