"""A staff member logs in through the real login form and sees the menu of their role."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage

pytestmark = pytest.mark.e2e


def test_clerk_logs_in_and_sees_the_window_menu(open_page: OpenPage) -> None:
    page = open_page("clerk")
    expect(page.locator("nav")).to_contain_text("综合窗口")


def test_wrong_password_is_refused_with_a_message(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".notice-error")).to_contain_text("用户名或密码不正确")
