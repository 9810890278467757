"""The officers' and clerks' workbench: queues, inbox, archive and the task page.

Thin views over ``workflows.tasks.selectors`` (row-level, in SQL) and
``workflows.tasks.services`` (claim / release / complete under the flow lock).
viewflow's own FlowAppViewset pages are not mounted: they show every process
of a flow to anyone holding its view permission.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.selectors import case_documents
from workflows.cases import services as case_services
from workflows.cases.errors import FOUR_EYES_EXTENSION, CaseError
from workflows.cases.models import OPEN, Case, Extension, Status, Suspension
from workflows.cases.permissions import is_admin, is_department_staff
from workflows.catalog.roles import CLERK, HEAD, OFFICER, has_role
from workflows.tasks import selectors, services
from workflows.tasks.errors import StepInvalid, TaskError
from workflows.tasks.models import DEPARTMENT_PERMISSIONS
from workflows.tasks.steps import StepForm

PAGE_SIZE = 50

LISTS: dict[str, dict[str, Any]] = {
    "queue": {
        "title": gettext_lazy("待领取"),
        "empty": gettext_lazy("暂无待领取的任务。"),
        "selector": selectors.queue_for,
    },
    "inbox": {
        "title": gettext_lazy("我的待办"),
        "empty": gettext_lazy("您的待办已全部办理。"),
        "selector": selectors.inbox_for,
    },
    "archive": {
        "title": gettext_lazy("已办"),
        "empty": gettext_lazy("还没有已办任务。"),
        "selector": selectors.archive_for,
    },
    "delivery": {
        "title": gettext_lazy("待出件"),
        "empty": gettext_lazy("本中心暂无待出件的办件。"),
        "selector": selectors.delivery_for,
    },
    "open": {
        "title": gettext_lazy("在办任务"),
        "empty": gettext_lazy("辖区内暂无在办任务。"),
        "selector": selectors.open_tasks_for,
    },
}


def case_detail_url(case: Case) -> str:
    """The window's case page (workflows/window)."""
    return reverse("window:case_detail", kwargs={"number": case.number})


def bundle_url(case: Case) -> str:
    """The 一件事 progress page of a bundle parent (or of a child's parent)."""
    parent = case if case.parent_id is None else case.parent
    if parent is None or not parent.children.exists():
        return ""
    return reverse("combined:progress", kwargs={"number": parent.number})


def _task_list(request: HttpRequest, name: str) -> HttpResponse:
    spec = LISTS[name]
    queryset: QuerySet[Task] = spec["selector"](request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/list.html",
        {
            "list_name": name,
            "title": spec["title"],
            "empty": spec["empty"],
            "page": page,
            "rows": [{"task": t, "case": t.process.caseprocess.case} for t in page.object_list],
        },
    )


def index(request: HttpRequest) -> HttpResponse:
    """The workbench entry: clerks to 待出件, department staff to 我的待办 or 待领取."""
    user = request.user
    if has_role(user, OFFICER, HEAD):
        return redirect("tasks:inbox" if selectors.inbox_for(user).exists() else "tasks:queue")
    if has_role(user, CLERK):
        return redirect("tasks:delivery")
    return redirect("tasks:open")


def queue(request: HttpRequest) -> HttpResponse:
    """待领取."""
    return _task_list(request, "queue")


def inbox(request: HttpRequest) -> HttpResponse:
    """我的待办."""
    return _task_list(request, "inbox")


def archive(request: HttpRequest) -> HttpResponse:
    """已办."""
    return _task_list(request, "archive")


def delivery(request: HttpRequest) -> HttpResponse:
    """待出件 (window clerks of the center)."""
    return _task_list(request, "delivery")


def open_tasks(request: HttpRequest) -> HttpResponse:
    """在办: every open task in the user's scope (heads, supervisors)."""
    return _task_list(request, "open")


def _get_task(request: HttpRequest, task_id: int, *, with_case: bool = True) -> Task:
    # A claim or a completion re-reads the task under the flow lock, which drops every
    # related row read here (Model.refresh_from_db): those read the task alone.
    tasks = selectors.human_tasks()
    task = get_object_or_404(tasks if with_case else tasks.select_related(None), pk=task_id)
    services.require_scope(request.user, task)
    return task


def _history(task: Task) -> list[dict[str, Any]]:
    rows = []
    for step in selectors.process_tasks(task):
        rows.append(
            {
                "title": step.flow_task.task_title if step.flow_task else "",
                "status": step.get_status_display(),
                "done": step.status == STATUS.DONE,
                "owner": services.display_name(step.owner) if step.owner else "",
                "finished": step.finished,
                "created": step.created,
                "outcome": step.data.get("outcome_label", ""),
                "opinion": step.data.get("opinion", ""),
                "released": step.data.get("released", []),
                "current": step.pk == task.pk,
            }
        )
    return rows


def _render_task(
    request: HttpRequest, task: Task, form: StepForm | None = None, status: int = 200
) -> HttpResponse:
    case = selectors.case_of_task(task)
    user = request.user
    step = selectors.step_of(task)
    activation = task.flow_task.activation_class(task)
    is_owner = task.owner_id == user.pk and task.status == STATUS.ASSIGNED
    can_claim = task.status == STATUS.NEW and task.flow_task.can_assign(user, task)
    can_work = is_owner or (can_claim and step.claim_on_complete)
    if form is None and can_work:
        form = selectors.task_form(task)
    department_task = task.owner_permission in DEPARTMENT_PERMISSIONS
    extension = case.extensions.order_by("-requested_at").first()
    may_order_special = (
        department_task
        and task.status in (STATUS.NEW, STATUS.ASSIGNED)
        and (is_owner or is_department_staff(user, case, head=True))
    )
    context = {
        "task": task,
        "case": case,
        "step": step,
        "title": task.flow_task.task_title,
        "description": task.flow_task.task_description,
        "flow_title": task.flow_task.flow_class.process_title,
        "history": _history(task),
        "form": form if can_work else None,
        "step_context": step.context(activation, case) if can_work else {},
        "can_claim": can_claim,
        "is_owner": is_owner,
        "can_release": task.status == STATUS.ASSIGNED and task.flow_task.can_unassign(user, task),
        "owner_name": services.display_name(task.owner) if task.owner else "",
        "case_url": case_detail_url(case),
        "bundle_url": bundle_url(case),
        "extension": extension,
        "max_extension_days": int(case.item_snapshot.get("max_extension_days", 0) or 0),
        "can_request_extension": department_task
        and is_owner
        and int(case.item_snapshot.get("max_extension_days", 0) or 0) > 0
        and case.status in OPEN
        and extension is None
        and is_department_staff(user, case),
        "is_closed": task.status not in (STATUS.NEW, STATUS.ASSIGNED),
        "materials": list(case.materials.order_by("position")),
        "documents": list(case_documents(case.pk)),
        **_special_procedure_context(case, may_order_special),
    }
    return render(request, "tasks/task.html", context, status=status)


def _special_procedure_context(case: Case, may_act: bool) -> dict[str, Any]:
    """The running special procedure (with its expected end) and what the user may do."""
    running = case.suspensions.filter(ended_at__isnull=True).first()
    expected_end = None
    if running is not None:
        try:
            expected_end = case_services.suspension_expected_end(running)
        except ValueError:  # beyond the calendar's range: no end date shown
            expected_end = None
    return {
        "special": running,
        "special_expected_end": expected_end,
        "special_procedures": Suspension.Procedure.choices,
        "can_suspend": may_act and case.status == Status.IN_PROGRESS,
        "can_resume": may_act and case.status == Status.SUSPENDED and running is not None,
    }


def _refused(request: HttpRequest, exc: CaseError, to: str, **kwargs: Any) -> HttpResponse:
    """A refused action: back to ``to`` with the refusal's words; a forbidden one stays a 403."""
    if isinstance(exc, PermissionDenied):
        raise exc
    messages.error(request, exc.message)
    return redirect(to, **kwargs)


def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """The task page: GET shows it; POST completes the step with its form."""
    if request.method != "POST":
        return _render_task(request, _get_task(request, task_id))
    task = _get_task(request, task_id, with_case=False)
    try:
        services.task_complete(task=task, user=request.user, data=request.POST)
    except StepInvalid as exc:
        task.refresh_from_db()
        return _render_task(request, task, form=exc.form, status=400)
    except TaskError as exc:
        messages.error(request, exc.message)
        return redirect("tasks:task", task_id=task.pk)
    except CaseError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        task.refresh_from_db()
        form = selectors.task_form(task, request.POST)
        form.is_valid()
        form.add_error(None, exc.message)
        return _render_task(request, task, form=form, status=exc.status_code)
    messages.success(request, _("“%(title)s”已办理完毕。") % {"title": task.flow_task.task_title})
    return _after_completion(request, task)


def _after_completion(request: HttpRequest, task: Task) -> HttpResponseRedirect:
    # The same person often holds the next step (auto-assigned): go straight to it.
    following = (
        selectors.inbox_for(request.user)
        .filter(process_id=task.process_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        return redirect("tasks:task", task_id=following)
    if has_role(request.user, CLERK) and not has_role(request.user, OFFICER, HEAD):
        return redirect("tasks:delivery")
    return redirect("tasks:inbox")


@require_POST
def task_claim(request: HttpRequest, task_id: int) -> HttpResponse:
    """领取."""
    task = _get_task(request, task_id, with_case=False)
    try:
        services.task_claim(task=task, user=request.user)
    except TaskError as exc:
        messages.error(request, exc.message)
        return redirect("tasks:task", task_id=task.pk)
    except CaseError as exc:
        return _refused(request, exc, "tasks:task", task_id=task.pk)
    messages.success(request, _("已领取，请办理。"))
    return redirect("tasks:task", task_id=task.pk)


@require_POST
def task_release(request: HttpRequest, task_id: int) -> HttpResponse:
    """退回待领取 (with a reason)."""
    task = _get_task(request, task_id)
    try:
        services.task_release(task=task, user=request.user, reason=request.POST.get("reason", ""))
    except CaseError as exc:
        return _refused(request, exc, "tasks:task", task_id=task.pk)
    messages.success(request, _("任务已退回待领取队列。"))
    return redirect("tasks:inbox")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@require_POST
def request_extension(request: HttpRequest, task_id: int) -> HttpResponse:
    """申请延期 from the task page (once per case; the head approves)."""
    task = _get_task(request, task_id)
    if task.owner_id != request.user.pk:
        raise PermissionDenied(_("只有任务领取人可以为本件申请延期。"))
    case = selectors.case_of_task(task)
    try:
        extension = case_services.case_request_extension(
            case=case,
            actor=cast(User, request.user),
            days=_int(request.POST.get("days")),
            reason=request.POST.get("reason", ""),
        )
    except CaseError as exc:
        return _refused(request, exc, "tasks:task", task_id=task.pk)
    if extension.state == Extension.State.APPROVED:
        messages.success(request, _("已延期 %(days)d 个工作日。") % {"days": extension.days})
    else:
        messages.success(request, _("延期申请已提交，待部门负责人审批。"))
    return redirect("tasks:task", task_id=task.pk)


def extensions(request: HttpRequest) -> HttpResponse:
    """延期审批: requests waiting for this department head."""
    if not has_role(request.user, HEAD) and not is_admin(request.user):
        raise PermissionDenied(_("只有部门负责人可以审批延期。"))
    pending = selectors.pending_extensions_for(request.user)
    rows = [{"extension": e, "case_url": case_detail_url(e.case)} for e in pending]
    # A head's own requests are not his to decide (four eyes): say so, with the cases.
    own = list(
        Extension.objects.filter(requested_by_id=request.user.pk, state=Extension.State.REQUESTED)
        .select_related("case")
        .order_by("requested_at")
    )
    context = {"rows": rows, "own": own, "own_message": FOUR_EYES_EXTENSION}
    return render(request, "tasks/extensions.html", context)


@require_POST
def decide_extension(request: HttpRequest, extension_id: int) -> HttpResponse:
    """Approve or refuse one extension request (case_decide_extension checks the head)."""
    extension = get_object_or_404(selectors.pending_extensions_for(request.user), pk=extension_id)
    approve = request.POST.get("approve") == "1"
    try:
        case_services.case_decide_extension(
            case=extension.case,
            actor=cast(User, request.user),
            approve=approve,
            note=request.POST.get("note", ""),
        )
    except CaseError as exc:
        return _refused(request, exc, "tasks:extensions")
    if approve:
        messages.success(request, _("已批准 %(number)s 延期。") % {"number": extension.case.number})
    else:
        messages.success(
            request, _("已不予批准 %(number)s 延期。") % {"number": extension.case.number}
        )
    return redirect("tasks:extensions")


@require_POST
def special_procedure(request: HttpRequest, task_id: int) -> HttpResponse:
    """特别程序 (第四十五条): the case's officer pauses the clock; the applicant gets the notice."""
    task = _get_task(request, task_id)
    case = selectors.case_of_task(task)
    try:
        case_services.case_suspend(
            case=case,
            actor=cast(User, request.user),
            procedure=request.POST.get("procedure", ""),
            expected_days=_int(request.POST.get("expected_days")),
            reason=request.POST.get("reason", ""),
        )
    except CaseError as exc:
        return _refused(request, exc, "tasks:task", task_id=task.pk)
    messages.success(request, _("本件已进入特别程序，暂停计时；特别程序告知书已出具。"))
    return redirect("tasks:task", task_id=task.pk)


@require_POST
def special_procedure_end(request: HttpRequest, task_id: int) -> HttpResponse:
    """特别程序结束: the officer ends the pause; the clock runs again."""
    task = _get_task(request, task_id)
    case = selectors.case_of_task(task)
    try:
        case_services.case_resume(case=case, actor=cast(User, request.user))
    except CaseError as exc:
        return _refused(request, exc, "tasks:task", task_id=task.pk)
    messages.success(request, _("特别程序已结束，恢复计时。"))
    return redirect("tasks:task", task_id=task.pk)
