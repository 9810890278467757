"""Supervisors' pages: the hall's statistics (page and CSV) and a center's hours."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from documents import masking
from workflows.catalog.roles import profile_of
from workflows.hall import errors, selectors, services
from workflows.hall.forms import ClosureForm, PeriodForm, RotaForm
from workflows.hall.models import Counter
from workflows.hall.views import base

NOT_A_SUPERVISOR = gettext_lazy("只有效能督查员可以查看大厅统计。")


def _stats_context(request: HttpRequest) -> dict[str, Any]:
    centers = selectors.stats_centers(request.user)
    if not centers.exists():
        raise PermissionDenied(NOT_A_SUPERVISOR)
    center = centers.filter(code=request.GET.get("center", "")).first()
    if center is None:
        profile = profile_of(request.user)
        own = profile.center if profile else None
        center = own if own is not None and centers.filter(pk=own.pk).exists() else centers.first()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = base.today()
    if center is None:
        raise PermissionDenied(NOT_A_SUPERVISOR)
    no_shows = selectors.repeated_no_shows(center, since=day - timedelta(days=90))
    return {
        "centers": centers,
        "center": center,
        "day": day,
        "stats": selectors.day_stats(center, day),
        "no_shows": [
            {
                "id": masking.mask_id_number(row["id_number"], masking.Audience.SCREEN),
                "count": row["n"],
            }
            for row in no_shows
        ],
    }


@require_http_methods(["GET"])
def stats(request: HttpRequest) -> HttpResponse:
    """大厅统计 per center and day."""
    try:
        context = _stats_context(request)
    except PermissionDenied as exc:
        return render(request, "window/forbidden.html", {"message": str(exc)}, status=403)
    return render(request, "hall/stats.html", context)


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@require_http_methods(["GET"])
def stats_export(request: HttpRequest) -> HttpResponse:
    """The day's statistics as CSV: per counter and hour, the day's summary, repeated no-shows."""
    try:
        context = _stats_context(request)
    except PermissionDenied as exc:
        return render(request, "window/forbidden.html", {"message": str(exc)}, status=403)
    day_stats = context["stats"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"hall-{context['center'].code}-{context['day']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("分组"),
            _("名称"),
            _("取号数"),
            _("预约"),
            _("现场"),
            _("优先"),
            _("平均等候（分钟）"),
            _("90% 等候（分钟）"),
            _("平均办理（分钟）"),
            _("90% 办理（分钟）"),
        ]
    )
    groups = [(_("合计"), [day_stats.total]), (_("窗口组"), day_stats.by_counter)]
    groups.append((_("时段"), day_stats.by_hour))
    for group, rows in groups:
        for row in rows:
            writer.writerow(
                [
                    group,
                    row.label,
                    row.tickets,
                    row.booked,
                    row.walk_in,
                    row.priority,
                    _minutes(row.wait_avg),
                    _minutes(row.wait_p90),
                    _minutes(row.service_avg),
                    _minutes(row.service_p90),
                ]
            )
    summary = _("汇总")
    writer.writerow([summary, _("当日预约"), day_stats.bookings])
    writer.writerow([summary, _("爽约"), day_stats.no_shows])
    writer.writerow([summary, _("延时服务取号"), day_stats.by_period.get("extended", 0)])
    writer.writerow([summary, _("节假日轮岗取号"), day_stats.by_period.get("rota", 0)])
    for row in context["no_shows"]:
        writer.writerow([_("多次爽约（近 90 天）"), row["id"], row["count"]])
    return response


HOURS_SAVED = gettext_lazy("已保存。")
HOURS_FORMS = {"period": PeriodForm, "rota": RotaForm, "closure": ClosureForm}


@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    """办公时间, 延时服务, 节假日轮岗 and closures of a center, for supervisors and admins."""
    centers = selectors.stats_centers(request.user)
    center = centers.filter(code=request.GET.get("center", "")).first() or centers.first()
    if center is None:
        return render(
            request, "window/forbidden.html", {"message": str(NOT_A_SUPERVISOR)}, status=403
        )
    bound = request.POST.get("kind", "") if request.method == "POST" else ""
    forms_by_kind = {
        kind: form_class(request.POST if kind == bound else None, prefix=kind)
        for kind, form_class in HOURS_FORMS.items()
    }
    forms_by_kind["period"].fields["counter"].queryset = Counter.objects.filter(center=center)  # type: ignore[attr-defined]
    forms_by_kind["rota"].fields["staff"].queryset = (  # type: ignore[attr-defined]
        forms_by_kind["rota"].fields["staff"].queryset.filter(staff__center=center)  # type: ignore[attr-defined]
    )
    refusal = ""
    status = 200
    if request.method == "POST":
        target = f"{reverse('hall:hours')}?center={center.code}"
        form = forms_by_kind.get(bound)
        if remove := request.POST.get("remove", ""):
            try:
                services.hours_remove(center=center, kind=bound, pk=remove)
            except errors.HallError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, HOURS_SAVED)
                return redirect(target)
        elif form is not None and form.is_valid():
            try:
                services.hours_add(center=center, form=form)
            except errors.HallError as exc:
                refusal, status = exc.message, exc.status_code
            else:
                messages.success(request, HOURS_SAVED)
                return redirect(target)
        else:
            status = 400
    today = base.today()
    return render(
        request,
        "hall/hours.html",
        {
            "centers": centers,
            "center": center,
            "forms": forms_by_kind,
            "refusal": refusal,
            "periods": center.hall_hours.select_related("counter"),
            "rota": center.hall_rota.filter(date__gte=today).prefetch_related("staff"),
            "closures": center.hall_closures.filter(date__gte=today),
        },
        status=status,
    )
