"""The clerk's screens at the 综合窗口: intake, outcome, supplement, on-the-spot decision, 出件.

Views stay thin: forms validate, ``workflows.cases.services`` write (every
outcome in one transaction, so a refused step leaves nothing half-written),
selectors read. A service refusal is shown on the form with what the clerk
typed; a wrong role or center is a 403 page, an invisible case a 404 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from viewflow.workflow.exceptions import FlowLockFailed

from documents.selectors import latest_document
from workflows.api import sharing
from workflows.cases import errors as case_errors
from workflows.cases import numbering, services
from workflows.cases.clock import legal_today
from workflows.cases.errors import ActionForbidden, CaseError
from workflows.cases.locks import lock_case
from workflows.cases.models import (
    BEFORE_ACCEPTANCE,
    OPEN,
    RUNNING,
    Case,
    CaseEvent,
    CaseMaterial,
    Status,
)
from workflows.cases.permissions import is_admin, is_center_clerk
from workflows.catalog.models import Center, ServiceItem
from workflows.catalog.roles import CLERK, has_role
from workflows.firstquestion import intake as first_question
from workflows.hall import intake as hall_ticket
from workflows.tasks import routing
from workflows.window import display, selectors, shared
from workflows.window.forms import (
    KEY_PATTERN,
    DecideAction,
    DecideForm,
    DeliverForm,
    Intake,
    Outcome,
    OutcomeForm,
    RevealForm,
    SearchForm,
    SupplementAction,
    SupplementForm,
    WithdrawForm,
    missing_problem,
    service_key_prefix,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


NOT_A_CLERK = gettext_lazy("只有窗口受理员可以使用综合窗口。")
NO_CENTER = gettext_lazy("您的账号尚未设置所在服务中心，不能在窗口收件；请联系系统管理员。")
NOT_YOUR_CASE = gettext_lazy("只有本中心（%(center)s）的窗口人员可以办理此操作。")
NOT_RECEIVED = gettext_lazy("办件当前状态为“%(status)s”，不需要受理审核。")
NOT_AWAITING_CORRECTION = gettext_lazy("办件当前状态为“%(status)s”，不在待补正状态。")
NOT_RUNNING = gettext_lazy("办件当前状态为“%(status)s”，不能当场办结。")
NOT_DECIDED = gettext_lazy("办件当前状态为“%(status)s”，尚无可送达的结果。")
NOT_WITHDRAWABLE = gettext_lazy("办件当前状态为“%(status)s”，不能撤回。")
REPLAYED = gettext_lazy("该申请已经提交过，以下是首次提交的结果，未重复登记。")
REPLAYED_ACTION = gettext_lazy("该操作已经办理过（重复提交），未重复登记。")
SUPPLEMENTED = gettext_lazy("已登记补正材料。")
WITHDRAWN = gettext_lazy("已登记撤回。")

ViewFunc = Callable[..., HttpResponse]


# ---------------------------------------------------------------- plumbing


def window_page(*, clerk_only: bool = True) -> Callable[[ViewFunc], ViewFunc]:
    """Role check plus zh-Hans 403/404 pages for the window's views (never a 500)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if clerk_only and not (has_role(request.user, CLERK) or is_admin(request.user)):
                    raise PermissionDenied(NOT_A_CLERK)
                return view(request, *args, **kwargs)
            except Http404:
                return render(request, "window/not_found.html", status=404)
            except PermissionDenied as exc:
                message = str(exc) or str(NOT_A_CLERK)
                return render(request, "window/forbidden.html", {"message": message}, status=403)

        return wrapped

    return decorator


def _center_of(request: HttpRequest) -> Center:
    """The clerk's center; 403 when the account has none."""
    center = selectors.clerk_center(request.user)
    if center is None:
        raise PermissionDenied(NO_CENTER)
    return center


def _require_center_clerk(request: HttpRequest, case: Case) -> None:
    """403 unless the user is a clerk of the case's center (or an admin)."""
    if not (is_admin(request.user) or is_center_clerk(request.user, case)):
        raise ActionForbidden(NOT_YOUR_CASE % {"center": case.center.name})


def _lock(case: Case) -> None:
    """Row-lock the case for this transaction, waiting a bounded time (CaseBusy: 409).

    Taken before checking whether a double-clicked request already happened,
    so the second request sees the first one's committed result; the case
    first, as everywhere (workflows.cases.locks).
    """
    lock_case(case.pk)


def _accept_and_route(*, case: Case, actor: User, key: str, replayed: bool | None = None) -> Case:
    """受理 and start the department's back-office flow, in the caller's transaction.

    A replayed key (double click) accepts nothing and starts no second flow;
    ``replayed`` is that answer when the caller has just read it.
    """
    if replayed is None:
        replayed = CaseEvent.objects.filter(case_id=case.pk, idempotency_key=key).exists()
    already = replayed
    case = services.case_accept(case=case, actor=actor, idempotency_key=key)
    if not already:
        routing.start_department_flow(case=case, actor=actor)
    return case


def _replayed(request: HttpRequest, case: Case, target: str) -> HttpResponse | None:
    """A form posted again after it already acted on ``case``: show the result, change nothing."""
    key = request.POST.get("key", "") if request.method == "POST" else ""
    if not re.fullmatch(KEY_PATTERN, key):
        return None
    prefix = service_key_prefix(_user(request).pk, key)
    if not CaseEvent.objects.filter(case_id=case.pk, idempotency_key__startswith=prefix).exists():
        return None
    messages.info(request, REPLAYED_ACTION)
    return redirect(target)


def _outcome_url(case: Case, document: str = "") -> str:
    url = reverse("window:outcome", kwargs={"number": case.number})
    return f"{url}?doc={document}" if document else url


def _detail_url(case: Case) -> str:
    return reverse("window:case_detail", kwargs={"number": case.number})


def _delivery_tasks_url() -> str:
    """The window's 待出件 task list of the flows (tasks app), if mounted."""
    try:
        return reverse("tasks:delivery")
    except NoReverseMatch:
        return ""


def _delivery_task_url(request: HttpRequest, case: Case) -> str:
    """The open window delivery task of a flow-driven decided case, else the task list."""
    if case.status != Status.DECIDED or selectors.has_window_delivery(case):
        return ""
    task_id = selectors.delivery_task_id(request.user, case)
    if task_id is not None:
        try:
            return reverse("tasks:task", kwargs={"task_id": task_id})
        except NoReverseMatch:
            pass
    return _delivery_tasks_url()


def _wrong_status(request: HttpRequest, case: Case, message: Any) -> HttpResponse:
    """Back to the case page with the reason (the page shows what can be done now)."""
    messages.warning(request, message % {"status": case.get_status_display()})
    return redirect(_detail_url(case))


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# ---------------------------------------------------------------- the clerk's home


@window_page()
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Today's intake, what waits for correction or delivery, and case search."""
    center = selectors.clerk_center(request.user)
    search = SearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = selectors.rows(selectors.search_cases(request.user, search.cleaned_data["q"]))
    context: dict[str, Any] = {"center": center, "search": search, "found": found}
    if center is not None:
        context.update(
            today=selectors.rows(selectors.received_on(center, legal_today())),
            pending=selectors.rows(selectors.awaiting_acceptance(center)),
            correction=selectors.correction_rows(center),
            delivery=selectors.delivery_rows(center),
            tasks_url=_delivery_tasks_url(),
        )
    return render(request, "window/index.html", context)


# ---------------------------------------------------------------- intake


@window_page()
@require_http_methods(["GET"])
def choose_item(request: HttpRequest) -> HttpResponse:
    """Pick the service item: search by name or code, grouped by department."""
    _center_of(request)
    query = request.GET.get("q", "").strip()[:100]
    # A consultation turned into an application rides along to the intake.
    consultation = first_question.query_of(first_question.consultation_from_request(request))
    items = selectors.active_items(query)
    if query and len(items) == 1:
        return redirect(reverse("window:intake", kwargs={"code": items[0].code}) + consultation)
    return render(
        request,
        "window/choose_item.html",
        {
            "query": query,
            "groups": selectors.group_by_department(items),
            "count": len(items),
            "consultation_query": consultation,
        },
    )


def _submit_intake(
    request: HttpRequest,
    center: Center,
    item: ServiceItem,
    intake: Intake,
    consultation: first_question.Consultation | None = None,
    ticket: hall_ticket.Ticket | None = None,
    found: list[dict[str, Any]] | None = None,
) -> tuple[Case, str, bool]:
    """收件 plus the chosen outcome, all or nothing; (case, document, replayed).

    The center's case number and the receipt's serial are taken last, just
    before commit (numbering.numbers_last), so a center's windows queue on
    those counters for a few statements instead of for the whole intake. A
    consultation's link records the case number, so that path numbers at once.
    """
    block = transaction.atomic() if consultation is not None else numbering.numbers_last()
    with block:
        case, document, replayed = _intake_steps(
            request, center, item, intake, consultation, ticket, found or []
        )
    if case.number.startswith("pending-"):  # numbered at commit, on another instance
        case.number = Case.objects.values_list("number", flat=True).get(pk=case.pk)
    return case, document, replayed


def _intake_steps(
    request: HttpRequest,
    center: Center,
    item: ServiceItem,
    intake: Intake,
    consultation: first_question.Consultation | None,
    ticket: hall_ticket.Ticket | None,
    found: list[dict[str, Any]],
) -> tuple[Case, str, bool]:
    user = _user(request)
    control = intake.control
    actions = ["receive", *Outcome.values]
    keys = {action: control.service_key(user.pk, action) for action in actions}
    case = services.case_receive(
        center=center,
        item=item,
        actor=user,
        applicant=intake.applicant(),
        agent=intake.agent_party(),
        materials=intake.checklist.material_lines(),
        first_responder=consultation.first_responder if consultation else None,
        idempotency_key=keys["receive"],
    )
    sharing.attach_found(case, found)  # 免提交: the records the sources returned (once)
    if consultation is not None:  # 首问: the consultation and its case, linked (idempotent)
        first_question.consultation_link_case(consultation=consultation, case=case, actor=user)
    if ticket is not None:  # 叫号: the called ticket and its case, linked (idempotent)
        hall_ticket.ticket_link_case(ticket=ticket, case=case)
    # A double click: the first request committed the case and its outcome.
    done = CaseEvent.objects.filter(
        case_id=case.pk, idempotency_key__in=[keys[o] for o in Outcome.values]
    ).exists()
    if done:
        return case, display.default_document(case), True
    if intake.outcome == Outcome.ACCEPT:
        # ``done`` above covered the accept key too: no second look.
        case = _accept_and_route(case=case, actor=user, key=keys[Outcome.ACCEPT], replayed=False)
        return case, "acceptance", False
    if intake.outcome == Outcome.CORRECT:
        case = services.case_request_correction(
            case=case,
            actor=user,
            lines=intake.checklist.correction_lines(),
            idempotency_key=keys[Outcome.CORRECT],
        )
        return case, "correction", False
    data = control.cleaned_data
    case = services.case_reject(
        case=case,
        actor=user,
        reason=data["rejection_reason"],
        competent_organ=data["competent_organ"] if data["outside_competence"] else "",
        idempotency_key=keys[Outcome.REJECT],
    )
    return case, "rejection", False


@window_page()
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, code: str) -> HttpResponse:
    """收件: applicant, agent, materials checklist, then accept / correction notice / reject."""
    center = _center_of(request)
    item = get_object_or_404(
        ServiceItem.objects.select_related("department").prefetch_related("materials"),
        code=code,
        is_active=True,
    )
    consultation = first_question.consultation_from_request(request)
    ticket = hall_ticket.ticket_from_request(request)
    refusal = ""
    status = 200
    results: dict[int, shared.LineResult] = {}
    share_error = ""
    if request.method == "POST" and "share" in request.POST:
        form, results, share_error = _share_step(request, item)
    elif request.method == "POST":
        found = shared.kept_for(request, item, request.POST)
        results = shared.results_of(found)
        form = Intake(item, shared.with_found(request.POST, item, found))
        if form.is_valid():
            try:
                case, document, replayed = _submit_intake(
                    request, center, item, form, consultation, ticket, found
                )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if replayed:
                    messages.info(request, REPLAYED)
                return redirect(_outcome_url(case, document))
    else:
        form = Intake(item)
        if consultation is not None:
            first_question.prefill_intake(form, consultation)
        if ticket is not None:
            hall_ticket.prefill_intake(form, ticket)
    shareable = sharing.shareable_materials(item)  # only for the page: a submit never asks
    shared.mark_lines(form, shareable, results)
    return render(
        request,
        "window/intake.html",
        {
            "item": item,
            "intake": form,
            "refusal": refusal,
            "center": center,
            "consultation": consultation,
            "ticket": ticket,
            "shareable": shareable,
            "shared": results,
            "share_error": share_error,
        },
        status=status,
    )


def _share_step(
    request: HttpRequest, item: ServiceItem
) -> tuple[Intake, dict[int, shared.LineResult], str]:
    """查询共享材料: ask the sources by the applicant's ID number; save nothing, keep the typing."""
    posted = Intake(item, request.POST)
    applicant = posted.applicant_form
    field = "uscc" if "uscc" in applicant.fields else "id_number"
    applicant.is_valid()
    if field in applicant.errors or not applicant.cleaned_data.get(field):
        errors = " ".join(str(e) for e in applicant.errors.get(field, []))
        return Intake.redisplay(item, request.POST), {}, f"{shared.ID_NEEDED} {errors}".strip()
    results = shared.lookup(request, item, applicant.cleaned_data[field])
    found = shared.kept_for(request, item, request.POST)
    return Intake.redisplay(item, shared.with_found(request.POST, item, found)), results, ""


# ---------------------------------------------------------------- outcome and case page


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the outcome page and the case page both show."""
    return {
        "case": case,
        "materials": list(case.materials.all()),
        "light": display.traffic_light(case),
        "status_explained": display.STATUS_EXPLAINED.get(case.status, ""),
        "applicant_id": display.mask_id_number(case.applicant_id_number, case.applicant_id_type),
        "agent_id": display.mask_id_number(case.agent_id_number, case.agent_id_type),
        "applicant_phone": display.mask_phone(case.applicant_phone),
        "agent_phone": display.mask_phone(case.agent_phone),
        "first_responder": display.person_name(case.first_responder),
        "first_responder_phone": display.staff_phone(case.first_responder),
        "handler": display.person_name(case.handler) if case.handler_id else "",
        "handler_phone": display.staff_phone(case.handler),
        "received_by": display.person_name(case.received_by),
        "decided_by": display.person_name(case.decided_by) if case.decided_by_id else "",
        "delivered_by": display.person_name(case.delivered_by) if case.delivered_by_id else "",
        "is_immediate": case.item.is_immediate,
        "window_delivery": selectors.has_window_delivery(case),
        "tasks_url": _delivery_task_url(request, case),
    }


def _clerk_actions(request: HttpRequest, case: Case) -> dict[str, bool]:
    """Which window actions the page offers this user for this case."""
    clerk = is_admin(request.user) or is_center_clerk(request.user, case)
    no_flow = selectors.has_window_delivery(case)
    return {
        "can_review": clerk and case.status == Status.RECEIVED,
        "can_supplement": clerk and case.status == Status.AWAITING_CORRECTION,
        "can_decide": clerk and case.item.is_immediate and case.status in RUNNING,
        "can_deliver": clerk and case.status == Status.DECIDED and no_flow,
        "can_deliver_by_task": clerk and case.status == Status.DECIDED and not no_flow,
        "can_withdraw": clerk and case.status in (*BEFORE_ACCEPTANCE, *OPEN),
    }


@window_page(clerk_only=False)
@require_http_methods(["GET"])
def outcome(request: HttpRequest, number: str) -> HttpResponse:
    """The document of an outcome: its data now, and the slot for the print button."""
    case = selectors.visible_case(request.user, number)
    available = display.documents_for(case)
    document = request.GET.get("doc", "")
    if document not in available:
        document = display.default_document(case)
    context = _case_context(request, case)
    actions = _clerk_actions(request, case)
    context.update(actions)
    context.update(
        document=document,
        document_title=display.DOCUMENT_TITLES.get(document, ""),
        documents=[(kind, display.DOCUMENT_TITLES[kind]) for kind in available],
        correction_items=case.correction_items,
        center_organ=case.center.organ_name or case.center.name,
        issued_document=latest_document(case.pk, document) if document else None,
    )
    if actions["can_decide"]:
        context["decide_form"] = DecideForm(item=case.item)
    return render(request, "window/outcome.html", context)


@window_page(clerk_only=False)
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Everything about one case: status, parties, materials, clock, people, trail."""
    case = selectors.visible_case(request.user, number)
    context = _case_context(request, case)
    context.update(_clerk_actions(request, case))
    context.update(
        trail=display.trail_rows(selectors.trail(case)),
        suspensions=list(case.suspensions.select_related("started_by", "ended_by")),
        extensions=list(case.extensions.select_related("requested_by", "decided_by")),
        documents=[(kind, display.DOCUMENT_TITLES[kind]) for kind in display.documents_for(case)],
        correction_items=case.correction_items,
    )
    if case.status == Status.RECEIVED and case.deemed_acceptance_at:
        context["deemed_acceptance_at"] = case.deemed_acceptance_at
    context["reveal_form"] = RevealForm()
    return render(request, "window/case_detail.html", context)


# ---------------------------------------------------------------- received case: decide


def _correction_lines(case: Case) -> list[services.CorrectionLine]:
    """Everything still missing (required) or defective on a received case."""
    lines = []
    for material in case.materials.all():
        if material.state == CaseMaterial.State.RECEIVED:
            continue
        if material.state == CaseMaterial.State.MISSING and not material.required:
            continue
        problem = material.problem or missing_problem(material, copies=None)
        lines.append(
            services.CorrectionLine(
                position=material.position, problem=problem, state=material.state
            )
        )
    return lines


@window_page()
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, number: str) -> HttpResponse:
    """A received case (e.g. after a partial supplement): accept, notice, or not accept."""
    case = selectors.visible_case(request.user, number)
    _require_center_clerk(request, case)
    if replay := _replayed(request, case, _outcome_url(case, display.default_document(case))):
        return replay
    if case.status != Status.RECEIVED:
        return _wrong_status(request, case, NOT_RECEIVED)
    user = _user(request)
    lines = _correction_lines(case)
    refusal, status = "", 200
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["outcome"]
            key = form.service_key(user.pk, chosen)
            try:
                with transaction.atomic():
                    _lock(case)
                    if chosen == Outcome.ACCEPT:
                        case = _accept_and_route(case=case, actor=user, key=key)
                        document = "acceptance"
                    elif chosen == Outcome.CORRECT:
                        case = services.case_request_correction(
                            case=case, actor=user, lines=lines, idempotency_key=key
                        )
                        document = "correction"
                    else:
                        data = form.cleaned_data
                        case = services.case_reject(
                            case=case,
                            actor=user,
                            reason=data["rejection_reason"],
                            competent_organ=data["competent_organ"]
                            if data["outside_competence"]
                            else "",
                            idempotency_key=key,
                        )
                        document = "rejection"
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                return redirect(_outcome_url(case, document))
    else:
        form = OutcomeForm()
    context = _case_context(request, case)
    context.update(form=form, refusal=refusal, correction_lines=lines)
    return render(request, "window/review.html", context, status=status)


# ---------------------------------------------------------------- supplement


def _notice_materials(case: Case) -> list[tuple[CaseMaterial, dict[str, Any]]]:
    """The correction notice's items with their material rows."""
    rows = {m.position: m for m in case.materials.all()}
    return [
        (rows[entry["position"]], entry)
        for entry in case.correction_items
        if entry.get("position") in rows
    ]


@window_page()
@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, number: str) -> HttpResponse:
    """补正: tick what the applicant brought; then accept, in the same step if complete."""
    case = selectors.visible_case(request.user, number)
    _require_center_clerk(request, case)
    if replay := _replayed(request, case, _outcome_url(case, display.default_document(case))):
        return replay
    if case.status != Status.AWAITING_CORRECTION:
        return _wrong_status(request, case, NOT_AWAITING_CORRECTION)
    user = _user(request)
    notice = _notice_materials(case)
    refusal, status = "", 200
    if request.method == "POST":
        form = SupplementForm(request.POST, materials=notice)
        if form.is_valid():
            try:
                with transaction.atomic():
                    _lock(case)
                    case = services.case_supplement(
                        case=case,
                        actor=user,
                        lines=form.brought(),
                        idempotency_key=form.service_key(user.pk, "supplement"),
                    )
                    if form.cleaned_data["action"] == SupplementAction.SUPPLEMENT_AND_ACCEPT:
                        case = _accept_and_route(
                            case=case, actor=user, key=form.service_key(user.pk, "accept")
                        )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if case.status == Status.ACCEPTED or case.accepted_at:
                    return redirect(_outcome_url(case, "acceptance"))
                messages.success(request, SUPPLEMENTED)
                return redirect("window:review", number=case.number)
    else:
        form = SupplementForm(materials=notice)
    context = _case_context(request, case)
    context.update(form=form, refusal=refusal, correction_items=case.correction_items)
    return render(request, "window/supplement.html", context, status=status)


# ---------------------------------------------------------------- 即办件: decide and deliver


@window_page()
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, number: str) -> HttpResponse:
    """当场办结 of a 即办件; with 当场办结并出件 both services run in one transaction."""
    case = selectors.visible_case(request.user, number)
    _require_center_clerk(request, case)
    if replay := _replayed(request, case, _outcome_url(case, "completion")):
        return replay
    if not case.item.is_immediate:
        raise ActionForbidden(case_errors.IMMEDIATE_ONLY_AT_WINDOW)
    if case.status not in RUNNING:
        return _wrong_status(request, case, NOT_RUNNING)
    user = _user(request)
    refusal, status = "", 200
    if request.method == "POST":
        form = DecideForm(request.POST, item=case.item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    _lock(case)
                    case = services.case_decide(
                        case=case,
                        actor=user,
                        decision=data["decision"],
                        reason=data["reason"],
                        idempotency_key=form.service_key(user.pk, "decide"),
                    )
                    if data["action"] == DecideAction.DECIDE_AND_DELIVER:
                        case = services.case_close(
                            case=case,
                            actor=user,
                            delivery_method=data["delivery_method"],
                            delivery_note=data["delivery_note"],
                            idempotency_key=form.service_key(user.pk, "close"),
                        )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                if case.status == Status.DECIDED:
                    return redirect("window:deliver", number=case.number)
                return redirect(_outcome_url(case, "completion"))
    else:
        form = DecideForm(item=case.item)
    context = _case_context(request, case)
    context.update(form=form, refusal=refusal)
    return render(request, "window/decide.html", context, status=status)


@window_page()
@require_http_methods(["GET", "POST"])
def deliver(request: HttpRequest, number: str) -> HttpResponse:
    """出件 at the window for decided cases without a back-office delivery task."""
    case = selectors.visible_case(request.user, number)
    _require_center_clerk(request, case)
    if replay := _replayed(request, case, _outcome_url(case, "completion")):
        return replay
    if case.status != Status.DECIDED:
        return _wrong_status(request, case, NOT_DECIDED)
    context = _case_context(request, case)
    if not selectors.has_window_delivery(case):
        # The case's flow gives the window a delivery task; 出件 happens there.
        return render(request, "window/deliver_by_task.html", context)
    user = _user(request)
    late = selectors.is_late(case, timezone.now())
    refusal, status = "", 200
    if request.method == "POST":
        form = DeliverForm(request.POST, item=case.item, late=late)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    _lock(case)
                    case = services.case_close(
                        case=case,
                        actor=user,
                        delivery_method=data["delivery_method"],
                        delivery_note=data["delivery_note"],
                        overdue_reason=data.get("overdue_reason", ""),
                        overdue_reason_text=data.get("overdue_reason_text", ""),
                        idempotency_key=form.service_key(user.pk, "close"),
                    )
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                return redirect(_outcome_url(case, "completion"))
    else:
        form = DeliverForm(item=case.item, late=late)
    context.update(form=form, refusal=refusal, late=late)
    return render(request, "window/deliver.html", context, status=status)


# ---------------------------------------------------------------- withdraw


@window_page()
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回 with the applicant's reason; a running back-office flow is cancelled with it."""
    case = selectors.visible_case(request.user, number)
    _require_center_clerk(request, case)
    if replay := _replayed(request, case, _detail_url(case)):
        return replay
    if case.status not in (*BEFORE_ACCEPTANCE, *OPEN):
        return _wrong_status(request, case, NOT_WITHDRAWABLE)
    user = _user(request)
    refusal, status = "", 200
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    _lock(case)
                    case = services.case_withdraw(
                        case=case,
                        actor=user,
                        reason=form.cleaned_data["reason"],
                        idempotency_key=form.service_key(user.pk, "withdraw"),
                    )
                    # The department's open tasks end with the case, in the same transaction.
                    routing.cancel_department_flow(case=case)
            except ActionForbidden:
                raise
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            except FlowLockFailed:
                refusal, status = str(case_errors.LOCK_TIMEOUT), 409
            else:
                messages.success(request, WITHDRAWN)
                return redirect(_detail_url(case))
    else:
        form = WithdrawForm()
    context = _case_context(request, case)
    context.update(form=form, refusal=refusal)
    return render(request, "window/withdraw.html", context, status=status)


__all__ = [
    "case_detail",
    "choose_item",
    "decide",
    "deliver",
    "index",
    "intake",
    "outcome",
    "review",
    "supplement",
    "withdraw",
]


# ---------------------------------------------------------------- personal data (PIPL)


@window_page(clerk_only=False)
@require_http_methods(["POST"])
def reveal(request: HttpRequest, number: str) -> HttpResponse:
    """查看完整个人信息: one full ID number or phone, with a purpose, logged in the trail."""
    case = selectors.visible_case(request.user, number)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "window/revealed.html", {"case": case, "form": form}, status=400)
    field = form.cleaned_data["field"]
    try:
        value = services.case_reveal_personal_data(
            case=case,
            actor=cast("User", request.user),
            field=field,
            purpose=form.cleaned_data["purpose"],
        )
    except CaseError as exc:
        form.add_error(None, exc.message)
        return render(
            request, "window/revealed.html", {"case": case, "form": form}, status=exc.status_code
        )
    response = render(
        request,
        "window/revealed.html",
        {
            "case": case,
            "label": display.REVEAL_FIELD_LABELS[field],
            "value": value,
            "purpose": form.cleaned_data["purpose"],
        },
    )
    response["Cache-Control"] = "no-store"
    return response
