"""Filters for printed documents: Chinese dates from the content record's ISO strings."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


def _parse(value: object) -> date | datetime | None:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def cn_date(value: object) -> str:
    """2026-03-02 or 2026-03-02T09:30+08:00 → 2026年3月2日."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


@register.filter
def provisional_mark(dates: object, which: str) -> str:
    """（暂定） after the ``which`` ("promised" or "statutory") due date when it is 暂定.

    Content records written before the per-date flags fall back to the case-wide one.
    """
    if not isinstance(dates, dict):
        return ""
    flag = dates.get(f"{which}_provisional", dates.get("provisional"))
    return "（暂定）" if flag else ""


@register.filter
def cn_datetime(value: object) -> str:
    """2026-03-02T09:30+08:00 → 2026年3月2日 09:30 (a date prints as a date)."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime):
        return cn_date(parsed)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日 {parsed:%H:%M}"
