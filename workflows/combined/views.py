"""一件事 at the window: pick a bundle, enter the applicant once, tick materials, accept."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents.selectors import latest_document
from forms.applicant import PersonApplicantForm
from workflows.cases.errors import CaseError
from workflows.cases.models import Case, Status
from workflows.cases.selectors import case_visible_to, cases_visible_to
from workflows.cases.services import Party
from workflows.catalog.roles import CLERK, has_role, profile_of
from workflows.combined import errors, selectors, services
from workflows.combined.forms import DeceasedForm, PartsForm, SupplementForm
from workflows.combined.models import Bundle
from workflows.tasks.views import case_detail_url

ONLY_CLERKS = gettext_lazy("只有窗口受理员可以受理“一件事”。")
PROBLEM_MAX = 200


def _clerk_center(request: HttpRequest) -> Any:
    profile = profile_of(request.user)
    if not has_role(request.user, CLERK) or profile is None or profile.center is None:
        raise PermissionDenied(ONLY_CLERKS)
    return profile.center


def _bundles_for(request: HttpRequest) -> list[dict[str, Any]]:
    parents = (
        cases_visible_to(request.user, Case.objects.filter(item__bundle__isnull=False))
        .select_related("item", "center")
        .order_by("-received_at")[:50]
    )
    return [{"case": p, "children": list(p.children.all())} for p in parents]


def index(request: HttpRequest) -> HttpResponse:
    """一件事: the bundles a clerk can accept and the recent bundle cases in view."""
    bundles = Bundle.objects.filter(is_active=True).select_related("item", "item__department")
    return render(
        request,
        "combined/index.html",
        {
            "bundles": [{"bundle": b, "parts": selectors.bundle_parts(b)} for b in bundles],
            "can_accept": has_role(request.user, CLERK),
            "recent": _bundles_for(request),
        },
    )


def intake(request: HttpRequest, code: str) -> HttpResponse:
    """一次受理: the applicant once, the union of materials, then every sub-case accepted."""
    center = _clerk_center(request)
    bundle = get_object_or_404(
        Bundle.objects.select_related("item", "item__department"), item__code=code, is_active=True
    )
    data = request.POST if request.method == "POST" else None
    applicant_form = PersonApplicantForm(data, prefix="applicant", label_suffix="")
    parts_form = PartsForm(data, bundle=bundle, prefix="bundle")
    deceased_form = (
        DeceasedForm(data, prefix="deceased", label_suffix="") if bundle.needs_deceased else None
    )
    status = 200
    rejecting = parts_form.is_valid() and parts_form.cleaned_data["outcome"] == "reject"
    deceased_ok = deceased_form is None or rejecting or deceased_form.is_valid()
    if data is not None and applicant_form.is_valid() and parts_form.is_valid() and deceased_ok:
        a = applicant_form.cleaned_data
        if rejecting:
            return _reject(request, bundle, center, applicant_form, parts_form)
        try:
            if parts_form.cleaned_data["outcome"] == "correct":
                return _notify(request, bundle, center, applicant_form, parts_form, deceased_form)
            parent = services.bundle_receive(
                bundle=bundle,
                center=center,
                actor=cast(User, request.user),
                applicant=Party(
                    name=a["name"],
                    id_type=a["id_type"],
                    id_number=a["id_number"],
                    phone=a["phone"],
                    address=a["address"],
                ),
                item_ids=[int(i) for i in parts_form.cleaned_data["parts"]],
                received=set(parts_form.cleaned_data["materials"]),
                deceased=deceased_form.person() if deceased_form is not None else None,
                idempotency_key=f"bundle:{parts_form.cleaned_data['token']}",
            )
        except CaseError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            parts_form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("“%(name)s”已受理，主件编号 %(number)s，已分送 %(count)d 个部门子件。")
                % {"name": bundle.name, "number": parent.number, "count": parent.children.count()},
            )
            return redirect("combined:progress", number=parent.number)
    elif data is not None:
        status = 400
    problems = _problems(request, parts_form) if data is not None else {}
    union = [
        {
            "choice": m,
            "checkbox": _checkbox(parts_form, m.key),
            "problem": problems.get(m.name, ""),
        }
        for m in parts_form.union
    ]
    return render(
        request,
        "combined/intake.html",
        {
            "bundle": bundle,
            "center": center,
            "applicant_form": applicant_form,
            "parts_form": parts_form,
            "deceased_form": deceased_form,
            "parts": [
                {"part": p, "checkbox": _checkbox(parts_form, str(p.item_id), "parts")}
                for p in parts_form.part_rows
            ],
            "union": union,
        },
        status=status,
    )


def _party(applicant_form: PersonApplicantForm) -> Party:
    a = applicant_form.cleaned_data
    return Party(
        name=a["name"],
        id_type=a["id_type"],
        id_number=a["id_number"],
        phone=a["phone"],
        address=a["address"],
    )


def _reject(
    request: HttpRequest,
    bundle: Bundle,
    center: Any,
    applicant_form: PersonApplicantForm,
    parts_form: PartsForm,
) -> HttpResponse:
    """不予受理 the whole 一件事, then show its 不予受理决定书 (as a single item's intake does)."""
    data = parts_form.cleaned_data
    parent = services.bundle_reject(
        bundle=bundle,
        center=center,
        actor=cast(User, request.user),
        applicant=_party(applicant_form),
        item_ids=[int(i) for i in data["parts"]],
        received=set(data["materials"]),
        reason=data["rejection_reason"].strip(),
        competent_organ=data["competent_organ"].strip() if data["outside_competence"] else "",
        idempotency_key=f"bundle:{data['token']}",
    )
    url = reverse("window:outcome", kwargs={"number": parent.number})
    return redirect(f"{url}?doc=rejection")


def _problems(request: HttpRequest, parts_form: PartsForm) -> dict[str, str]:
    """The clerk's 补正要求 per material line of the union (blank: the default wording)."""
    return {
        m.name: request.POST.get(f"bundle-problem-{i}", "").strip()[:PROBLEM_MAX]
        for i, m in enumerate(parts_form.union)
    }


def _notify(
    request: HttpRequest,
    bundle: Bundle,
    center: Any,
    applicant_form: PersonApplicantForm,
    parts_form: PartsForm,
    deceased_form: DeceasedForm | None,
) -> HttpResponse:
    """一次性告知: receive the bundle and issue its one 补正告知书 (a refusal is raised)."""
    data = parts_form.cleaned_data
    parent = services.bundle_receive_for_correction(
        bundle=bundle,
        center=center,
        actor=cast(User, request.user),
        applicant=_party(applicant_form),
        item_ids=[int(i) for i in data["parts"]],
        received=set(data["materials"]),
        problems=_problems(request, parts_form),
        deceased=deceased_form.person() if deceased_form is not None else None,
        idempotency_key=f"bundle:{data['token']}",
    )
    messages.success(
        request,
        _("已出具补正材料通知书（一次性告知），主件编号 %(number)s。") % {"number": parent.number},
    )
    return redirect("combined:progress", number=parent.number)


def _checkbox(form: PartsForm, value: str, field: str = "materials") -> Any:
    for widget in form[field]:
        if str(widget.data["value"]) == value:
            return widget
    return None


def progress(request: HttpRequest, number: str) -> HttpResponse:
    """一件事办理进度: the parent case and each sub-case with its current step."""
    parent = get_object_or_404(Case.objects.select_related("item", "center"), number=number)
    if not parent.children.exists():
        raise Http404(_("%(number)s 不是“一件事”主件。") % {"number": number})
    children = list(parent.children.all())
    if not (
        case_visible_to(request.user, parent)
        or any(case_visible_to(request.user, c) for c in children)
    ):
        raise PermissionDenied(_("您不能查看该办件。"))
    rows = selectors.bundle_progress(parent)
    done = sum(1 for r in rows if r["case"].status in selectors.CHILD_DONE)
    parent_task = selectors.parent_open_task(parent)
    return render(
        request,
        "combined/progress.html",
        {
            "parent": parent,
            "rows": [{**r, "url": case_detail_url(r["case"])} for r in rows],
            "done": done,
            "total": len(rows),
            "parent_url": case_detail_url(parent),
            "parent_task": parent_task,
            "deceased": selectors.deceased_of(parent),
            "notice": latest_document(parent.pk, "correction")
            if parent.status == Status.AWAITING_CORRECTION
            else None,
            "can_supplement": parent.status == Status.AWAITING_CORRECTION
            and has_role(request.user, CLERK),
            "can_accept": parent.status == Status.RECEIVED and has_role(request.user, CLERK),
            "token": uuid.uuid4().hex,
        },
    )


# ---------------------------------------------------------------- 补正 and 受理 after the notice


def _bundle_parent(request: HttpRequest, number: str) -> Case:
    """The main case of a 一件事 that the clerk's center received (404 / 403 otherwise)."""
    center = _clerk_center(request)
    parent = get_object_or_404(Case.objects.select_related("item", "center"), number=number)
    if not parent.children.exists():
        raise Http404(_("%(number)s 不是“一件事”主件。") % {"number": number})
    if parent.center_id != center.pk:
        raise PermissionDenied(_("您不能办理该办件。"))
    return parent


def supplement(request: HttpRequest, number: str) -> HttpResponse:
    """补正 for the whole bundle: tick what was brought; accept in the same step if complete."""
    parent = _bundle_parent(request, number)
    if parent.status != Status.AWAITING_CORRECTION:
        messages.warning(
            request,
            errors.NOT_AWAITING_CORRECTION % {"status": parent.get_status_display()},
        )
        return redirect("combined:progress", number=parent.number)
    lines = selectors.notice_lines(parent)
    form = SupplementForm(request.POST or None, lines=lines, prefix="s")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actor = cast(User, request.user)
            key = f"bundle-supplement:{data['token']}"
            try:
                with transaction.atomic():
                    parent = services.bundle_supplement(
                        parent=parent, actor=actor, brought=data["brought"], idempotency_key=key
                    )
                    if data["action"] == "accept":
                        parent = services.bundle_accept(
                            parent=parent, actor=actor, idempotency_key=f"{key}:accept"
                        )
            except CaseError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("已登记补正并受理，已分送各部门子件。")
                    if parent.status == Status.ACCEPTED
                    else _("已登记补正材料。"),
                )
                return redirect("combined:progress", number=parent.number)
        else:
            status = 400
    return render(
        request,
        "combined/supplement.html",
        {
            "parent": parent,
            "form": form,
            "rows": [
                {"line": line, "checkbox": _option(form, "brought", line["name"])} for line in lines
            ],
        },
        status=status,
    )


@require_POST
def accept(request: HttpRequest, number: str) -> HttpResponse:
    """受理 a received bundle (after a supplement registered on its own)."""
    parent = _bundle_parent(request, number)
    token = request.POST.get("token", "")[:64]
    try:
        parent = services.bundle_accept(
            parent=parent,
            actor=cast(User, request.user),
            idempotency_key=f"bundle-accept:{token}" if token else None,
        )
    except CaseError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
        return redirect("combined:progress", number=parent.number)
    messages.success(request, _("已受理，已分送各部门子件。"))
    return redirect("combined:progress", number=parent.number)


def _option(form: forms.Form, field: str, value: str) -> Any:
    for widget in form[field]:
        if str(widget.data["value"]) == value:
            return widget
    return None
