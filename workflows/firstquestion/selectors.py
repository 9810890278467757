"""Reads of 首问负责制: who sees which consultation, 我的首问, who holds a case, the public view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.masking import mask_phone
from workflows.cases.alerts import Light, light_of
from workflows.cases.models import FINAL, OPEN, RUNNING, Case, CaseEvent, Status
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import (
    CLERK,
    HEAD,
    OFFICER,
    SUPERVISOR,
    display_name,
    has_role,
    profile_of,
)
from workflows.firstquestion.models import (
    CONSULTATION_OPEN,
    REFERRAL_OPEN,
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    LastSeen,
    Referral,
    ReferralState,
    TargetKind,
)
from workflows.tasks.selectors import task_holders

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


# ---------------------------------------------------------------- visibility


def receiver_filter(user: User) -> Q:
    """The Q a referral must match for ``user`` to be (one of) its receivers."""
    if is_admin(user):
        return Q()
    q = Q(target_kind=TargetKind.PERSON, to_user_id=user.pk)
    profile = profile_of(user)
    if profile is None:
        return q
    if has_role(user, OFFICER, HEAD) and profile.department_id:
        q |= Q(target_kind=TargetKind.DEPARTMENT, to_department_id=profile.department_id)
    if has_role(user, CLERK) and profile.center_id:
        q |= Q(target_kind=TargetKind.WINDOW, to_center_id=profile.center_id)
    return q


def consultation_filter(user: User) -> Q | None:
    """The Q a consultation must match to be visible to ``user``; None means all.

    The staff who were asked (first responder, logger, those present), the
    receivers of its referrals, the clerks of its center and the supervisors
    of that center or above it. A consultation holds a citizen's name and
    phone: nobody else sees it.
    """
    if is_admin(user):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    present = Consultation.present.through.objects.filter(user_id=user.pk)
    q = (
        Q(first_responder_id=user.pk)
        | Q(logged_by_id=user.pk)
        | Q(pk__in=present.values("consultation_id"))
        | Q(pk__in=Referral.objects.filter(receiver_filter(user)).values("consultation_id"))
    )
    profile = profile_of(user)
    if profile is None or profile.center is None:
        return q
    if has_role(user, CLERK):
        q |= Q(center_id=profile.center_id)
    if has_role(user, SUPERVISOR):
        q |= Q(center__path__startswith=profile.center.path)
        if profile.center.parent_id is None:
            q |= Q(center__isnull=True)
    return q


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """Every consultation ``user`` may open."""
    qs = Consultation.objects.select_related("first_responder", "logged_by", "item", "case")
    q = consultation_filter(user)
    return qs if q is None else qs.filter(q)


def visible_consultation(user: User, pk: Any) -> Consultation | None:
    """The consultation ``pk`` if ``user`` may see it (None for unknown or hidden)."""
    try:
        key = int(str(pk))
    except ValueError:
        return None
    return consultations_visible_to(user).filter(pk=key).first()


def referrals_for_receiver(user: User) -> QuerySet[Referral]:
    """Open referrals ``user`` is a receiver of, oldest deadline first."""
    return (
        Referral.objects.filter(state__in=list(REFERRAL_OPEN))
        .filter(receiver_filter(user))
        .select_related("consultation", "consultation__first_responder", "referred_by")
        .select_related("to_department", "to_center", "to_user")
        .order_by("ack_due_at", "pk")
    )


def pending_referral_count(user: User) -> int:
    """How many referrals wait for ``user``'s acknowledgement (the menu badge)."""
    if is_admin(user):
        return 0  # an admin is a receiver of everything: a badge would be noise
    return (
        Referral.objects.filter(state=ReferralState.PENDING).filter(receiver_filter(user)).count()
    )


# ---------------------------------------------------------------- who holds a case now


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
    from workflows.window.display import payload_summary

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


def attention_count(user: User) -> int | None:
    """What turned yellow or red, or came back to ``user``, since they last looked (menu badge)."""
    if not user.is_authenticated:
        return None
    seen = last_seen(user)
    if seen is None:
        # Never looked: whatever already needs attention.
        cases = Case.objects.filter(
            first_responder_id=user.pk, status__in=list(OPEN), alert_level__gte=1
        ).count()
        returned = Consultation.objects.filter(
            first_responder_id=user.pk, status=ConsultationStatus.RETURNED
        ).count()
        return (cases + returned) or None
    cases = (
        CaseEvent.objects.filter(
            case__first_responder_id=user.pk, action="alert", created_at__gt=seen
        )
        .values("case_id")
        .distinct()
        .count()
    )
    consultations = (
        ConsultationEvent.objects.filter(
            consultation__first_responder_id=user.pk,
            action__in=["decline", "escalate"],
            created_at__gt=seen,
        )
        .values("consultation_id")
        .distinct()
        .count()
    )
    return (cases + consultations) or None


# ---------------------------------------------------------------- the public status page


STAGE_WORDS = {
    Status.RECEIVED: gettext_lazy("已收件，正在审查申请材料（收件后 5 个工作日内决定是否受理）。"),
    Status.AWAITING_CORRECTION: gettext_lazy(
        "需要补正材料：请按《补正材料通知书》一次性补交所列材料；补交前办理时限暂不计算。"
    ),
    Status.ACCEPTED: gettext_lazy("已受理，等待部门办理。"),
    Status.IN_PROGRESS: gettext_lazy("部门正在办理。"),
    Status.SUSPENDED: gettext_lazy(
        "正在进行特别程序（如听证、检验检测、鉴定或专家评审），所需时间不计入办理时限。"
    ),
    Status.DECIDED: gettext_lazy("已办结，等待领取或送达办理结果。"),
    Status.CLOSED: gettext_lazy("已办结，办理结果已送达。"),
    Status.REJECTED: gettext_lazy("不予受理，理由见《不予受理决定书》。"),
    Status.WITHDRAWN: gettext_lazy("申请已撤回，办理终止。"),
}


@dataclass(frozen=True)
class PublicStatus:
    """What the citizens' status page shows: no names, ID numbers, phones or addresses."""

    number: str
    item: str
    department: str
    center: str
    stage: str
    step: str
    received_on: date
    accepted_on: date | None
    promised_due: date | None
    provisional: bool
    late: bool
    finished_on: date | None
    delivery: str


def _public_step(case: Case) -> str:
    if case.status not in OPEN:
        return ""
    try:
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS
    except ImportError:
        return ""
    task = (
        Task.objects.filter(
            process__caseprocess__case_id=case.pk,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .order_by("pk")
        .first()
    )
    return str(task.flow_task.task_title) if task is not None and task.flow_task else ""


def _local(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def public_status(case: Case, *, now: datetime | None = None) -> PublicStatus:
    """The public facts of ``case`` (nothing that identifies a person)."""
    moment = now or timezone.now()
    due = case.promised_due_at
    if case.decided_at is not None:
        late = due is not None and case.decided_at > due
    elif case.status in OPEN:
        late = due is not None and moment > due
    else:
        late = False
    finished = case.closed_at if case.status == Status.CLOSED else case.decided_at
    if case.status in (Status.REJECTED, Status.WITHDRAWN):
        finished = None
    return PublicStatus(
        number=case.number,
        item=case.item.name,
        department=case.department.full_name or case.department.name,
        center=case.center.name,
        stage=str(STAGE_WORDS.get(case.status, "")),
        step=_public_step(case),
        received_on=_local(case.received_at) or moment.date(),
        accepted_on=_local(case.accepted_at),
        promised_due=_local(due),
        provisional=bool(due and case.promised_due_provisional),
        late=late,
        finished_on=_local(finished),
        delivery=case.get_delivery_method_display() if case.status == Status.CLOSED else "",
    )
