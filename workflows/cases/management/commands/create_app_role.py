"""Create (or refresh) the database role the application connects with.

The role owns nothing, is no superuser and may not create roles or databases, so it
cannot ALTER a table, DISABLE a trigger, set ``session_replication_role`` or TRUNCATE.
It may read and write the application's tables, but on the audit trail only SELECT and
INSERT. Migrations run as the owning role; run this command again after ``migrate`` so
that new tables are granted too (docs/operations.md).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from workflows.cases.models import CaseEvent

APPEND_ONLY_TABLES = (CaseEvent._meta.db_table,)


def grant_app_role(role: str, password: str | None = None) -> None:
    """Create ``role`` if needed and give it exactly the application's privileges."""
    ident = sql.Identifier(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
        cursor.execute(
            sql.SQL(
                "ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            ).format(ident)
        )
        if password:
            cursor.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password))
            )
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s",
            [role],
        )
        owned = cursor.fetchone()
        if owned and owned[0]:
            raise CommandError(
                f"角色 {role} 拥有 {owned[0]} 个数据库对象：应用角色不得拥有任何对象"
            )
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone() or ("", "public")
        db, sch = sql.Identifier(database), sql.Identifier(schema)
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, ident),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sch, ident),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(sch, ident),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(sch, ident),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
                sch, ident
            ),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(sch, ident),
        ]
        for table in APPEND_ONLY_TABLES:
            statements.append(
                sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), ident)
            )
        for statement in statements:
            cursor.execute(statement)


class Command(BaseCommand):
    help = (
        "创建或更新应用连接数据库所用的角色：不拥有任何对象、不能停用触发器或清空表，"
        "办件记录表只能查询和插入。每次 migrate 之后再运行一次。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role", help="角色名，例如 onewindow_app")
        parser.add_argument(
            "--password-env",
            help="从这个环境变量读取登录密码（不在命令行上写密码）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"环境变量 {options['password_env']} 未设置或为空")
        grant_app_role(options["role"], password)
        self.stdout.write(f"应用角色 {options['role']} 已就绪：办件记录只能 SELECT、INSERT。")
