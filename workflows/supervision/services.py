"""The deadline sweep and the handling of 督办: every write of the supervision app.

It stays one module (about 600 lines): ``sweep_deadlines`` calls its steps as this
module's globals inside one transaction, and the exactly-once tests replace each step
here to crash the sweep half-way; splitting the steps out would split that one seam.

``sweep_deadlines`` is the one sweep (cron's ``manage.py sweep_deadlines`` and
Celery beat's ``supervision.sweep_deadlines`` both call it). In ONE
transaction, serialised by ``pg_advisory_xact_lock``, it:

1. deems accepted the received cases nobody answered within 5 working days
   (``case_deem_accept``, then the department flow), each in a savepoint;
2. raises the traffic lights set-based (``cases_raise_alerts``: one UPDATE per
   level and batch, re-checked by PostgreSQL, so a case changes colour once);
3. inserts one ``Escalation`` per raised (case, level) with ``INSERT … SELECT
   … ON CONFLICT DO NOTHING RETURNING`` — the unique constraint is the real
   guarantee, the advisory lock only keeps overlapping UPDATEs from deadlocking;
4. notifies the four kinds of people of each case with a *new* escalation
   (``notify``: ``ON CONFLICT DO NOTHING`` on (recipient, dedupe key));
5. escalates first-question referrals nobody acknowledged in time
   (``workflows.firstquestion.sweep.referrals_escalate``);
6. warns the officer and the supervisors, once, of each special procedure
   running past its expected days (``special_procedures_mark_overrun``: an
   ``UPDATE … WHERE overrun_warned_at IS NULL RETURNING``, then ``notify`` with
   the dedupe key of the procedure).

Steps 2–5 commit together or not at all: a sweep that dies half-way leaves
nothing, and the next one finds the same cases again. Cost is proportional to
the cases that change colour: every step is driven by the ids the UPDATE
returned, never by a scan of open cases.

The 督办单 (red and statutory red) is issued after the commit by
``escalations_issue_orders`` from the escalation rows (an outbox: rows with
``needs_order`` and no ``order_issued_at``), in small SKIP LOCKED batches, so
a slow document step never holds the sweep's lock or its 10,000-row transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.faults import fault_point
from workflows.cases import services as case_services
from workflows.cases.alerts import Light, Raised, cases_raise_alerts
from workflows.cases.clock import local_date
from workflows.cases.errors import ActionForbidden, CaseError, InvalidRequest
from workflows.cases.models import Case, Status
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.notifications.services import Message, notify
from workflows.supervision import errors, orders
from workflows.supervision.models import ORDER_LEVELS, Escalation, EscalationNote, Level
from workflows.supervision.selectors.recipients import heads_by_department, supervisors_by_center
from workflows.supervision.selectors.scope import escalation_in_supervisor_scope
from workflows.tasks.routing import start_department_flow

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the sweep ("OWSW"): one sweep at a time per database.
SWEEP_LOCK = 0x4F57_5357
SWEEP_LOCK_TIMEOUT = "30s"
# Deemed acceptances per sweep: each is a per-case transition; the rest wait a minute.
DEEM_LIMIT = 500
# Messages per notify() call (one INSERT … FROM unnest each): bounds the parameter size.
NOTIFY_CHUNK = 20_000
NOTIFICATION_KIND = "escalation"
# The 督办单 outbox: a failing order is retried this many times, then left for a person.
MAX_ORDER_ATTEMPTS = 5
# Seconds one run may spend issuing orders; the next run (a minute later) goes on.
ORDER_TIME_BUDGET = 30.0

LEVEL_TITLES = {
    Level.YELLOW: gettext_lazy("【黄灯预警】%(number)s %(item)s 临近承诺办结期限（%(due)s）"),
    Level.RED: gettext_lazy("【红灯督办】%(number)s %(item)s 已超过承诺办结期限（%(due)s）"),
    Level.STATUTORY_RED: gettext_lazy(
        "【超法定时限督办】%(number)s %(item)s 已超过法定办结期限（%(due)s）"
    ),
}
ROLE_LINES = {
    "handler": gettext_lazy("您是本件的经办人，请抓紧办理。"),
    "head": gettext_lazy("请部门负责人督促办理，并在督办事项中回复超期原因和整改措施。"),
    "first_responder": gettext_lazy("您是本件的首问责任人，请跟踪办理进度并告知申请人。"),
    "supervisor": gettext_lazy("请跟进督办。"),
}
ALSO_RAISED = gettext_lazy("（本次同时生成：%(levels)s）")
# Yellow is a warning: the head is asked to see it finished on time, not yet to answer.
HEAD_WARNING_LINE = gettext_lazy("本件临近承诺办结期限，请部门负责人督促按时办结。")


@dataclass
class SweepReport:
    """What one sweep did."""

    now: datetime
    deemed_accepted: int = 0
    flows_started: int = 0
    warned: int = 0
    overdue: int = 0
    statutory_overdue: int = 0
    escalations: int = 0
    notifications: int = 0
    referrals_escalated: int = 0
    ratings_defaulted: int = 0
    ratings_escalated: int = 0
    special_overruns: int = 0
    orders_issued: int = 0
    orders_pending: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for Celery results and the benchmark)."""
        return {
            "now": self.now.isoformat(),
            "deemed_accepted": self.deemed_accepted,
            "flows_started": self.flows_started,
            "warned": self.warned,
            "overdue": self.overdue,
            "statutory_overdue": self.statutory_overdue,
            "escalations": self.escalations,
            "notifications": self.notifications,
            "referrals_escalated": self.referrals_escalated,
            "ratings_defaulted": self.ratings_defaulted,
            "ratings_escalated": self.ratings_escalated,
            "special_overruns": self.special_overruns,
            "orders_issued": self.orders_issued,
            "orders_pending": self.orders_pending,
            "seconds": round(self.seconds, 4),
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class NewEscalation:
    """An escalation row the sweep just inserted, with what its messages need."""

    id: int
    case_id: int
    level: int
    center_id: int
    department_id: int
    handler_id: int | None
    first_responder_id: int | None
    number: str
    item_name: str
    deadline_at: datetime | None


# ---------------------------------------------------------------- the sweep


def sweep_deadlines(
    *, now: datetime | None = None, deem_limit: int = DEEM_LIMIT, issue_orders: bool = True
) -> SweepReport:
    """Run the sweep once: deemed acceptance, lights, escalations, notifications, orders."""
    started = time.perf_counter()
    report = SweepReport(now=now or timezone.now())
    with transaction.atomic():
        _take_sweep_lock()
        _deem_accept_due(report, deem_limit)
        raised = cases_raise_alerts(now=report.now)
        report.warned = sum(1 for r in raised if r.level == Light.YELLOW)
        report.overdue = sum(1 for r in raised if r.level == Light.RED)
        report.statutory_overdue = sum(1 for r in raised if r.level == Light.STATUTORY_RED)
        created = escalations_insert(raised=raised, now=report.now)
        report.escalations = len(created)
        report.notifications = escalations_notify(created)
        _webhook_overdue(created, report.now)
        fault_point("sweep")  # the fault tests kill a worker here (config/faults.py)
        report.referrals_escalated = _escalate_referrals(report.now)
        _rating_sweep(report)
        report.special_overruns = _warn_special_overruns(report.now)
    if issue_orders:
        report.orders_issued = escalations_issue_orders(now=report.now)
    report.orders_pending = pending_orders_count()
    report.seconds = time.perf_counter() - started
    return report


def _take_sweep_lock() -> None:
    # Waits (not skips): a second sweep then re-runs the UPDATEs and finds nothing left.
    # Once it holds the lock, a case row held by someone else is waited for at most
    # SWEEP_LOCK_TIMEOUT: the sweep then fails whole and the next minute's retries.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
        cursor.execute(f"SET LOCAL lock_timeout = '{SWEEP_LOCK_TIMEOUT}'")


def _webhook_overdue(created: Sequence[NewEscalation], now: datetime) -> None:
    """case.overdue for API subscribers: outbox rows in this transaction, once per escalation."""
    from workflows.api.webhooks import enqueue_overdue

    enqueue_overdue(created, now)


def _escalate_referrals(now: datetime) -> int:
    """首问转办: referrals nobody acknowledged in time, escalated in this same transaction."""
    from workflows.firstquestion.sweep import referrals_escalate

    return int(referrals_escalate(now=now))


def _rating_sweep(report: SweepReport) -> None:
    """好差评: default ratings whose period ended; escalate late call-backs and rectifications."""
    from workflows.rating.sweep import rating_sweep

    done = rating_sweep(now=report.now)
    report.ratings_defaulted = done["defaulted"]
    report.ratings_escalated = done["escalated"]


OVERRUN_KIND = "special_overrun"
OVERRUN_TITLE = gettext_lazy(
    "【特别程序超期】%(number)s %(item)s 的%(procedure)s已超过预计的 %(days)d 个工作日（%(end)s）"
)
OVERRUN_LINES = {
    "officer": gettext_lazy("请尽快结束特别程序、恢复计时，或说明情况并书面告知申请人。"),
    "supervisor": gettext_lazy("请跟进本件特别程序的进展。"),
}


def _warn_special_overruns(now: datetime) -> int:
    """特别程序超期: tell the officer and the supervisors once per procedure; return how many."""
    overruns = case_services.special_procedures_mark_overrun(now=now)
    if not overruns:
        return 0
    supervisors = supervisors_by_center({o.center_id for o in overruns})
    inbox = reverse("tasks:inbox")
    trail = reverse("supervision:case_trail", kwargs={"number": "NUMBER"})
    messages: list[Message] = []
    for o in overruns:
        title = str(OVERRUN_TITLE) % {
            "number": o.number,
            "item": o.item_name,
            "procedure": o.procedure,
            "days": o.expected_days,
            "end": o.expected_end.isoformat(),
        }
        people: dict[int, str] = {o.started_by_id: "officer"}
        if o.handler_id:
            people.setdefault(o.handler_id, "officer")
        for user_id in supervisors.get(o.center_id, ()):
            people.setdefault(user_id, "supervisor")
        for user_id, role in people.items():
            messages.append(
                Message(
                    recipient_id=user_id,
                    kind=OVERRUN_KIND,
                    title=title[:200],
                    body=str(OVERRUN_LINES[role]),
                    url=inbox if role == "officer" else trail.replace("NUMBER", o.number),
                    dedupe_key=f"special_overrun:{o.suspension_id}",
                    case_id=o.case_id,
                )
            )
    notify(messages)
    return len(overruns)


def _start_flow(case: Case) -> bool:
    """Start the department flow of a deemed-accepted case; False if there is none to start."""
    return start_department_flow(case=case, actor=None) is not None


def _deem_accept_due(report: SweepReport, limit: int) -> None:
    """视为受理 for received cases past their deadline, each in its own savepoint."""
    due = list(
        Case.objects.filter(status=Status.RECEIVED, deemed_acceptance_at__lt=report.now)
        .order_by("deemed_acceptance_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for case_id in due:
        case = Case.objects.select_related("item", "department").get(pk=case_id)
        try:
            with transaction.atomic():
                case = case_services.case_deem_accept(case=case, now=report.now)
                report.deemed_accepted += 1
                # Bundle sub-cases are started by their parent's flow, not here.
                if case.parent_id is None and _start_flow(case):
                    report.flows_started += 1
        except CaseError as exc:
            # Someone accepted, corrected or withdrew it meanwhile: nothing to deem.
            logger.info("deemed acceptance of %s skipped: %s", case.number, exc.message)
            report.problems.append(f"{case.number}: {exc.message}")
        except Exception as exc:  # one broken case must not stop the sweep for everyone
            logger.exception("deemed acceptance of %s failed", case.number)
            report.problems.append(f"{case.number}: {type(exc).__name__}: {exc}")


_INSERT_ESCALATIONS = """
WITH raised(case_id, level) AS (
    SELECT * FROM unnest(%(case_ids)s::bigint[], %(levels)s::smallint[])
), inserted AS (
    INSERT INTO supervision_escalation (
        case_id, level, created_at, deadline_at, center_id, department_id,
        handler_id, first_responder_id, needs_order, order_issued_at, order_number,
        order_error, order_attempts, responded_at, responded_by_id
    )
    SELECT c.id, r.level, %(now)s,
           CASE r.level WHEN 1 THEN c.warn_at WHEN 2 THEN c.promised_due_at
                        ELSE c.statutory_due_at END,
           c.center_id, c.department_id, c.handler_id, c.first_responder_id,
           r.level >= %(order_level)s, NULL, '', '', 0, NULL, NULL
    FROM raised r JOIN cases_case c ON c.id = r.case_id
    ORDER BY c.id, r.level
    ON CONFLICT (case_id, level) DO NOTHING
    RETURNING id, case_id, level, center_id, department_id, handler_id,
              first_responder_id, deadline_at
)
SELECT i.id, i.case_id, i.level, i.center_id, i.department_id, i.handler_id,
       i.first_responder_id, c.number, s.name, i.deadline_at
FROM inserted i
JOIN cases_case c ON c.id = i.case_id
JOIN catalog_serviceitem s ON s.id = c.item_id
ORDER BY i.id
"""


def escalations_insert(*, raised: Sequence[Raised], now: datetime) -> list[NewEscalation]:
    """Insert one escalation per raised (case, level) unless it exists; return the new ones."""
    if not raised:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_ESCALATIONS,
            {
                "case_ids": [r.case_id for r in raised],
                "levels": [int(r.level) for r in raised],
                "now": now,
                "order_level": int(min(ORDER_LEVELS)),
            },
        )
        return [NewEscalation(*row) for row in cursor.fetchall()]


def _recipients(
    e: NewEscalation, heads: dict[int, list[int]], supervisors: dict[int, list[int]]
) -> dict[int, str]:
    """Who hears of ``e``, each once, with the capacity they hear it in (first wins)."""
    people: dict[int, str] = {}
    if e.handler_id:
        people.setdefault(e.handler_id, "handler")
    for user_id in heads.get(e.department_id, ()):
        people.setdefault(user_id, "head")
    if e.first_responder_id:
        people.setdefault(e.first_responder_id, "first_responder")
    for user_id in supervisors.get(e.center_id, ()):
        people.setdefault(user_id, "supervisor")
    return people


def _most_severe(escalations: Sequence[NewEscalation]) -> list[tuple[NewEscalation, list[int]]]:
    """Per case: its most severe new escalation, and every level raised with it."""
    top: dict[int, NewEscalation] = {}
    levels: dict[int, list[int]] = {}
    for e in escalations:
        levels.setdefault(e.case_id, []).append(e.level)
        if e.case_id not in top or e.level > top[e.case_id].level:
            top[e.case_id] = e
    return [(e, sorted(levels[case_id])) for case_id, e in top.items()]


def escalations_notify(escalations: Sequence[NewEscalation]) -> int:
    """Tell the handler, the department heads, the first responder and the supervisors.

    One message per person and case per sweep: a case that crossed several
    levels at once (a late sweep, a deemed acceptance, promised = statutory
    date) is reported by its most severe level, naming the others; the dedupe
    key (case, that level) keeps racing or repeated sweeps from telling twice.
    """
    if not escalations:
        return 0
    heads = heads_by_department({e.department_id for e in escalations})
    supervisors = supervisors_by_center({e.center_id for e in escalations})
    # URLs built once: reverse() per message would dominate a 10,000-case sweep.
    trail = reverse("supervision:case_trail", kwargs={"number": "NUMBER"})
    detail = reverse("supervision:escalation_detail", kwargs={"pk": 0})
    titles = {level: str(text) for level, text in LEVEL_TITLES.items()}
    lines = {role: str(text) for role, text in ROLE_LINES.items()}
    head_warning = str(HEAD_WARNING_LINE)
    level_names = {level: str(level.label) for level in Level}
    also = str(ALSO_RAISED)
    messages: list[Message] = []
    days: dict[datetime | None, str] = {None: ""}  # most escalations share a deadline
    for e, levels in _most_severe(escalations):
        due = days.get(e.deadline_at)
        if due is None:
            due = days[e.deadline_at] = local_date(e.deadline_at).isoformat()  # type: ignore[arg-type]
        title = titles[Level(e.level)] % {"number": e.number, "item": e.item_name, "due": due}
        extra = ""
        if len(levels) > 1:
            extra = also % {"levels": "、".join(level_names[Level(x)] for x in levels)}
        case_url = trail.replace("NUMBER", e.number)
        order_url = detail.replace("/0/", f"/{e.id}/")
        key = f"escalation:{e.case_id}:{e.level}"
        for user_id, role in _recipients(e, heads, supervisors).items():
            line = head_warning if role == "head" and e.level == Level.YELLOW else lines[role]
            messages.append(
                Message(
                    recipient_id=user_id,
                    kind=NOTIFICATION_KIND,
                    title=title[:200],
                    body=line + extra,
                    url=order_url if role in {"head", "supervisor"} else case_url,
                    dedupe_key=key,
                    case_id=e.case_id,
                )
            )
    sent = 0
    for start in range(0, len(messages), NOTIFY_CHUNK):
        sent += notify(messages[start : start + NOTIFY_CHUNK])
    return sent


# ---------------------------------------------------------------- 督办单 outbox


def pending_orders_count() -> int:
    """How many 督办单 are still to be issued."""
    return Escalation.objects.filter(
        needs_order=True, order_issued_at__isnull=True, order_attempts__lt=MAX_ORDER_ATTEMPTS
    ).count()


def escalations_issue_orders(
    *,
    now: datetime | None = None,
    batch: int = 200,
    max_batches: int = 50,
    time_budget: float = ORDER_TIME_BUDGET,
) -> int:
    """Issue pending 督办单 in SKIP LOCKED batches; each order commits with its escalation row.

    Several workers may drain the outbox at once (SKIP LOCKED); a run stops
    after ``time_budget`` seconds so a backlog never makes the minutely job overlap itself.
    """
    moment = now or timezone.now()
    deadline = time.monotonic() + time_budget
    issued = 0
    for _round in range(max_batches):
        done, claimed = _issue_order_batch(moment, batch)
        issued += done
        if claimed < batch or done == 0 or time.monotonic() > deadline:
            break
    return issued


def _issue_order_batch(moment: datetime, batch: int) -> tuple[int, int]:
    done = 0
    with transaction.atomic():
        rows = list(
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case", "case__item", "case__center", "case__department")
            .filter(
                needs_order=True,
                order_issued_at__isnull=True,
                order_attempts__lt=MAX_ORDER_ATTEMPTS,
            )
            .order_by("created_at", "pk")[:batch]
        )
        for escalation in rows:
            try:
                with transaction.atomic():
                    document = orders.issue_order(escalation=escalation, now=moment)
                    if document is None:
                        return done, len(rows)  # the documents app cannot issue yet
                    escalation.order_issued_at = moment
                    escalation.order_number = str(getattr(document, "number", ""))[:64]
                    escalation.order_error = ""
                    escalation.save(
                        update_fields=["order_issued_at", "order_number", "order_error"]
                    )
                    done += 1
            except Exception as exc:  # a failed order is retried, and shown on the desk
                logger.exception("督办单 for escalation %s failed", escalation.pk)
                Escalation.objects.filter(pk=escalation.pk).update(
                    order_error=f"{type(exc).__name__}: {exc}"[:2000],
                    order_attempts=escalation.order_attempts + 1,
                )
    return done, len(rows)


# ---------------------------------------------------------------- handling a 督办


def escalation_follow_up(
    *, escalation: Escalation, actor: User, text: str, now: datetime | None = None
) -> EscalationNote:
    """督办跟进: a supervisor in scope records what was done (call, talk, visit…)."""
    if not (is_admin(actor) or escalation_in_supervisor_scope(actor, escalation)):
        raise ActionForbidden(errors.FOLLOW_UP_FORBIDDEN)
    if not text.strip():
        raise InvalidRequest(errors.FOLLOW_UP_EMPTY)
    moment = now or timezone.now()
    with transaction.atomic():
        note = EscalationNote.objects.create(
            escalation=escalation,
            kind=EscalationNote.Kind.FOLLOW_UP,
            author=actor,
            text=text.strip(),
            created_at=moment,
        )
        heads = heads_by_department({escalation.department_id}).get(escalation.department_id, [])
        notify(
            Message(
                recipient_id=user_id,
                kind="escalation_follow_up",
                title=_("督办跟进：%(number)s") % {"number": escalation.case.number},
                body=note.text[:500],
                url=reverse("supervision:escalation_detail", kwargs={"pk": escalation.pk}),
                dedupe_key=f"escalation-note:{note.pk}",
                case_id=escalation.case_id,
            )
            for user_id in heads
            if user_id != actor.pk
        )
        return note


def escalation_respond(
    *,
    escalation: Escalation,
    actor: User,
    reason: str,
    remedy: str,
    now: datetime | None = None,
) -> EscalationNote:
    """部门回复: the head of the case's department gives the reason and the remedy."""
    profile = profile_of(actor)
    is_head = (
        has_role(actor, HEAD)
        and profile is not None
        and profile.department_id == escalation.department_id
    )
    if not (is_admin(actor) or is_head):
        raise ActionForbidden(
            errors.RESPONSE_FORBIDDEN % {"department": escalation.department.name}
        )
    if escalation.level not in ORDER_LEVELS:
        raise InvalidRequest(errors.RESPONSE_NOT_NEEDED)
    if not reason.strip():
        raise InvalidRequest(errors.RESPONSE_REASON_REQUIRED)
    if not remedy.strip():
        raise InvalidRequest(errors.RESPONSE_REMEDY_REQUIRED)
    moment = now or timezone.now()
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        note = EscalationNote.objects.create(
            escalation=locked,
            kind=EscalationNote.Kind.RESPONSE,
            author=actor,
            reason=reason.strip(),
            remedy=remedy.strip(),
            created_at=moment,
        )
        if locked.responded_at is None:
            locked.responded_at = moment
            locked.responded_by = actor
            locked.save(update_fields=["responded_at", "responded_by"])
        supervisors = supervisors_by_center({locked.center_id}).get(locked.center_id, [])
        notify(
            Message(
                recipient_id=user_id,
                kind="escalation_response",
                title=_("督办回复：%(number)s") % {"number": escalation.case.number},
                body=f"{note.reason[:240]} / {note.remedy[:240]}",
                url=reverse("supervision:escalation_detail", kwargs={"pk": locked.pk}),
                dedupe_key=f"escalation-note:{note.pk}",
                case_id=locked.case_id,
            )
            for user_id in supervisors
        )
        escalation.responded_at = locked.responded_at
        escalation.responded_by_id = locked.responded_by_id
        return note
