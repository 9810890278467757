"""整改 of a 差评: opened with its clocks, then 回访, 核实整改 or 说明, and 反馈."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.notifications.models import OutboxMessage
from workflows.notifications.services import Message, notify
from workflows.rating import errors
from workflows.rating.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.rating.models import (
    Channel,
    Level,
    Rating,
    Rectification,
)
from workflows.rating.services._base import User, _event, _now, _required, setting
from workflows.rating.services.invitations import rating_url
from workflows.rating.services.records import _push_rectification
from workflows.rating.services.rows import rectification_row

NOTIFICATION_KIND = "rating"


def heads_of(department_id: int) -> list[int]:
    """Active heads of a department."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=HEAD, staff__department_id=department_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _rectification_url(rectification: Rectification) -> str:
    return reverse("rating:rectification", args=[rectification.pk])


def rectification_open(*, rating: Rating, now: datetime | None = None) -> Rectification:
    """A 差评 opens its 整改, assigned to the department's heads and the first responder."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rectification_open runs inside rating_submit's transaction")
    at = _now(now)
    rectification = rectification_row(rating=rating, at=at)
    rectification.save(force_insert=True)
    _event(
        rating.invitation,
        "open_rectification",
        actor=None,
        at=at,
        rating=rating,
        rectification=rectification,
    )
    case = rating.case
    title = _("【差评待整改】%(number)s %(item)s：%(level)s") % {
        "number": case.number,
        "item": case.item.name,
        "level": Level(rating.level).label,
    }
    body = _("请于%(due)s前回访申请人，并在%(rectify)s前完成核实整改或解释说明。") % {
        "due": timezone.localtime(rectification.call_back_due_at).strftime("%Y-%m-%d"),
        "rectify": timezone.localtime(rectification.rectify_due_at).strftime("%Y-%m-%d"),
    }
    people = dict.fromkeys([*heads_of(rating.department_id), rating.first_responder_id])
    notify(
        Message(
            recipient_id=user_id,
            kind=NOTIFICATION_KIND,
            title=title[:200],
            body=body,
            url=_rectification_url(rectification),
            dedupe_key=f"rating:rectification:{rectification.pk}:open",
            case_id=case.pk,
        )
        for user_id in people
    )
    return rectification


def is_assignee(actor: User | None, rectification: Rectification) -> bool:
    """A head of the handling department, the case's first responder, or an admin."""
    if actor is None:
        return False
    if is_admin(actor) or actor.pk == rectification.first_responder_id:
        return True
    profile = profile_of(actor)
    return (
        has_role(actor, HEAD)
        and profile is not None
        and profile.department_id == rectification.department_id
    )


def _lock(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating__invitation", "case__center", "case__item", "department")
        .get(pk=rectification.pk)
    )


def _require_step(rectification: Rectification, state: str, action: str) -> None:
    if rectification.state != state:
        raise TransitionRefused(
            errors.WRONG_STEP
            % {"state": Rectification.State(rectification.state).label, "action": action}
        )


def _require_assignee(actor: User | None, rectification: Rectification) -> None:
    if not is_assignee(actor, rectification):
        raise ActionForbidden(errors.NOT_ASSIGNED % {"department": rectification.department.name})


@transaction.atomic
def rectification_call_back(
    *, rectification: Rectification, actor: User, note: str, now: datetime | None = None
) -> Rectification:
    """回访: the applicant was called back; what they said."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.CALL_BACK, _("回访"))
    r.call_back_note = _required(note, _("回访记录"))
    r.called_back_at, r.called_back_by_id, r.state = at, actor.pk, Rectification.State.RECTIFY
    r.save(update_fields=["call_back_note", "called_back_at", "called_back_by", "state"])
    _event(r.rating.invitation, "call_back", actor=actor, at=at, rating=r.rating, rectification=r)
    return r


@transaction.atomic
def rectification_resolve(
    *,
    rectification: Rectification,
    actor: User,
    finding: str,
    resolution: str,
    text: str,
    now: datetime | None = None,
) -> Rectification:
    """核实, then 整改 (rectified) or 说明 (explained)."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.RECTIFY, _("核实整改"))
    if resolution not in Rectification.Resolution.values:
        raise InvalidRequest(errors.RESOLUTION_INVALID)
    r.finding = _required(finding, _("核实情况"))
    r.resolution_text = _required(text, _("整改措施或说明"))
    r.resolution, r.resolved_at, r.resolved_by_id = resolution, at, actor.pk
    r.state = Rectification.State.FEEDBACK
    r.save(
        update_fields=[
            "finding",
            "resolution",
            "resolution_text",
            "resolved_at",
            "resolved_by",
            "state",
        ]
    )
    _event(
        r.rating.invitation,
        "resolve",
        actor=actor,
        at=at,
        rating=r.rating,
        rectification=r,
        resolution=resolution,
    )
    return r


@transaction.atomic
def rectification_feed_back(
    *, rectification: Rectification, actor: User, text: str, now: datetime | None = None
) -> Rectification:
    """反馈: the applicant is told what was done, and may rate again."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.FEEDBACK, _("反馈"))
    r.feedback_text = _required(text, _("反馈内容"))
    r.fed_back_at, r.fed_back_by_id, r.state = at, actor.pk, Rectification.State.CLOSED
    r.rerate_until = at + timedelta(days=int(setting("RATING_RERATE_DAYS", 7)))
    r.save(update_fields=["feedback_text", "fed_back_at", "fed_back_by", "state", "rerate_until"])
    _event(r.rating.invitation, "feed_back", actor=actor, at=at, rating=r.rating, rectification=r)
    _push_rectification(r, at)
    _text_feedback(r, actor)
    return r


def _text_feedback(r: Rectification, actor: User) -> None:
    """Where SMS is configured, the applicant also gets the result and the link to rate again."""
    phone = r.rating.rater_phone.strip()
    if "sms" not in setting("ONEWINDOW_NOTIFY_CHANNELS", []) or not phone:
        return
    body = _("【%(center)s】您对“%(item)s”的评价已处理：%(text)s 欢迎再次评价：%(url)s") % {
        "center": r.case.center.name,
        "item": r.case.item.name,
        "text": r.feedback_text[:200],
        "url": rating_url(r.rating.invitation, channel=Channel.SMS),
    }
    OutboxMessage.objects.get_or_create(
        dedupe_key=f"rating-feedback:{r.pk}",
        defaults={
            "channel": OutboxMessage.Channel.SMS,
            "recipient_id": actor.pk,
            "address": phone,
            "subject": _("差评处理结果"),
            "body": body,
        },
    )
