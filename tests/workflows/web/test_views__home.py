"""The workbench greets staff in zh-Hans, asks strangers to log in, and turns busy into 409."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from workflows.cases.errors import CaseBusy
from workflows.web.middleware import ConflictMiddleware

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_in_chinese(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_clerk_logs_in_and_sees_the_workbench(client: Client, clerk) -> None:
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pw"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "您好" in page
    assert "平远县党群服务中心" in page


def test_a_busy_case_becomes_a_clear_409(clerk) -> None:
    request = RequestFactory().post("/window/")
    request.user = clerk
    with translation.override("zh-hans"):
        response = ConflictMiddleware(lambda r: None).process_exception(request, CaseBusy("busy"))
    assert response is not None
    assert response.status_code == 409
    assert "该办件正由其他人员处理，请稍后重试" in response.content.decode()


@pytest.mark.usefixtures("compiled_messages")
def test_the_admin_names_the_product_and_the_lockout_section_in_chinese(client: Client) -> None:
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)

    html = client.get("/admin/").content.decode()

    assert "一窗通 管理" in html
    assert "Django" not in html
    assert "登录失败锁定" in html
    assert "登录尝试" in html
    assert "Access attempts" not in html
