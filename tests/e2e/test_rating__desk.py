"""Staff put a 差评 right in the browser, and the supervisor sees it counted on the desk."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, OpenPage
from tests.e2e.test_rating__phone import finished_case
from workflows.rating.models import Channel, Rectification

pytestmark = pytest.mark.e2e


def test_the_clerk_pad_then_head_calls_back_rectifies_and_feeds_back(
    site: str, open_page: OpenPage
) -> None:
    case = finished_case()
    # The clerk starts the counter pad for the applicant in front of them.
    pad = open_page("clerk", viewport={"width": 800, "height": 1280})
    pad.goto(f"/window/cases/{case.number}/")
    pad.get_by_role("link", name="服务评价（好差评）").click()
    pad.get_by_role("link", name="打开评价器").click()
    pad.locator("input[name=level][value='2']").check()  # 不满意
    pad.get_by_label("等候时间长").check()
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    r = Rectification.objects.get(case=case)
    assert r.rating.channel == Channel.WINDOW

    head = open_page("ga_head")
    menu = head.locator("nav.mainnav a[href='/rating/rectifications/']")
    expect(menu).to_contain_text("1")  # the badge: one open rectification for the head
    menu.click()
    head.get_by_role("link", name=case.number).click()
    head.get_by_label("回访记录").fill("已电话回访，申请人反映排队一小时")
    head.get_by_role("button", name="记录回访").click()
    expect(head.locator(".messages")).to_contain_text("已记录")
    head.get_by_label("核实情况").fill("当日窗口只开一个")
    head.get_by_label("立行立改").check()
    head.get_by_label("整改措施或说明").fill("高峰时段增开窗口")
    head.get_by_role("button", name="核实并整改或说明").click()
    head.get_by_label("反馈内容").fill("已告知申请人整改措施")
    head.get_by_role("button", name="反馈申请人").click()
    expect(head.locator("main")).to_contain_text("已办结")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    head.screenshot(path=str(SCREENSHOTS / "rating-rectification.png"), full_page=True)
    r.refresh_from_db()
    assert r.state == Rectification.State.CLOSED

    supervisor = open_page("supervisor")
    supervisor.get_by_role("navigation", name="主菜单").get_by_role(
        "link", name="好差评统计"
    ).click()
    expect(supervisor.locator("tfoot")).to_contain_text("100.0%")
    expect(supervisor.locator(".rank")).to_contain_text("等候时间长")
    supervisor.screenshot(path=str(SCREENSHOTS / "rating-statistics.png"), full_page=True)
