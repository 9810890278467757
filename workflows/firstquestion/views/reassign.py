"""改派首问责任人: a supervisor in scope hands a case to another first responder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from workflows.cases import services as case_services
from workflows.cases.errors import CaseError
from workflows.cases.models import Case
from workflows.cases.permissions import is_admin, is_supervisor_in_scope
from workflows.cases.selectors import cases_visible_to
from workflows.catalog.roles import display_name
from workflows.firstquestion.forms import (
    ReassignForm,
)
from workflows.firstquestion.views.common import (
    NOT_SUPERVISOR,
    REASSIGNED,
    user_of,
)
from workflows.web.case_action import case_action

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _visible_case(request: HttpRequest, number: str) -> Case:
    case = (
        cases_visible_to(
            request.user, Case.objects.select_related("center", "first_responder", "item")
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _may_reassign(user: User, case: Case) -> bool:
    return is_admin(user) or is_supervisor_in_scope(user, case)


@require_http_methods(["GET", "POST"])
@case_action(
    find=_visible_case,
    allowed=_may_reassign,
    forbidden=lambda case: PermissionDenied(NOT_SUPERVISOR),
)
def reassign(request: HttpRequest, case: Case) -> HttpResponse:
    """改派首问责任人: a supervisor of the case's center, with a reason, kept in the trail."""
    user = user_of(request)
    refusal, status = "", 200
    if request.method == "POST":
        form = ReassignForm(request.POST, exclude=case.first_responder_id, actor=user)
        if form.is_valid():
            old = display_name(case.first_responder)
            new_user = form.cleaned_data["new_first_responder"]
            try:
                with transaction.atomic():
                    case_services.case_reassign_first_responder(
                        case=case,
                        actor=user,
                        new_first_responder=new_user,
                        reason=form.cleaned_data["reason"],
                    )
            except CaseError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, REASSIGNED % {"old": old, "new": display_name(new_user)})
                return redirect("window:case_detail", number=case.number)
    else:
        form = ReassignForm(exclude=case.first_responder_id, actor=user)
    history = case.events.filter(action="reassign_first_responder").select_related("actor")
    return render(
        request,
        "firstquestion/reassign.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "current": display_name(case.first_responder),
            "history": [
                {
                    "at": e.created_at,
                    "actor": display_name(e.actor),
                    "old": e.payload.get("from_name", ""),
                    "new": e.payload.get("to_name", ""),
                    "reason": e.payload.get("reason", ""),
                }
                for e in history.order_by("seq")
            ],
        },
        status=status,
    )
