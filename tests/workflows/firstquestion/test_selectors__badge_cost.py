"""The 我的首问 badge is drawn on every page: an index answers it, whatever the table's size."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows.firstquestion.selectors import attention_count
from workflows.firstquestion.services import first_question_mark_seen

pytestmark = pytest.mark.django_db


def _plans(user: User) -> list[str]:
    """The PostgreSQL plan of each statement the badge runs (sequential scans disfavoured)."""
    with CaptureQueriesContext(connection) as queries:
        attention_count(user)
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_badge_before_a_first_visit_reads_only_the_alerted_cases_index(clerk: User) -> None:
    plans = _plans(clerk)
    case_plans = [p for p in plans if "cases_case" in p]
    assert case_plans
    assert all("case_first_responder_alerted" in p for p in case_plans), plans


def test_the_badge_after_a_visit_reads_only_the_alerts_since(clerk: User) -> None:
    first_question_mark_seen(user=clerk)
    plans = _plans(clerk)
    event_plans = [p for p in plans if "cases_caseevent" in p]
    assert event_plans
    assert all("case_event_alert_at" in p for p in event_plans), plans
