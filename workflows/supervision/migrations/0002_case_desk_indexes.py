"""Indexes on cases_case for the supervisor's desk (owned here, invisible to the cases app's state).

The cases app's partial indexes serve the sweep (cases not yet raised to a
level); the desk lists every running case by due date whatever its level, so
it needs its own. Each is partial on running cases and ends in ``id`` so a
keyset page is one ordered index range scan. ``state_operations=[]``: the
cases app's models do not know these indexes, so its makemigrations never
tries to drop them.
"""

from django.db import migrations

RUNNING = "status IN ('accepted', 'in_progress')"

# Each index on cases_case costs the sweep an index insertion per case it turns
# red (raising alert_level is never a HOT update: the cases app's partial
# indexes name alert_level), so the desk gets just these two.
INDEXES = {
    # Overdue (promised_due_at < now) and due soon (>= now), keyset-paged by due date.
    # INCLUDE carries what the desk filters on, so counting a filtered list (and
    # grouping the open overdue cases for statistics) is an index-only scan.
    "sup_case_running_due": (
        "(promised_due_at, id) INCLUDE (warn_at, center_id, department_id, item_id, handler_id)"
        f" WHERE {RUNNING}"
    ),
    # Statistics: cases decided in a period (rows enter it once, at the decision).
    "sup_case_decided": "(decided_at) WHERE decided_at IS NOT NULL",
}


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("cases", "0002_decision_working_days"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON cases_case {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
            state_operations=[],
        )
        for name, definition in INDEXES.items()
    ]
