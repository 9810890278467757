"""A citizen scans a receipt whose signing key has since been revoked, on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.documents.keys import configure, kid, public, seed
from tests.e2e.conftest import PHONE, SCREENSHOTS, OpenPage
from workflows.cases import services
from workflows.catalog.models import Center, ServiceItem

pytestmark = pytest.mark.e2e


def acceptance_token() -> str:
    """户口迁移 received and accepted by the demo clerk: the acceptance notice's token."""
    clerk = User.objects.get(username="clerk")
    item = ServiceItem.objects.get(code="GA-HKQY")
    case = services.case_receive(
        center=Center.objects.get(code="PY"),
        item=item,
        actor=clerk,
        applicant=services.Party(
            name="张三", id_number="441426199001011238", phone="13912345678", address="平远县"
        ),
        materials=[
            services.MaterialLine(material_id=m.pk, copies=m.copies, pages=1)
            for m in item.materials.all()
        ],
    )
    case = services.case_accept(case=case, actor=clerk)
    return str(case.documents.get(kind="acceptance").token)  # type: ignore[attr-defined]


def test_a_receipt_signed_by_a_revoked_key_is_flagged_on_a_phone(
    site: str, open_page: OpenPage, settings: SettingsWrapper
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    configure(settings, legacy=seed(old))
    token = acceptance_token()
    configure(
        settings,
        {"private": seed(new), "valid_from": (timezone.now() - timedelta(days=1)).isoformat()},
        {
            "public": public(old),
            "valid_from": "2026-01-01",
            "revoked_at": "2026-11-20",
            "reason": "旧服务器硬盘遗失，私钥可能泄露",
        },
    )

    page = open_page(None, viewport=PHONE)
    page.goto(f"/verify/{token}")

    notice = page.locator("#key-revoked")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("签名密钥已吊销：不能作为真实文书采信")
    expect(notice).to_contain_text(f"签名密钥 {kid(old)} 签发，该密钥已于2026年11月20日吊销")
    expect(notice).to_contain_text("吊销原因：旧服务器硬盘遗失，私钥可能泄露")
    expect(page.get_by_text("真实文书：本文书由一窗通系统出具")).to_have_count(0)
    # Fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verify-revoked-key-phone.png"), full_page=True)
    page.get_by_role("link", name="全部签名密钥（含已停用、已吊销）").click()
    assert kid(old) in page.content()
