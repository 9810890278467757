"""Index for the workbench queues: open human tasks by permission (viewflow ships none)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS tasks_open_human_task ON viewflow_task "
                "(owner_permission, process_id) "
                "WHERE flow_task_type = 'HUMAN' AND status IN ('NEW', 'ASSIGNED')"
            ),
            reverse_sql="DROP INDEX IF EXISTS tasks_open_human_task",
        ),
    ]
