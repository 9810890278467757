"""System check: no security log is kept for less than six months (网络安全法 第二十一条)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from workflows.privacy.retention import LOGS, MIN_DAYS, retention_days

RETENTION_TOO_SHORT = "privacy.E001"


@register()
def retention_periods(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Refuse a retention setting shorter than 180 days."""
    errors = []
    for setting in sorted({log.setting for log in LOGS}):
        days = retention_days(setting)
        if days < MIN_DAYS:
            errors.append(
                Error(
                    f"{setting} is {days} days: the Cybersecurity Law (art. 21) requires "
                    f"network logs to be kept at least six months ({MIN_DAYS} days).",
                    hint=f"Set {setting} to {MIN_DAYS} or more.",
                    id=RETENTION_TOO_SHORT,
                )
            )
    return errors
