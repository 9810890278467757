"""Telling the first responder when their case is decided (首问 follows the case to delivery)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.cases.models import Case, CaseEvent, Decision
from workflows.cases.signals import case_event_recorded
from workflows.notifications.services import Message, notify

DECIDED_KIND = "first_question_decided"


def decided_dedupe_key(case: Case) -> str:
    """One decision notice per case, however often the signal is replayed."""
    return f"fq:case:{case.pk}:decided"


@receiver(case_event_recorded, dispatch_uid="firstquestion.notify_first_responder_on_decision")
def notify_first_responder_on_decision(*, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """A case was decided: its first responder is told, in the deciding transaction."""
    if event.action != "decide" or case.first_responder_id is None:
        return
    if event.actor_id is not None and event.actor_id == case.first_responder_id:
        return  # they decided it themselves (即办件 at the window): nothing to tell
    decision = Decision(case.decision).label if case.decision in Decision.values else ""
    notify(
        [
            Message(
                recipient_id=case.first_responder_id,
                kind=DECIDED_KIND,
                title=_("【首问】办件 %(number)s %(item)s 已作出决定：%(decision)s")
                % {"number": case.number, "item": case.item.name, "decision": decision},
                body=_(
                    "您是本件的首问责任人。结果须送达申请人（窗口领取、邮寄或电子送达）"
                    "并确认后，办件才算办结；请跟踪送达。"
                ),
                url=reverse("window:case_detail", kwargs={"number": case.number}),
                dedupe_key=decided_dedupe_key(case),
                case_id=case.pk,
            )
        ]
    )
