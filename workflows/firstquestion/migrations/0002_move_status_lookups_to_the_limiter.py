"""Status lookups move to the one limiter's log (web.LookupAttempt), kept for retention."""

from typing import Any

from django.db import migrations


def copy_lookups(apps: Any, schema_editor: Any) -> None:
    status_lookup = apps.get_model("firstquestion", "StatusLookup")
    attempt = apps.get_model("web", "LookupAttempt")
    rows = status_lookup.objects.order_by("pk").values_list("ip", "case_number", "result", "at")
    batch = []
    for ip, number, result, at in rows.iterator(chunk_size=5000):
        batch.append(attempt(scope="status", target=number, ip=ip, result=result, at=at))
        if len(batch) >= 5000:
            attempt.objects.bulk_create(batch)
            batch = []
    attempt.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("firstquestion", "0001_initial"),
        ("web", "0001_lookup_attempt"),
    ]

    operations = [
        migrations.RunPython(copy_lookups, migrations.RunPython.noop),
        migrations.DeleteModel(name="StatusLookup"),
    ]
