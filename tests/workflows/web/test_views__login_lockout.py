"""等保 login-failure handling: five wrong passwords lock the account for a while."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account(client: Client, clerk) -> None:
    for _ in range(4):
        response = client.post(LOGIN, {"username": "clerk", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()

    locked = client.post(LOGIN, {"username": "clerk", "password": "wrong"})
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "15 分钟后再试" in locked.content.decode()

    # Even the right password is refused while the lock lasts.
    right = client.post(LOGIN, {"username": "clerk", "password": "pw"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_resets_the_count(client: Client, clerk) -> None:
    for _ in range(4):
        client.post(LOGIN, {"username": "clerk", "password": "wrong"})
    assert client.post(LOGIN, {"username": "clerk", "password": "pw"}).status_code == 302
    client.logout()
    for _ in range(4):
        response = client.post(LOGIN, {"username": "clerk", "password": "wrong"})
        assert response.status_code == 200


@override_settings(AXES_ENABLED=True)
def test_the_login_page_warns_before_the_last_attempt(client: Client, clerk) -> None:
    pages = [
        client.post(LOGIN, {"username": "clerk", "password": "wrong"}).content.decode()
        for _ in range(4)
    ]

    assert all("将被锁定" not in page for page in pages[:3])
    assert "再输错一次，该账号将被锁定 15 分钟" in pages[3]
