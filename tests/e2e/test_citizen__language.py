"""A citizen who is not logged in switches the public pages to English and back, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, OpenPage, switch_language

pytestmark = pytest.mark.e2e


def test_a_logged_out_citizen_switches_the_status_page_to_english_and_back(
    open_page: OpenPage,
) -> None:
    citizen = open_page(None, viewport=PHONE)
    citizen.goto("/status/?number=PY-2026-000001")
    expect(citizen.locator("h1")).to_have_text("办件进度查询")

    switch_language(citizen, "English")

    assert "/status/" in citizen.url  # back on the same page, not at the login
    expect(citizen.locator("h1")).to_have_text("Case progress lookup")
    expect(citizen.locator("input[name=number]")).to_have_value("PY-2026-000001")
    expect(citizen.locator(".brand")).to_have_text("OneWindow")

    switch_language(citizen, "简体中文")
    expect(citizen.locator("h1")).to_have_text("办件进度查询")
