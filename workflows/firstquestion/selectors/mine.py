"""我的首问: who holds each case now, the rows of cases and consultations, the badge."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.masking import mask_phone
from workflows.cases.alerts import Light, light_of
from workflows.cases.models import FINAL, OPEN, RUNNING, Case, CaseEvent, Status
from workflows.catalog.roles import display_name
from workflows.firstquestion.models import (
    CONSULTATION_OPEN,
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    LastSeen,
    Referral,
)
from workflows.tasks.selectors import task_holders

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def holders_of(cases: Sequence[Case]) -> dict[int, str]:
    """Who holds each case now: the open task's owner, else the handler, else the stage."""
    holders = {
        pk: holder.text
        for pk, holder in task_holders([c.pk for c in cases if c.status not in FINAL]).items()
    }
    for case in cases:
        if case.pk in holders:
            continue
        if case.status in FINAL:
            holders[case.pk] = ""
        elif case.status in (Status.RECEIVED, Status.AWAITING_CORRECTION):
            holders[case.pk] = _("综合窗口（%(name)s）") % {"name": display_name(case.received_by)}
        elif case.status == Status.DECIDED:
            holders[case.pk] = _("综合窗口：待送达申请人")
        elif case.handler_id:
            holders[case.pk] = display_name(case.handler)
        else:
            holders[case.pk] = _("%(department)s：待分派") % {"department": case.department.name}
    return holders


# ---------------------------------------------------------------- 我的首问


@dataclass(frozen=True)
class Change:
    """One thing that happened since the user last looked."""

    at: datetime
    actor: str
    action: str
    summary: str


@dataclass
class CaseRow:
    """One case in 我的首问."""

    case: Case
    holder: str
    light: Light | None
    changes: list[Change] = field(default_factory=list)
    consultation_id: int | None = None


@dataclass
class ConsultationRow:
    """One consultation in 我的首问 (not yet a case)."""

    consultation: Consultation
    referral: Referral | None
    holder: str
    phone: str = ""
    changes: list[Change] = field(default_factory=list)


CONSULTATION_ACTIONS = {
    "log": gettext_lazy("登记咨询"),
    "refer": gettext_lazy("转办"),
    "acknowledge": gettext_lazy("签收转办"),
    "referral_answer": gettext_lazy("转办答复"),
    "decline": gettext_lazy("退回转办"),
    "answer": gettext_lazy("解答"),
    "apply": gettext_lazy("转为申请"),
    "case": gettext_lazy("转为办件"),
    "escalate": gettext_lazy("转办超时督办"),
}


def _case_action_label(event: CaseEvent) -> str:
    if event.action == "alert":
        level = int((event.payload or {}).get("level", 0))
        return str(Light(level).label) if level in Light._value2member_map_ else _("预警")
    from workflows.cases.actions import action_label

    return action_label(event.action)


def _case_summary(event: CaseEvent) -> str:
    from workflows.web.trail_text import payload_summary

    return payload_summary(event)


def consultation_summary(event: ConsultationEvent) -> str:
    """What a consultation event recorded, in a sentence."""
    p: dict[str, Any] = event.payload or {}
    if event.action == "log":
        return _("首问责任人：%(name)s") % {"name": p.get("first_responder_name", "")}
    if event.action == "refer":
        return str(p.get("target_label", ""))
    if event.action in ("answer", "referral_answer"):
        return str(p.get("answer", ""))[:120]
    if event.action == "decline":
        return _("理由：%(reason)s") % {"reason": p.get("reason", "")}
    if event.action == "case":
        return str(p.get("number", ""))
    if event.action == "acknowledge" and p.get("late"):
        return _("超过签收期限后签收")
    return ""


def consultation_change(event: ConsultationEvent) -> Change:
    """A consultation event as a line of the trail."""
    return Change(
        at=event.created_at,
        actor=display_name(event.actor) if event.actor_id else _("系统"),
        action=str(CONSULTATION_ACTIONS.get(event.action, event.action)),
        summary=consultation_summary(event),
    )


def last_seen(user: User) -> datetime | None:
    """When ``user`` last looked at 我的首问 (None: never)."""
    if not user.is_authenticated:
        return None
    return LastSeen.objects.filter(user_id=user.pk).values_list("seen_at", flat=True).first()


def _case_light(case: Case, now: datetime) -> Light | None:
    if case.status not in OPEN:
        return None
    if case.status not in RUNNING:
        return Light(min(case.alert_level, int(Light.STATUTORY_RED)))
    return max(light_of(case, now), Light(min(case.alert_level, int(Light.STATUTORY_RED))))


def my_cases(user: User, *, open_only: bool = True) -> QuerySet[Case]:
    """Cases ``user`` is first responder of (open ones first by default)."""
    qs = Case.objects.filter(first_responder_id=user.pk).select_related(
        "item", "department", "center", "handler", "received_by"
    )
    if open_only:
        qs = qs.exclude(status__in=list(FINAL))
    return qs.order_by("-received_at", "-pk")


def my_consultations(user: User, *, open_only: bool = True) -> QuerySet[Consultation]:
    """Consultations ``user`` is 首问责任人 of that did not become a case."""
    qs = Consultation.objects.filter(first_responder_id=user.pk, case__isnull=True).select_related(
        "item", "logged_by"
    )
    if open_only:
        qs = qs.filter(status__in=list(CONSULTATION_OPEN))
    return qs.order_by("-created_at", "-pk")


def case_rows(cases: Sequence[Case], *, since: datetime | None, now: datetime) -> list[CaseRow]:
    """The 我的首问 rows of ``cases``: holder, light and what changed after ``since``."""
    ids = [c.pk for c in cases]
    holders = holders_of(cases)
    changes: dict[int, list[Change]] = defaultdict(list)
    if since is not None and ids:
        events = (
            CaseEvent.objects.filter(case_id__in=ids, created_at__gt=since)
            .select_related("actor")
            .order_by("case_id", "seq")
        )
        for event in events:
            changes[event.case_id].append(
                Change(
                    at=event.created_at,
                    actor=display_name(event.actor) if event.actor_id else _("系统"),
                    action=_case_action_label(event),
                    summary=_case_summary(event),
                )
            )
    links = dict(Consultation.objects.filter(case_id__in=ids).values_list("case_id", "pk"))
    return [
        CaseRow(
            case=case,
            holder=holders.get(case.pk, ""),
            light=_case_light(case, now),
            changes=changes.get(case.pk, []),
            consultation_id=links.get(case.pk),
        )
        for case in cases
    ]


def consultation_rows(
    consultations: Sequence[Consultation], *, since: datetime | None
) -> list[ConsultationRow]:
    """The 我的首问 rows of consultations: the open referral, who has it, what changed."""
    ids = [c.pk for c in consultations]
    referrals: dict[int, Referral] = {}
    for found in (
        Referral.objects.filter(consultation_id__in=ids)
        .select_related("to_department", "to_center", "to_user", "acknowledged_by")
        .order_by("consultation_id", "-created_at", "-pk")
    ):
        referrals.setdefault(found.consultation_id, found)
    changes: dict[int, list[Change]] = defaultdict(list)
    if since is not None and ids:
        for event in (
            ConsultationEvent.objects.filter(consultation_id__in=ids, created_at__gt=since)
            .select_related("actor")
            .order_by("consultation_id", "created_at", "pk")
        ):
            changes[event.consultation_id].append(consultation_change(event))
    rows = []
    for consultation in consultations:
        referral = referrals.get(consultation.pk)
        rows.append(
            ConsultationRow(
                consultation=consultation,
                referral=referral,
                holder=consultation_holder(consultation, referral),
                phone=mask_phone(consultation.citizen_phone),
                changes=changes.get(consultation.pk, []),
            )
        )
    return rows


def consultation_holder(consultation: Consultation, referral: Referral | None) -> str:
    """Who has the consultation now, in words."""
    from workflows.firstquestion.services.referrals import target_label

    if consultation.status == ConsultationStatus.REFERRED and referral is not None:
        if referral.acknowledged_by_id:
            return _("%(target)s（%(name)s 已签收）") % {
                "target": target_label(referral),
                "name": display_name(referral.acknowledged_by),
            }
        return _("%(target)s（待签收）") % {"target": target_label(referral)}
    if consultation.status == ConsultationStatus.RETURNED:
        return _("首问责任人（转办被退回）")
    if consultation.status == ConsultationStatus.APPLICATION:
        return _("综合窗口：待收件")
    return ""


def attention_rows(user: User) -> tuple[QuerySet[Any], ...]:
    """What the 我的首问 badge counts: what turned yellow or red, or came back, since I looked.

    Four sets whose counts add up: before a first look, the open cases already
    yellow or red and the consultations returned to me; after it, the cases
    with an alert and the consultations declined or escalated since (a
    comparison with no last look is never true, so each pair answers for one
    case only). Unevaluated, so the menu counts them with its other badges in
    one statement.
    """
    if not user.is_authenticated:
        return ()
    looks = LastSeen.objects.filter(user_id=user.pk)
    seen = Subquery(looks.order_by("pk").values("seen_at")[:1])
    never_looked = ~Exists(looks)
    return (
        Case.objects.filter(
            never_looked, first_responder_id=user.pk, status__in=list(OPEN), alert_level__gte=1
        ),
        Consultation.objects.filter(
            never_looked, first_responder_id=user.pk, status=ConsultationStatus.RETURNED
        ),
        CaseEvent.objects.filter(
            case__first_responder_id=user.pk, action="alert", created_at__gt=seen
        )
        .values("case_id")
        .distinct(),
        ConsultationEvent.objects.filter(
            consultation__first_responder_id=user.pk,
            action__in=["decline", "escalate"],
            created_at__gt=seen,
        )
        .values("consultation_id")
        .distinct(),
    )


def attention_count(user: User) -> int | None:
    """What turned yellow or red, or came back to ``user``, since they last looked (menu badge)."""
    if not user.is_authenticated:
        return None
    return sum(rows.count() for rows in attention_rows(user)) or None
