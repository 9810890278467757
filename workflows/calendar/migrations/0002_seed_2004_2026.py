"""Seed the published arrangements of 2004–2026 (see workflows/calendar/seed.py).

Same rows as ``manage.py calendar seed``, written with the historical models:
years that already have a row are left alone, so re-running is harmless.
"""

import uuid

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from workflows.calendar.seed import SEED_YEARS, seed_arrangements

    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    ExceptionDay = apps.get_model("workcalendar", "ExceptionDay")
    CalendarChange = apps.get_model("workcalendar", "CalendarChange")
    CalendarVersion = apps.get_model("workcalendar", "CalendarVersion")

    version, _ = CalendarVersion.objects.select_for_update().get_or_create(pk=1)
    present = set(CalendarYear.objects.values_list("year", flat=True))
    now = timezone.now()
    seeded = 0
    for arrangement in seed_arrangements(year for year in SEED_YEARS if year not in present):
        calendar_year = CalendarYear.objects.create(
            year=arrangement.year,
            status="published",
            notice=arrangement.notice,
            notice_date=arrangement.notice_date,
            published_at=now,
        )
        days = [
            {"date": spec.day.isoformat(), "kind": str(spec.kind), "festival": spec.festival}
            for spec in arrangement.days
        ]
        ExceptionDay.objects.bulk_create(
            ExceptionDay(date=spec.day, kind=str(spec.kind), festival=spec.festival, year=calendar_year)
            for spec in arrangement.days
        )
        CalendarChange.objects.create(
            actor=None,
            at=now,
            year=arrangement.year,
            action="seed",
            payload={
                "before": None,
                "after": {
                    "status": "published",
                    "notice": arrangement.notice,
                    "notice_date": (
                        arrangement.notice_date.isoformat() if arrangement.notice_date else None
                    ),
                    "days": days,
                },
            },
        )
        seeded += 1
    if seeded:
        version.token = uuid.uuid4()
        version.counter += 1
        version.changed_at = now
        version.save()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
