"""Escalating referrals nobody acknowledged in time: set-based, exactly once, concurrency-safe.

``referrals_escalate(now=)`` is one SQL statement plus the notices:

1. picks the pending, not-yet-escalated referrals whose acknowledgement
   deadline has passed (a partial index on ``ack_due_at`` serves exactly
   those, so the cost follows the late referrals, not all referrals);
2. ``INSERT … ON CONFLICT (referral_id) DO NOTHING RETURNING`` one
   ``ReferralEscalation`` each — the one-to-one key is the guarantee: of two
   sweeps racing on the same referral, the second waits for the first's row
   and then inserts nothing;
3. in the same statement marks those referrals ``escalated_at`` (they leave
   the partial index) and appends an "escalate" event to their consultation;
4. tells the first responder and the supervisors whose center is the first
   responder's (or above it), via ``notify`` with a dedupe key.

It runs in the caller's transaction when there is one (``sweep_deadlines``
calls it inside its own), else in its own; a failure rolls it back whole and
the next run finds the same referrals again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.catalog.selectors import supervisors_above
from workflows.notifications.services import Message, notify

NOTIFICATION_KIND = "referral_escalation"

_ESCALATE = """
WITH due AS (
    SELECT r.id, r.ack_due_at, c.id AS consultation_id, c.first_responder_id
      FROM firstquestion_referral r
      JOIN firstquestion_consultation c ON c.id = r.consultation_id
     WHERE r.state = 'pending' AND r.escalated_at IS NULL AND r.ack_due_at < %(now)s
     ORDER BY r.id
), inserted AS (
    INSERT INTO firstquestion_referralescalation
           (referral_id, created_at, ack_due_at, first_responder_id)
    SELECT id, %(now)s, ack_due_at, first_responder_id FROM due ORDER BY id
    ON CONFLICT (referral_id) DO NOTHING
    RETURNING id, referral_id, first_responder_id
), marked AS (
    UPDATE firstquestion_referral r SET escalated_at = %(now)s
      FROM inserted i WHERE r.id = i.referral_id
    RETURNING r.id
), logged AS (
    INSERT INTO firstquestion_consultationevent
           (consultation_id, referral_id, action, actor_id, payload, created_at)
    SELECT d.consultation_id, d.id, 'escalate', NULL,
           jsonb_build_object('ack_due_at', d.ack_due_at), %(now)s
      FROM inserted i JOIN due d ON d.id = i.referral_id
    RETURNING id
)
SELECT i.referral_id, d.consultation_id, i.first_responder_id, d.ack_due_at,
       c.matter, c.center_id, (SELECT count(*) FROM marked), (SELECT count(*) FROM logged)
  FROM inserted i
  JOIN due d ON d.id = i.referral_id
  JOIN firstquestion_consultation c ON c.id = d.consultation_id
 ORDER BY i.referral_id
"""


@dataclass(frozen=True)
class _Escalated:
    referral_id: int
    consultation_id: int
    first_responder_id: int
    ack_due_at: datetime
    matter: str
    center_id: int | None


def referrals_escalate(*, now: datetime | None = None) -> int:
    """Escalate every referral not acknowledged by its deadline, once; return how many now."""
    moment = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ESCALATE, {"now": moment})
        rows = [_Escalated(*row[:6]) for row in cursor.fetchall()]
        if rows:
            _notify(rows)
    return len(rows)


def _notify(rows: list[_Escalated]) -> int:
    from workflows.catalog.models import StaffProfile

    responders = {r.first_responder_id for r in rows}
    # The first responder's center now; the consultation's as it was logged otherwise.
    centers = dict(
        StaffProfile.objects.filter(user_id__in=responders, center__isnull=False).values_list(
            "user_id", "center_id"
        )
    )
    wanted = {centers.get(r.first_responder_id) or r.center_id for r in rows}
    supervisors = supervisors_above({c for c in wanted if c is not None}, with_top_level=True)
    url = reverse("firstquestion:consultation", kwargs={"pk": 0})
    messages: list[Message] = []
    for r in rows:
        due = timezone.localtime(r.ack_due_at).strftime("%Y-%m-%d %H:%M")
        title = _("【转办超时未签收】%(matter)s（签收期限 %(due)s）") % {
            "matter": r.matter[:60],
            "due": due,
        }
        link = url.replace("/0/", f"/{r.consultation_id}/")
        people = {r.first_responder_id: _("您是首问责任人：请督促接收人签收，或另行解答、转办。")}
        center_id = centers.get(r.first_responder_id) or r.center_id
        for user_id in supervisors.get(center_id, supervisors.get(None, [])):
            people.setdefault(user_id, _("请督促转办接收人签收办理。"))
        messages.extend(
            Message(
                recipient_id=user_id,
                kind=NOTIFICATION_KIND,
                title=title[:200],
                body=body,
                url=link,
                dedupe_key=f"fq:referral:{r.referral_id}:escalated",
            )
            for user_id, body in people.items()
        )
    return notify(messages)
