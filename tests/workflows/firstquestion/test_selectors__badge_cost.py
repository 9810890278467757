"""The 我的首问 badge is drawn on every page: an index answers it, whatever the table's size."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows.firstquestion.selectors import attention_rows
from workflows.firstquestion.services import first_question_mark_seen

pytestmark = pytest.mark.django_db


def _plans(user: User) -> list[str]:
    """The PostgreSQL plan of each count the badge adds up (sequential scans disfavoured)."""
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for rows in attention_rows(user):
            with CaptureQueriesContext(connection) as queries:
                rows.count()
            cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_badge_before_a_first_visit_reads_only_the_alerted_cases_index(clerk: User) -> None:
    cases, _consultations, _alerts_since, _returns_since = _plans(clerk)
    assert "case_first_responder_alerted" in cases, cases


def test_the_badge_after_a_visit_reads_only_the_alerts_since(clerk: User) -> None:
    first_question_mark_seen(user=clerk)
    _cases, _consultations, alerts_since, _returns_since = _plans(clerk)
    assert "case_event_alert_at" in alerts_since, alerts_since
