"""一件事 at the window: pick a bundle, enter the applicant once, tick materials, accept."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.applicant import PersonApplicantForm
from workflows.cases.errors import CaseError
from workflows.cases.models import Case
from workflows.cases.selectors import case_visible_to, cases_visible_to
from workflows.cases.services import Party
from workflows.catalog.roles import CLERK, has_role, profile_of
from workflows.combined import services
from workflows.combined.models import Bundle
from workflows.tasks.flowkit import CHILD_DONE
from workflows.tasks.views import case_detail_url

ONLY_CLERKS = gettext_lazy("只有窗口受理员可以受理“一件事”。")


class PartsForm(forms.Form):
    """Which sub-items the applicant asks for, and which materials were received."""

    parts = forms.MultipleChoiceField(
        label=gettext_lazy("申请的子项"), widget=forms.CheckboxSelectMultiple
    )
    materials = forms.MultipleChoiceField(
        label=gettext_lazy("已收材料"), widget=forms.CheckboxSelectMultiple, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, bundle: Bundle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bundle = bundle
        self.part_rows = services.bundle_parts(bundle)
        self.union = services.union_checklist(bundle)
        parts = cast(forms.MultipleChoiceField, self.fields["parts"])
        parts.choices = [(str(p.item_id), p.item.name) for p in self.part_rows]
        materials = cast(forms.MultipleChoiceField, self.fields["materials"])
        materials.choices = [(m.key, m.name) for m in self.union]
        if not self.is_bound:
            self.initial.setdefault("parts", [str(p.item_id) for p in self.part_rows])
            self.initial.setdefault("token", uuid.uuid4().hex)


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
            "bundles": [{"bundle": b, "parts": services.bundle_parts(b)} for b in bundles],
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
    status = 200
    if data is not None and applicant_form.is_valid() and parts_form.is_valid():
        a = applicant_form.cleaned_data
        try:
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
    union = [{"choice": m, "checkbox": _checkbox(parts_form, m.key)} for m in parts_form.union]
    return render(
        request,
        "combined/intake.html",
        {
            "bundle": bundle,
            "center": center,
            "applicant_form": applicant_form,
            "parts_form": parts_form,
            "parts": [
                {"part": p, "checkbox": _checkbox(parts_form, str(p.item_id), "parts")}
                for p in parts_form.part_rows
            ],
            "union": union,
        },
        status=status,
    )


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
    rows = services.bundle_progress(parent)
    done = sum(1 for r in rows if r["case"].status in CHILD_DONE)
    parent_task = services.parent_open_task(parent)
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
        },
    )
