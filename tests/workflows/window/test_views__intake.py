"""The intake: accept, one-time correction notice, not accept; errors; double submit."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from documents.models import Document
from forms import applicant as applicant_forms
from forms.validators import (
    RESIDENT_ID_CHECK_DIGIT,
    resident_id_check_digit,
    uscc_check_character,
)
from tests.conftest import APPLICANT_ID
from tests.factories import staff
from tests.workflows.window.conftest import (
    MASKED_APPLICANT_ID,
    RoutingSpy,
    intake_data,
    login,
    page_key,
)
from workflows.cases import errors
from workflows.cases.models import Case, CaseEvent, CaseSequence, Status
from workflows.catalog import roles
from workflows.catalog.models import Center, ServiceItem
from workflows.catalog.roles import display_name
from workflows.window import forms as window_forms
from workflows.window.views import REPLAYED

pytestmark = pytest.mark.django_db


def intake_url(item: ServiceItem) -> str:
    return reverse("window:intake", kwargs={"code": item.code})


def only_case() -> Case:
    (case,) = Case.objects.all()
    return case


def test_accept__walk_from_item_search_to_the_acceptance_page(
    clerk_client: Client, clerk: User, item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    chooser = clerk_client.get(reverse("window:choose_item"), {"q": "户口"})
    assert chooser.status_code == 302  # one match: straight to its intake
    assert chooser["Location"] == intake_url(item)
    form_page = clerk_client.get(intake_url(item))
    assert form_page.status_code == 200
    html = form_page.content.decode()
    for material in item.materials.all():
        assert material.name in html

    response = clerk_client.post(intake_url(item), intake_data(item, key=page_key(html)))

    case = only_case()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("window:outcome", kwargs={"number": case.number}) + "?doc=acceptance"
    )
    assert case.status == Status.ACCEPTED
    assert case.first_responder == clerk
    assert case.received_by == clerk
    assert case.applicant_name == "张三"
    assert [m.state for m in case.materials.order_by("position")] == ["received"] * 3
    assert list(case.events.values_list("action", flat=True)) == ["receive", "accept"]
    assert routing_spy.numbers() == [case.number]

    page = clerk_client.get(response["Location"]).content.decode()
    assert "受理通知书" in page
    assert case.number in page
    assert item.name in page
    assert MASKED_APPLICANT_ID in page
    assert APPLICANT_ID not in page
    assert case.promised_due_at is not None
    assert case.promised_due_at.astimezone().strftime("%Y-%m-%d") in page
    assert "首问责任人" in page
    assert display_name(clerk) in page
    assert 'data-document-slot="acceptance"' in page
    issued = Document.objects.get(case=case, kind="acceptance")
    assert reverse("documents:pdf", kwargs={"pk": issued.pk}) in page  # the print button


def test_accept__provisional_due_date_is_marked(clerk: User, item: ServiceItem) -> None:
    # The session calendar seeds 2004-2026; a clock reaching 2027 is provisional.
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        clerk_client = login(clerk)
        response = clerk_client.post(intake_url(item), intake_data(item))
        assert response.status_code == 302, response.content.decode()
        case = only_case()
        page = clerk_client.get(
            reverse("window:outcome", kwargs={"number": case.number})
        ).content.decode()

    assert case.due_provisional
    assert "暂定" in page


def test_correction__the_notice_lists_every_missing_or_defective_item_at_once(
    clerk_client: Client, item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    data = intake_data(
        item,
        outcome="correct",
        states={1: "missing", 2: "defective", 3: "missing"},
        problems={2: "申请人未签名"},
    )

    response = clerk_client.post(intake_url(item), data)

    case = only_case()
    assert response.status_code == 302
    assert response["Location"].endswith("?doc=correction")
    assert case.status == Status.AWAITING_CORRECTION
    # 户口簿 (position 3) is optional: missing it is no reason for a notice.
    assert [(e["position"], e["name"]) for e in case.correction_items] == [
        (1, "居民身份证"),
        (2, "申请表"),
    ]
    assert case.correction_items[1]["problem"] == "申请人未签名"
    assert "未提交" in case.correction_items[0]["problem"]
    assert case.events.filter(action="request_correction").count() == 1
    assert routing_spy.calls == []

    page = clerk_client.get(response["Location"]).content.decode()
    assert "补正材料通知书" in page
    assert "居民身份证" in page
    assert "申请人未签名" in page


def test_correction__nothing_missing_is_refused_inline(
    clerk_client: Client, item: ServiceItem
) -> None:
    response = clerk_client.post(intake_url(item), intake_data(item, outcome="correct"))

    assert response.status_code == 200
    assert str(window_forms.NOTHING_TO_CORRECT) in response.content.decode()
    assert not Case.objects.exists()


def test_reject__with_reason_and_the_competent_organ(
    clerk_client: Client, item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    data = intake_data(
        item,
        outcome="reject",
        **{
            "c-rejection_reason": "申请事项属于不动产登记，不属于本机关职权范围。",
            "c-outside_competence": "on",
            "c-competent_organ": "平远县自然资源局",
        },
    )

    response = clerk_client.post(intake_url(item), data)

    case = only_case()
    assert response["Location"].endswith("?doc=rejection")
    assert case.status == Status.REJECTED
    assert case.competent_organ == "平远县自然资源局"
    assert case.rejection_reason.startswith("申请事项属于不动产登记")
    assert routing_spy.calls == []
    page = clerk_client.get(response["Location"]).content.decode()
    assert "不予受理决定书" in page
    assert "平远县自然资源局" in page
    assert "行政复议" in page


def test_reject__without_reason_or_organ_shows_both_errors_and_saves_nothing(
    clerk_client: Client, item: ServiceItem
) -> None:
    data = intake_data(item, outcome="reject", **{"c-outside_competence": "on"})

    response = clerk_client.post(intake_url(item), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert str(window_forms.REJECTION_NEEDS_REASON) in html
    assert str(window_forms.COMPETENT_ORGAN_REQUIRED) in html
    assert not Case.objects.exists()


def test_double_submitted_accept__one_case_one_accept_event_one_flow(
    clerk_client: Client, item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    data = intake_data(item, key=uuid.uuid4().hex)

    first = clerk_client.post(intake_url(item), data)
    second = clerk_client.post(intake_url(item), data)

    case = only_case()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    assert CaseEvent.objects.filter(case=case, action="receive").count() == 1
    assert routing_spy.numbers() == [case.number]
    assert str(REPLAYED) in clerk_client.get(second["Location"]).content.decode()


def test_double_submit__a_different_button_with_the_same_key_changes_nothing(
    clerk_client: Client, item: ServiceItem
) -> None:
    key = uuid.uuid4().hex
    clerk_client.post(intake_url(item), intake_data(item, key=key))

    again = clerk_client.post(
        intake_url(item),
        intake_data(item, key=key, outcome="reject", **{"c-rejection_reason": "重复点击"}),
    )

    case = only_case()
    assert again.status_code == 302
    assert case.status == Status.ACCEPTED
    assert not case.events.filter(action="reject").exists()


def test_two_intakes_with_different_keys_are_two_cases(
    clerk_client: Client, item: ServiceItem
) -> None:
    clerk_client.post(intake_url(item), intake_data(item))
    clerk_client.post(intake_url(item), intake_data(item))

    assert Case.objects.count() == 2


def test_refused_accept__nothing_half_written_and_the_entries_kept(
    clerk_client: Client, item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    data = intake_data(item, states={2: "missing"}, **{"p-name": "李四"})

    response = clerk_client.post(intake_url(item), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert str(errors.MATERIALS_INCOMPLETE % {"missing": "申请表"}) in html
    assert 'value="李四"' in html
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert routing_spy.calls == []
    # The rolled-back receipt gave its serial number back: numbering stays gapless.
    clerk_client.post(intake_url(item), intake_data(item))
    assert only_case().number.endswith("-000001")
    assert CaseSequence.objects.get().last == 1


def test_wrong_check_digit__the_reason_is_shown_and_nothing_is_saved(
    clerk_client: Client, item: ServiceItem
) -> None:
    wrong = APPLICANT_ID[:17] + ("0" if APPLICANT_ID[17] != "0" else "1")

    response = clerk_client.post(intake_url(item), intake_data(item, **{"p-id_number": wrong}))

    html = response.content.decode()
    assert response.status_code == 200
    message = RESIDENT_ID_CHECK_DIGIT % {"expected": APPLICANT_ID[17], "actual": wrong[17]}
    assert str(message) in html
    assert f'value="{wrong}"' in html
    assert not Case.objects.exists()
    assert not CaseSequence.objects.exists()


def test_defective_material_without_what_is_wrong_is_an_inline_error(
    clerk_client: Client, item: ServiceItem
) -> None:
    data = intake_data(item, outcome="correct", states={2: "defective"})

    response = clerk_client.post(intake_url(item), data)

    assert response.status_code == 200
    assert str(window_forms.DEFECT_NEEDS_PROBLEM) in response.content.decode()
    assert not Case.objects.exists()


def test_organisation_applicant_with_an_agent(clerk_client: Client, item: ServiceItem) -> None:
    first17 = "91441426MA4W12345"
    uscc = first17 + uscc_check_character(first17)
    agent_id = "44142619851120002" + resident_id_check_digit("44142619851120002")
    data = intake_data(
        item,
        **{
            "c-applicant_kind": "organisation",
            "o-name": "平远县黄沙种养专业合作社",
            "o-uscc": uscc.lower(),
            "o-legal_representative": "王五",
            "o-phone": "0753-8812345",
            "o-address": "平远县大柘镇黄沙村",
            "c-has_agent": "on",
            "a-name": "钟秀梅",
            "a-id_type": "resident_id",
            "a-id_number": agent_id,
            "a-phone": "139 1234 5678",
            "a-authorisation": "代为申请并领取结果，期限至办结。",
        },
    )

    response = clerk_client.post(intake_url(item), data)

    case = only_case()
    assert response.status_code == 302, response.content.decode()
    assert case.applicant_kind == "organisation"
    assert case.applicant_id_type == "uscc"
    assert case.applicant_id_number == uscc
    assert case.applicant_legal_representative == "王五"
    assert case.agent_name == "钟秀梅"
    assert case.agent_phone == "13912345678"
    page = clerk_client.get(response["Location"]).content.decode()
    assert uscc in page  # an organisation's code is public
    assert "441426********" + agent_id[-4:] in page  # the agent's ID is not
    assert agent_id not in page


def test_agent_authorisation_longer_than_the_case_keeps_is_refused_inline(
    clerk_client: Client, item: ServiceItem
) -> None:
    data = intake_data(
        item,
        **{
            "c-has_agent": "on",
            "a-name": "钟秀梅",
            "a-id_type": "passport",
            "a-id_number": "E12345678",
            "a-phone": "13912345678",
            "a-authorisation": "代" * 300,
        },
    )

    response = clerk_client.post(intake_url(item), data)

    assert response.status_code == 200
    expected = applicant_forms.AUTHORISATION_TOO_LONG % {"max": 200}
    assert str(expected) in response.content.decode()
    assert not Case.objects.exists()


def test_person_form_hidden_when_an_organisation_applies_is_not_validated(
    clerk_client: Client, item: ServiceItem
) -> None:
    first17 = "91441426MA4W12345"
    data = intake_data(
        item,
        **{
            "c-applicant_kind": "organisation",
            "p-id_number": "garbage",
            "o-name": "合作社",
            "o-uscc": first17 + uscc_check_character(first17),
            "o-legal_representative": "王五",
            "o-phone": "13912345678",
            "o-address": "平远县",
        },
    )

    assert clerk_client.post(intake_url(item), data).status_code == 302


def test_stale_or_missing_key_asks_to_submit_again(clerk_client: Client, item: ServiceItem) -> None:
    response = clerk_client.post(intake_url(item), intake_data(item, key="not-a-key"))

    html = response.content.decode()
    assert response.status_code == 200
    assert str(window_forms.STALE_FORM) in html
    assert not Case.objects.exists()
    # The page carries a fresh key, so submitting it again works.
    retry = clerk_client.post(intake_url(item), intake_data(item, key=page_key(html)))
    assert retry.status_code == 302
    assert Case.objects.count() == 1


def test_officer_cannot_open_the_intake(officer: User, item: ServiceItem) -> None:
    client = login(officer)

    for response in (
        client.get(intake_url(item)),
        client.post(intake_url(item), intake_data(item)),
        client.get(reverse("window:choose_item")),
        client.get(reverse("window:index")),
    ):
        assert response.status_code == 403
        assert "只有窗口受理员可以使用综合窗口" in response.content.decode()
    assert not Case.objects.exists()


def test_clerk_without_a_center_cannot_receive(item: ServiceItem) -> None:
    client = login(staff("nowhere", roles.CLERK))

    response = client.get(intake_url(item))

    assert response.status_code == 403
    assert "尚未设置所在服务中心" in response.content.decode()


def test_inactive_or_unknown_item_is_a_404(clerk_client: Client, item: ServiceItem) -> None:
    ServiceItem.objects.filter(pk=item.pk).update(is_active=False)

    assert clerk_client.get(intake_url(item)).status_code == 404
    assert clerk_client.get("/window/new/NOPE/").status_code == 404


def test_anonymous_is_sent_to_login(client: Client, item: ServiceItem) -> None:
    response = client.get(intake_url(item))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_item_chooser_groups_by_department_and_searches_code(
    clerk_client: Client, item: ServiceItem, county: Center
) -> None:
    from tests.factories import DepartmentFactory, ServiceItemFactory

    mz = DepartmentFactory(code="MZ", name="民政")
    ServiceItemFactory(code="MZ-LSJZ", name="临时救助", department=mz)
    ServiceItemFactory(code="MZ-OLD", name="已停用事项", department=mz, is_active=False)

    page = clerk_client.get(reverse("window:choose_item")).content.decode()
    page = page.split("data-item-list", 1)[1]
    by_code = clerk_client.get(reverse("window:choose_item"), {"q": "mz-lsjz"})
    none = clerk_client.get(reverse("window:choose_item"), {"q": "不存在的事项"})

    assert page.index("公安") < page.index("户口迁移") < page.index("民政") < page.index("临时救助")
    assert "已停用事项" not in page
    assert by_code["Location"] == reverse("window:intake", kwargs={"code": "MZ-LSJZ"})
    assert "没有找到与" in none.content.decode()
