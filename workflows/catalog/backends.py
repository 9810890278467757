"""The authentication backend: the signed-in staff member in one read per request.

Django's ModelBackend reads the user by primary key, and then the menu, the
top bar and every permission check read the user's groups, staff profile,
center and department one by one: four more statements on every page
(issue 17). ``StaffBackend.get_user`` brings them with the user: the profile,
center and department joined, the role names as one array sub-select, stored
where ``roles_of`` and ``profile_of`` look for them. They are read afresh on
every request, so a role taken away takes effect on the next page.

That read runs on every signed-in request, so its SQL is built once per
process from the models' own columns (``_staff_read``) instead of by the ORM
each time: compiling the joined query was about 2 ms of every page on the
2-CPU machine, more than running it. The rows become model instances
through ``Model.from_db``, with each field's database converters applied,
as the ORM's own iterator does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections, models, router

from workflows.catalog.models import Center, Department, StaffProfile
from workflows.catalog.roles import ROLES_ATTRIBUTE

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Part:
    """One model's columns in the joined row: where they start, and how each is converted."""

    model: type[models.Model]
    start: int
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]

    def instance(self, db: str, row: Sequence[Any], connection: Any) -> models.Model | None:
        values = list(row[self.start : self.start + len(self.names)])
        if values[0] is None:  # the primary key: no such row joined
            return None
        for index, converters, expression in self.converters:
            for convert in converters:
                values[index] = convert(values[index], expression, connection)
        return self.model.from_db(db, list(self.names), values)


@dataclass(frozen=True)
class _StaffRead:
    sql: str
    user: _Part
    profile: _Part
    center: _Part
    department: _Part
    roles_at: int


@cache
def _staff_read(db: str) -> _StaffRead:
    """The joined read of a user, their profile, its places and their role names."""
    connection = connections[db]
    quote = connection.ops.quote_name
    user_model = get_user_model()
    aliases: dict[type[models.Model], str] = {
        user_model: "u",
        StaffProfile: "s",
        Center: "c",
        Department: "d",
    }
    columns: list[str] = []
    parts: dict[type[models.Model], _Part] = {}
    for model, alias in aliases.items():
        fields = model._meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            expression = field.get_col(model._meta.db_table)
            found = tuple(
                connection.ops.get_db_converters(expression)
                + expression.get_db_converters(connection)
            )
            if found:
                converters.append((index, found, expression))
        parts[model] = _Part(
            model=model,
            start=len(columns),
            names=tuple(field.attname for field in fields),
            converters=tuple(converters),
        )
        columns += [f"{alias}.{quote(field.column)}" for field in fields]
    memberships = user_model._meta.get_field("groups").remote_field.through._meta  # type: ignore[union-attr]
    profile_user = StaffProfile._meta.get_field("user").column
    # Identifiers come from the models' metadata, quoted; the user id is a parameter.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"ARRAY(SELECT g.{quote('name')} FROM {quote(Group._meta.db_table)} g"
        f" JOIN {quote(memberships.db_table)} m ON m.{quote('group_id')} = g.{quote('id')}"
        f" WHERE m.{quote('user_id')} = u.{quote(user_model._meta.pk.column)})"
        f" FROM {quote(user_model._meta.db_table)} u"
        f" LEFT JOIN {quote(StaffProfile._meta.db_table)} s"
        f" ON s.{quote(profile_user)} = u.{quote(user_model._meta.pk.column)}"
        f" LEFT JOIN {quote(Center._meta.db_table)} c"
        f" ON c.{quote('id')} = s.{quote(StaffProfile._meta.get_field('center').column)}"
        f" LEFT JOIN {quote(Department._meta.db_table)} d"
        f" ON d.{quote('id')} = s.{quote(StaffProfile._meta.get_field('department').column)}"
        f" WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return _StaffRead(
        sql=sql,
        user=parts[user_model],
        profile=parts[StaffProfile],
        center=parts[Center],
        department=parts[Department],
        roles_at=len(columns),
    )


class StaffBackend(ModelBackend):
    """ModelBackend whose ``get_user`` reads the user, profile, places and roles at once."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        db = router.db_for_read(user_model)
        read = _staff_read(db)
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(read.sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user: Any = read.user.instance(db, row, connection)
        profile = read.profile.instance(db, row, connection)
        if profile is not None:
            own: Any = StaffProfile._meta
            own.get_field("center").set_cached_value(
                profile, read.center.instance(db, row, connection)
            )
            own.get_field("department").set_cached_value(
                profile, read.department.instance(db, row, connection)
            )
            own.get_field("user").set_cached_value(profile, user)
        staff: Any = user_model._meta.get_field("staff")
        staff.set_cached_value(user, profile)
        setattr(user, ROLES_ATTRIBUTE, frozenset(row[read.roles_at]))
        return user if self.user_can_authenticate(user) else None
