"""A center's hours (supervisors, admins): add or remove an opening period, rota day or closure."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from workflows.catalog.models import Center
from workflows.hall import errors


def _check_times(opens: Any, closes: Any) -> None:
    if opens >= closes:
        raise errors.HallError(errors.CLOSES_BEFORE_OPENS)


@transaction.atomic
def hours_add(*, center: Center, form: Any) -> Any:
    """Save a new OpeningPeriod, RotaDay or Closure for ``center`` from a valid ModelForm."""
    from workflows.calendar import api as calendar
    from workflows.hall.models import Closure, RotaDay

    row = form.save(commit=False)
    row.center = center
    if hasattr(row, "opens"):
        _check_times(row.opens, row.closes)
    if isinstance(row, RotaDay) and calendar.is_working_day(row.date):
        raise errors.HallError(errors.ROTA_ON_WORKING_DAY, day=row.date)
    taken = isinstance(row, RotaDay | Closure) and (
        type(row).objects.filter(center=center, date=row.date).exists()
    )
    if taken:
        raise errors.HallConflict(errors.DAY_TAKEN, day=row.date)
    row.save()
    form.save_m2m()
    return row


@transaction.atomic
def hours_remove(*, center: Center, kind: str, pk: int | str) -> None:
    """Delete one hours row of ``center`` (``kind``: period, rota or closure).

    ``pk`` may be the form's text; anything but a row id of that kind (other
    scripts' digits, a huge number, an unknown kind) is refused (HallError).
    """
    from workflows.hall.models import Closure, OpeningPeriod, RotaDay

    model = {"period": OpeningPeriod, "rota": RotaDay, "closure": Closure}.get(kind)
    text = str(pk)
    if model is None or not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise errors.HallError(errors.HOURS_ROW_UNKNOWN)
    model.objects.filter(center=center, pk=int(text)).delete()  # type: ignore[attr-defined]
