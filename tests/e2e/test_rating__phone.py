"""A citizen rates a finished case on a phone: from the notice's QR code, in Chinese and English."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, SCREENSHOTS, OpenPage
from workflows.cases import services
from workflows.cases.models import Case
from workflows.catalog.models import Center, ServiceItem
from workflows.rating.models import Channel, Rating, Rectification

pytestmark = pytest.mark.e2e


def finished_case() -> Case:
    """户口迁移 received by the demo clerk, handled and approved by the 公安 head."""
    clerk = User.objects.get(username="clerk")
    head = User.objects.get(username="ga_head")
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
    case = services.case_start(case=case, actor=head)
    return services.case_decide(case=case, actor=head, decision="approved")


def verify_path(case: Case) -> str:
    document = case.documents.get(kind="completion")  # type: ignore[attr-defined]
    return f"/verify/{document.token}"


def test_a_citizen_gives_a_bad_rating_from_the_qr_code_on_a_phone(
    site: str, open_page: OpenPage
) -> None:
    case = finished_case()
    page = open_page(None, viewport=PHONE)
    page.goto(verify_path(case))
    page.get_by_role("link", name="评价本次服务").click()
    expect(page.get_by_role("heading", name="服务评价（好差评）")).to_be_visible()
    expect(page.locator(".what")).to_contain_text("户口迁移")
    page.get_by_label("非常不满意").check()
    page.get_by_label("多次跑").check()
    page.get_by_label("态度差").check()
    page.get_by_label("意见和建议（选填）").fill("材料说了三次才讲清楚")
    page.get_by_label("申请人手机号码或证件号码后 4 位").fill("0000")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert")).to_contain_text("后 4 位不正确")
    # Nothing is lost but the digits: the choices are still there.
    expect(page.get_by_label("非常不满意")).to_be_checked()
    page.get_by_label("申请人手机号码或证件号码后 4 位").fill("5678")
    # Fits the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "rating-phone-zh.png"), full_page=True)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("非常不满意")
    rating = Rating.objects.get(case=case)
    assert rating.channel == Channel.QR
    assert sorted(rating.reasons) == ["attitude", "many_trips"]
    assert Rectification.objects.filter(rating=rating).exists()


def test_a_citizen_rates_in_english_with_the_printed_code(site: str, open_page: OpenPage) -> None:
    case = finished_case()
    code = case.rating_invitations.get(moment="completion").code  # type: ignore[attr-defined]
    page = open_page(None, viewport=PHONE, locale="en-US")
    page.goto("/rate/")
    page.get_by_label("Rating code").fill(code.lower())
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Very satisfied").check()
    page.get_by_label("Last 4 digits of the applicant").fill("1238")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "rating-phone-en.png"), full_page=True)
    page.get_by_role("button", name="Submit rating").click()
    expect(page.get_by_role("heading", name="Thank you for your rating")).to_be_visible()
    assert Rating.objects.get(case=case).channel == Channel.CODE
