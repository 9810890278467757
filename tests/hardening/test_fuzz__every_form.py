"""Hypothesis fuzz of every staff form, found on the pages themselves (issue #13).

test_fuzz__forms.py fuzzes the citizens' forms and the intake field by field.
Here each page of a scenario (the window's case page in each state, the task
page before and after 认领, the extension desk, an escalation, the bundle
intake, the rating panel, a 差评's 整改 at each step with its 申诉 and their
审核, the hall's window, a consultation, a 转办 on its receivers' pages, the
inbox, the guide) is fetched as the person who works on it, every form on it is read from
the HTML (its action, method and fields with the values the page filled in),
and hypothesis posts mutations of that body: NUL bytes, huge strings, other
scripts' digits, huge and negative numbers, lists, missing fields.

Properties: never a 500; a refusal (4xx other than 429) leaves every table of
the scenario as it was (nothing half-saved). A success may change the state:
later examples then meet the new state, which is part of the fuzz.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewflow.workflow.models import Task

from tests.factories import accepted_case, open_task, work
from tests.hardening.test_fuzz__forms import MISSING, VALUE
from tests.workflows.combined.bundles import intake_post
from workflows.calendar import api as calendar
from workflows.cases import services
from workflows.cases.models import Case, CaseEvent, Extension, Suspension
from workflows.catalog.models import Center, ServiceItem
from workflows.combined.models import Bundle, BundlePart
from workflows.combined.selectors import union_checklist
from workflows.firstquestion import services as first_question
from workflows.firstquestion.models import Consultation, ConsultationEvent, Referral
from workflows.hall import services as hall_services
from workflows.hall.models import Counter, OpeningPeriod, RotaDay, Ticket
from workflows.rating import services as rating_services
from workflows.rating.models import (
    Appeal,
    Channel,
    Level,
    Rating,
    RatingEvent,
    RatingInvitation,
    Reason,
    Rectification,
)
from workflows.supervision.models import Escalation, EscalationNote
from workflows.supervision.services import sweep_deadlines
from workflows.tasks import services as task_services
from workflows.tasks.steps import APPROVE
from workflows.window.services import window_decide

pytestmark = pytest.mark.django_db(transaction=False)

TABLES: tuple[type[Model], ...] = (
    Case,
    CaseEvent,
    Extension,
    Suspension,
    Task,
    Escalation,
    EscalationNote,
    Bundle,
    BundlePart,
    Consultation,
    ConsultationEvent,
    Referral,
    Ticket,
    Rating,
    RatingEvent,
    Rectification,
    Appeal,
)
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class Forms(HTMLParser):
    """Every <form> of a page: action, method, and the values a browser would send."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None

    def add(self, name: str | None, value: str) -> None:
        if self.current is not None and name:
            self.current.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(a.get("action") or self.url, (a.get("method") or "get").lower())
        elif tag == "input" and self.current is not None:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                if kind == "submit" and a.get("name"):
                    self.current.fields.setdefault(a["name"], [a.get("value", "")])
                return
            if kind == "checkbox":
                if "checked" in a:
                    self.add(a.get("name"), a.get("value", "on"))
                return
            if kind == "radio":  # the checked one, else the first
                name = a.get("name")
                if name and ("checked" in a or name not in self.current.fields):
                    self.current.fields[name] = [a.get("value", "on")]
                return
            self.add(a.get("name"), a.get("value", ""))
        elif tag == "button" and self.current is not None and a.get("name"):
            self.current.fields.setdefault(a["name"], [a.get("value", "")])
        elif tag == "select":
            self.select, self.select_value = a.get("name"), None
        elif tag == "option" and self.select is not None:
            if self.select_value is None or "selected" in a:
                self.select_value = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.add(self.textarea, "")

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None and self.textarea in self.current.fields:
            self.current.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None:
            self.add(self.select, self.select_value or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def forms_on(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = Forms(url)
    parser.feed(response.content.decode())
    return [
        f
        for f in parser.forms
        if not any(urlsplit(f.action).path.startswith(s) for s in SKIPPED_ACTIONS)
    ]


# ------------------------------------------------------------------ scenarios


def user(name: str) -> User:
    return User.objects.get(username=name)


def county() -> Center:
    return Center.objects.get(code="PY")


def item(code: str = "GA-WFZJ") -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def case_page(case: Case) -> str:
    return f"/window/cases/{case.number}/"


def received() -> list[tuple[str, str]]:
    """A case received, its outcome still open (受理 / 补正 / 不予受理)."""
    case = services.case_receive(
        center=county(),
        item=item(),
        actor=user("clerk"),
        applicant=services.Party(
            name="张三", id_number="441426199001011238", phone="13912345678", address="平远县"
        ),
        materials=[],
    )
    page = case_page(case)
    return [
        ("clerk", page),
        ("clerk", page + "review/"),
        ("clerk", page + "withdraw/"),
        ("supervisor", f"/first-question/cases/{case.number}/reassign/"),
    ]


def correction() -> list[tuple[str, str]]:
    """一次性告知 given: the clerk registers the supplement (补正)."""
    clerk = user("clerk")
    case = services.case_receive(
        center=county(),
        item=item(),
        actor=clerk,
        applicant=services.Party(
            name="张三", id_number="441426199001011238", phone="13912345678", address="平远县"
        ),
        materials=[],
    )
    case = services.case_request_correction(
        case=case, actor=clerk, lines=[services.CorrectionLine(position=1, problem="缺申请表")]
    )
    return [("clerk", case_page(case) + "supplement/"), ("clerk", case_page(case) + "withdraw/")]


def instant() -> list[tuple[str, str]]:
    """A 即办件 accepted at the window: the clerk decides it there, or on its outcome page."""
    case = accepted_case(item=item("GA-CSDJ"), clerk=user("clerk"), center=county())
    other = accepted_case(item=item("GA-CSDJ"), clerk=user("clerk"), center=county())
    done = window_decide(
        case=accepted_case(item=item("GA-CSDJ"), clerk=user("clerk"), center=county()),
        actor=user("clerk"),
        key="fuzz-decide",
        decision="approved",
        reason="",
    )
    return [
        ("clerk", case_page(case)),
        ("clerk", case_page(case) + "decide/"),
        ("clerk", case_page(other) + "outcome/"),
        ("clerk", case_page(done) + "deliver/"),  # 出件 at the window
    ]


def accepted() -> list[tuple[str, str]]:
    """An accepted case: the clerk's page, the officer's task before 认领."""
    case = accepted_case(item=item(), clerk=user("clerk"), center=county())
    return [
        ("clerk", case_page(case)),
        ("clerk", case_page(case) + "withdraw/"),
        ("ga_officer", f"/tasks/{open_task(case).pk}/"),
    ]


def claimed() -> list[tuple[str, str]]:
    """The officer's task after 认领: complete, extension, 特别程序 and its end, release."""
    case = accepted_case(item=item("GA-SWZM"), clerk=user("clerk"), center=county())
    task = open_task(case, "review")
    task_services.task_claim(task=task, user=user("ga_officer"))
    paused = accepted_case(item=item("GA-SWZM"), clerk=user("clerk"), center=county())
    held = open_task(paused, "review")
    task_services.task_claim(task=held, user=user("ga_officer"))
    services.case_suspend(
        case=paused,
        actor=user("ga_officer"),
        procedure=Suspension.Procedure.INSPECTION,
        expected_days=5,
        reason="送检",
    )
    return [("ga_officer", f"/tasks/{task.pk}/"), ("ga_officer", f"/tasks/{held.pk}/")]


def extension() -> list[tuple[str, str]]:
    """An extension asked for: the head's desk decides it."""
    case = accepted_case(item=item("GA-SWZM"), clerk=user("clerk"), center=county())
    officer = user("ga_officer")
    task = open_task(case, "review")
    task_services.task_claim(task=task, user=officer)
    services.case_request_extension(case=case, actor=officer, days=3, reason="需要核查")
    return [("ga_head", "/tasks/extensions/")]


def decided() -> list[tuple[str, str]]:
    """Approved by the officer: the clerk delivers (出件)."""
    case = accepted_case(
        item=item(), clerk=user("clerk"), center=county(), now=timezone.now() - timedelta(days=2)
    )
    work(case, "review", user("ga_officer"), outcome=APPROVE, reason="")
    return [
        ("clerk", case_page(case)),
        ("clerk", f"/tasks/{open_task(case).pk}/"),  # the window's delivery task (出件)
        ("clerk", "/tasks/delivery/"),
    ]


def escalated() -> list[tuple[str, str]]:
    """Overdue and swept: the supervisor follows up (督办), the head answers, inboxes fill."""
    case = accepted_case(
        item=item(), clerk=user("clerk"), center=county(), now=timezone.now() - timedelta(days=10)
    )
    task_services.task_claim(task=open_task(case, "review"), user=user("ga_officer"))
    sweep_deadlines()
    escalation = Escalation.objects.filter(case=case).order_by("-level").first()
    assert escalation is not None
    page = f"/supervision/escalations/{escalation.pk}/"
    return [
        ("supervisor", page),
        ("ga_head", page),
        ("ga_officer", "/notifications/"),
        ("supervisor", f"/supervision/cases/{case.number}/trail/"),
    ]


def bundle() -> list[tuple[str, str]]:
    """一件事: the intake; a bundle told to supplement (progress, 补正), one awaiting 一并受理."""
    the_bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    first = union_checklist(the_bundle)[0]
    client = Client()
    client.force_login(user("clerk"))
    progress = []
    for token in ("fuzz-notice", "fuzz-supplemented"):
        data = intake_post(the_bundle)
        data["bundle-token"] = token
        data["bundle-materials"] = [m.key for m in union_checklist(the_bundle)][1:]
        data["bundle-outcome"] = "correct"
        data["bundle-problem-0"] = "请携带原件"
        response = client.post("/combined/new/BUNDLE-SH/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        progress.append(response["Location"])
    brought = {"s-brought": [first.name], "s-action": "supplement", "s-token": "fuzz-s"}
    response = client.post(progress[1] + "supplement/", brought)
    assert response.status_code == 302, response.content.decode()[:2000]
    return [
        ("clerk", "/combined/new/BUNDLE-SH/"),
        ("clerk", progress[0]),
        ("clerk", progress[0] + "supplement/"),
        ("clerk", progress[1]),
    ]


def decided_hukou() -> Case:
    """A 户口迁移 decided by the head: its rating invitation is open."""
    clerk, head = user("clerk"), user("ga_head")
    hukou = item("GA-HKQY")
    case = services.case_receive(
        center=county(),
        item=hukou,
        actor=clerk,
        applicant=services.Party(
            name="张三", id_number="441426199001011238", phone="13912345678", address="平远县"
        ),
        materials=[
            services.MaterialLine(material_id=m.pk, copies=m.copies, pages=1)
            for m in hukou.materials.all()
        ],
    )
    case = services.case_accept(case=case, actor=clerk)
    case = services.case_start(case=case, actor=head)
    return services.case_decide(case=case, actor=head, decision="approved")


def invitation_of(case: Case) -> RatingInvitation:
    invitation = case.rating_invitations.order_by("pk").first()
    assert invitation is not None
    return invitation


def rating() -> list[tuple[str, str]]:
    """A decided case: the clerk's rating panel (counter pad, SMS invitation)."""
    case = decided_hukou()
    invitation = invitation_of(case)
    return [
        ("clerk", f"/rating/cases/{case.number}/"),
        ("clerk", f"/rating/invitations/{invitation.pk}/counter/"),
        ("ga_head", "/rating/rectifications/"),
    ]


def bad_rating() -> Rectification:
    """A 差评 given on the counter pad: its 整改 opens (待回访)."""
    clerk = user("clerk")
    rated = rating_services.rating_submit(
        invitation=invitation_of(decided_hukou()),
        level=Level.VERY_DISSATISFIED,
        reasons=[Reason.ATTITUDE],
        comment="跑了三次",
        channel=Channel.WINDOW,
        actor=clerk,
    )
    return Rectification.objects.get(rating=rated)


def rectification() -> list[tuple[str, str]]:
    """差评整改 at each step: 回访, 核实整改, 反馈 by the assignee; 申诉 by the head, its 审核."""
    head = user("ga_head")
    to_call_back = bad_rating()
    to_rectify = rating_services.rectification_call_back(
        rectification=bad_rating(), actor=head, note="已电话回访"
    )
    to_feed_back = rating_services.rectification_resolve(
        rectification=rating_services.rectification_call_back(
            rectification=bad_rating(), actor=head, note="已电话回访"
        ),
        actor=head,
        finding="窗口未一次性告知",
        resolution=Rectification.Resolution.RECTIFIED,
        text="已组织培训",
    )
    appealed = bad_rating()
    rating_services.appeal_file(
        rectification=appealed, actor=head, grounds="申请人误评", evidence="录音"
    )
    pages = [("ga_head", "/rating/rectifications/")]
    for who in ("clerk", "ga_head", "supervisor"):  # first responder, head, 督查
        pages += [(who, f"/rating/rectifications/{r.pk}/") for r in (to_call_back, appealed)]
    pages += [
        ("ga_head", f"/rating/rectifications/{to_rectify.pk}/"),
        ("ga_head", f"/rating/rectifications/{to_feed_back.pk}/"),
    ]
    return pages


def hall() -> list[tuple[str, str]]:
    """The hall open all day: the kiosk, the window with a called ticket (叫号, 转窗口), hours."""
    call_command("hall_setup", stdout=io.StringIO())
    center = county()
    OpeningPeriod.objects.filter(center=center).delete()
    OpeningPeriod.objects.create(center=center, opens=time(0, 0), closes=time(23, 59, 59))
    today = timezone.localdate()
    if not calendar.is_working_day(today):
        RotaDay.objects.create(center=center, date=today, opens=time(0), closes=time(23, 59, 59))
    counter = Counter.objects.filter(center=center).order_by("position").first()
    assert counter is not None
    Counter.objects.create(  # a second group to 转窗口 to
        center=center, code="BDC", name="不动产窗口", prefix="B", windows=1, position=99
    )
    for _ in range(3):
        hall_services.ticket_issue(counter=counter)
    hall_services.ticket_call_next(counters=[counter], clerk=user("clerk"), window="3号窗口")
    return [
        ("clerk", "/hall/window/"),
        (None, "/hall/kiosk/PY/"),  # type: ignore[list-item]
        ("admin", "/hall/hours/"),
    ]


def consultation() -> list[tuple[str, str]]:
    """A consultation logged at the window: refer, answer, apply; the referrals desk."""
    entry = first_question.consultation_log(
        actor=user("clerk"),
        channel="visit",
        citizen_name="张三",
        citizen_phone="13912345678",
        matter="怎么办理无犯罪记录证明",
        outcome="refer",
        target=first_question.ReferralTarget(kind="department", department=item().department),
        note="请公安答复",
    )
    return [
        ("clerk", f"/first-question/consultations/{entry.pk}/"),
        ("clerk", "/first-question/"),
        ("ga_officer", "/first-question/referrals/"),
        ("ga_head", "/first-question/referrals/"),
    ]


def referral() -> list[tuple[str, str]]:
    """转办 to a department: its staff find it on the referrals page, 签收, answer or 退回.

    A declined one is back with the first responder: answer, refer again or apply.
    """
    department = item().department
    receivers = ("ga_officer", "ga_head")
    pages: list[tuple[str, str]] = []
    for step in ("pending", "acknowledged", "declined"):
        entry = first_question.consultation_log(
            actor=user("clerk"),
            channel="phone",
            citizen_name="李四",
            citizen_phone="13912345679",
            matter="户口迁移要带什么材料",
            outcome="refer",
            target=first_question.ReferralTarget(kind="department", department=department),
            note="请公安答复",
        )
        page = f"/first-question/consultations/{entry.pk}/"
        sent = Referral.objects.get(consultation=entry)
        if step == "declined":  # 退回: back to the first responder, to answer, refer or apply
            first_question.referral_decline(
                referral=sent, actor=user("ga_officer"), reason="非本部门"
            )
            pages.append(("clerk", page))
            continue
        if step == "acknowledged":
            first_question.referral_acknowledge(referral=sent, actor=user("ga_officer"))
        for who in receivers:
            client = Client()
            client.force_login(user(who))
            listed = client.get("/first-question/referrals/").content.decode()
            assert f'href="{page}"' in listed, (who, page)  # the way the receiver gets there
            pages.append((who, page))
    return pages


def guide() -> list[tuple[str, str]]:
    """The guide, the rating code and the sign-in; the window's lists and an intake form."""
    return [
        (None, "/guide/"),  # type: ignore[list-item]
        (None, "/guide/GA-WFZJ/"),  # type: ignore[list-item]
        (None, "/rate/"),  # type: ignore[list-item]
        (None, "/accounts/login/"),  # type: ignore[list-item]
        ("clerk", "/window/"),
        ("clerk", "/window/new/"),
        ("clerk", "/window/new/GA-WFZJ/"),
        ("ga_officer", "/tasks/queue/"),
        ("supervisor", "/supervision/overdue/"),
    ]


SCENARIOS: dict[str, Callable[[], list[tuple[str, str]]]] = {
    f.__name__: f
    for f in (
        received,
        correction,
        instant,
        accepted,
        claimed,
        extension,
        decided,
        escalated,
        bundle,
        rating,
        rectification,
        hall,
        consultation,
        referral,
        guide,
    )
}


@pytest.fixture
def reference() -> None:
    call_command("setup_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_users", verbosity=0, stdout=io.StringIO())


def body_with(valid: dict[str, list[str]], changes: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {k: v if len(v) > 1 else v[0] for k, v in valid.items()}
    for key, value in changes.items():
        if value is MISSING:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def fuzz(client: Client, form: Form, where: str) -> int:
    """Post (or get) mutations of ``form``; return how many examples ran."""
    names = sorted(form.fields) or ["q"]
    ran = 0

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.dictionaries(st.sampled_from(names), VALUE, min_size=1))
    def send(changes: dict[str, Any]) -> None:
        nonlocal ran
        ran += 1
        body = body_with(form.fields, changes)
        before = [t.objects.count() for t in TABLES]
        if form.method == "post":
            response = client.post(form.action, body, REMOTE_ADDR="203.0.113.9")
        else:
            response = client.get(form.action, body, REMOTE_ADDR="203.0.113.9")
        assert response.status_code < 500, (where, form.action, body)
        if 400 <= response.status_code < 500 and response.status_code != 429:
            after = [t.objects.count() for t in TABLES]
            grew = {
                t.__name__: a - b for t, a, b in zip(TABLES, after, before, strict=True) if a != b
            }
            assert not grew, (where, form.action, body, grew)

    send()
    return ran


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_form_on_the_page_refuses_garbage_without_a_500(
    scenario: str, reference: None
) -> None:
    pages = SCENARIOS[scenario]()
    seen = 0
    for username, url in pages:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(user(username))
        for form in forms_on(client, url):
            seen += 1
            fuzz(client, form, f"{scenario} {username} {url}")
    assert seen, f"no form found on the pages of {scenario}"
