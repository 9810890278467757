"""One set of zh-Hans error pages: 400/403/404/500 and CSRF failures, with DEBUG on or off."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, html[:300]
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("debug", [True, False])
def test_a_case_trail_that_does_not_exist_is_the_sites_404_page(
    client: Client, supervisor: User, debug: bool
) -> None:
    client.force_login(supervisor)
    with override_settings(DEBUG=debug):
        response = client.get("/supervision/cases/PY-2026-999999/trail/")

    html = response.content.decode()
    assert response.status_code == 404
    assert title(html) == "未找到 · 一窗通"
    assert "PY-2026-999999" in html  # the view's own message
    assert "Page not found" not in html


@pytest.mark.parametrize("debug", [True, False])
def test_a_form_without_its_csrf_token_is_refused_on_the_sites_403_page(debug: bool) -> None:
    client = Client(enforce_csrf_checks=True)
    with override_settings(DEBUG=debug):
        response = client.post("/status/", {"number": "PY-2026-000001", "digits": "1234"})

    html = response.content.decode()
    assert response.status_code == 403
    assert title(html) == "没有权限 · 一窗通"
    assert "刷新后重新提交" in html
    assert "CSRF verification failed" not in html


def test_every_403_page_of_the_workbench_has_one_title(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    pages = [
        render_to_string("403.html"),
        render_to_string("window/forbidden.html", {"message": "x"}),
        render_to_string("supervision/forbidden.html", {"message": "x"}),
        client.get("/supervision/").content.decode(),  # a clerk at the supervisor's desk
    ]

    assert {title(page) for page in pages} == {"没有权限 · 一窗通"}


def test_the_400_404_and_500_pages_are_in_chinese_without_inline_styles() -> None:
    titles = {name: title(render_to_string(f"{name}.html")) for name in ("400", "404", "500")}

    assert titles == {
        "400": "请求有误 · 一窗通",
        "404": "未找到 · 一窗通",
        "500": "系统暂时出错 · 一窗通",
    }
    assert "style=" not in render_to_string("500.html")
