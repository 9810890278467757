"""What every admin page of service-written rows shares: it shows them, it never writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyMixin:
    """Rows that only the services write (cases, trails, logs): the admin only looks.

    Mixed into a ``ModelAdmin`` or an inline (whose ``has_add_permission`` also
    receives the parent object, hence ``obj``).
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
