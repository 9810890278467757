"""manage.py calendar: due, show, import, and their refusals."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from workflows.calendar import api
from workflows.calendar.arrangements import MAKEUP_ON_WEEKDAY, UNKNOWN_KEYS
from workflows.calendar.models import CalendarChange, CalendarYear

from .conftest import YAML_2027

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("start", "days", "printed"),
    [
        ("2025-01-20", "5", "2025-01-26\n"),
        ("2025-09-26", "5", "2025-10-10\n"),
        ("2025-09-30", "1", "2025-10-09\n"),
        ("2026-02-12", "3", "2026-02-24\n"),
        ("2026-09-18", "10", "2026-10-09\n"),
        ("2025-04-25", "20", "2025-05-27\n"),
        ("2025-10-04", "0", "2025-10-04\n"),
    ],
)
def test_due_prints_the_deadline(start: str, days: str, printed: str) -> None:
    assert run("due", start, days) == printed


def test_due_reaching_an_unpublished_year_is_marked_provisional_until_it_is_published(
    yaml_2027: Path,
) -> None:
    # Provisional 2027 (2024 layout): 2-05..2-12 off, make-up Sundays 1-31 and 2-14.
    assert run("due", "2027-01-28", "10") == "2027-02-17 provisional\n"
    assert run("due", "2026-12-30", "3") == "2027-01-05 provisional\n"
    run("import", str(yaml_2027))
    # Published 2027: make-up Sunday 1-31 counts, 2-05 and 2-08..2-12 are off.
    assert run("due", "2027-01-28", "10") == "2027-02-18\n"
    assert run("due", "2026-12-30", "3") == "2027-01-05\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("2025-13-01", "5"),
            "起算日“2025-13-01”不是 YYYY-MM-DD 格式的有效日期，例如 2025-09-30。",
        ),
        (
            ("2025/01/20", "5"),
            "起算日“2025/01/20”不是 YYYY-MM-DD 格式的有效日期，例如 2025-09-30。",
        ),
        (("tomorrow", "5"), "起算日“tomorrow”不是 YYYY-MM-DD 格式的有效日期，例如 2025-09-30。"),
        (("2025-01-20", "-5"), "工作日数“-5”必须是不小于 0 的整数，例如 20。"),
        (("2025-01-20", "5.5"), "工作日数“5.5”必须是不小于 0 的整数，例如 20。"),
        (
            ("1999-12-31", "5"),
            "日期 1999-12-31 超出工作日历的范围（2000-01-01 至 2099-12-31）。"
            "请使用此范围内的日期。",
        ),
    ],
)
def test_due_refuses_bad_input(args: tuple[str, str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        run("due", *args)
    assert str(raised.value) == message


def test_show_a_published_year() -> None:
    printed = run("show", "2026").splitlines()
    assert printed[:3] == [
        "2026 年工作日历：已发布",
        "通知：国务院办公厅关于2026年部分节假日安排的通知",
        "通知日期：2025-11-04",
    ]
    assert printed[3].startswith("发布时间：")
    assert printed[4:7] == [
        "工作日：248 天",
        "例外日（25 天）：",
        "  2026-01-01 周四 放假 元旦",
    ]
    assert "  2026-02-14 周六 调休上班 春节" in printed
    assert printed[-1] == "  2026-10-10 周六 调休上班 国庆节"
    assert len(printed) == 6 + 25


def test_show_a_provisional_year() -> None:
    printed = run("show", "2027").splitlines()
    assert printed[:5] == [
        "2027 年工作日历：暂定（尚未发布放假安排）",
        "按《全国年节及纪念日放假办法》的法定节假日、第六条补假和 2024 年确定的放假安排原则推算；"
        "据此算出的期限都标为暂定，发布该年安排后会重新计算。",
        "工作日：248 天",
        "推算的放假和调休上班日（23 天）：",
        "  2027-01-01 周五 放假 元旦",
    ]
    assert "  2027-01-31 周日 调休上班 春节" in printed
    assert "  2027-02-12 周五 放假 春节" in printed
    assert "  2027-10-07 周四 放假 国庆节" in printed


@pytest.mark.parametrize("year", ["abc", "1999", "2100"])
def test_show_refuses_a_bad_year(year: str) -> None:
    with pytest.raises(CommandError) as raised:
        run("show", year)
    assert str(raised.value) == f"年份“{year}”必须是 2000 至 2099 之间的整数，例如 2026。"


def test_import_publishes_and_audits(yaml_2027: Path) -> None:
    assert run("import", str(yaml_2027)) == (
        "已发布 2027 年安排（国办发明电〔2026〕99号（测试））：放假 18 天，调休上班 5 天。\n"
    )
    row = CalendarYear.objects.get(year=2027)
    assert row.status == CalendarYear.Status.PUBLISHED
    assert row.notice_date == date(2026, 11, 10)
    assert (
        CalendarChange.objects.filter(year=2027, action=CalendarChange.Action.IMPORT).count() == 1
    )
    assert run("show", "2027").splitlines()[0] == "2027 年工作日历：已发布"
    assert run("import", str(yaml_2027)) == "2027 年安排与已发布的相同，未改动。\n"


def test_import_dry_run_writes_nothing(yaml_2027: Path) -> None:
    changes = CalendarChange.objects.count()
    assert run("import", "--dry-run", str(yaml_2027)) == (
        "检查通过（未写入）：2027 年安排（国办发明电〔2026〕99号（测试））："
        "放假 18 天，调休上班 5 天。\n"
    )
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarChange.objects.count() == changes


def test_import_records_the_actor(yaml_2027: Path) -> None:
    user = User.objects.create_user(username="calendar_admin", password="x")
    run("import", "--actor", "calendar_admin", str(yaml_2027))
    assert CalendarChange.objects.get(year=2027).actor == user
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        run("import", "--actor", "nobody", str(yaml_2027))


SUFFIX = "\n未写入任何数据。请修改文件后重试（格式见 docs/calendar.md）。"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            YAML_2027.replace("[2027-04-25]", "[2027-04-26]"),
            MAKEUP_ON_WEEKDAY.format(day="2027-04-26"),
        ),
        (
            YAML_2027.replace("    rest: 2027-06-09", "    off: 2027-06-09"),
            UNKNOWN_KEYS.format(
                where="2027 年的安排的第 5 个节日", keys="False", allowed="makeup、name、rest"
            ),
        ),
        ("", "文件中没有任何年份的安排。请按 docs/calendar.md 的格式填写。"),
        ("- 2027\n", "第 1 个 YAML 文档不是映射（键: 值）。请按 docs/calendar.md 的格式填写。"),
        ("year: 2027\nnotice: x\n", "第 1 个文档缺少必填的键“festivals”。"),
        (
            YAML_2027 + "---\n" + YAML_2027,
            "年份 2027 在文件中出现了不止一次。每个年份只能有一份安排。",
        ),
    ],
)
def test_import_refuses_a_bad_file_and_writes_nothing(
    tmp_path: Path, content: str, error: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    changes = CalendarChange.objects.count()
    with pytest.raises(CommandError) as raised:
        run("import", str(path))
    assert str(raised.value) == error + SUFFIX
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarChange.objects.count() == changes
    assert api.get_calendar().is_provisional(date(2027, 1, 1))


def test_import_refuses_a_broken_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("year: 2027\nfestivals: [\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("import", str(path))
    assert str(raised.value).startswith("文件不是有效的 YAML：")
    assert str(raised.value).endswith(SUFFIX)


def test_import_refuses_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        run("import", str(tmp_path / "missing.yaml"))
    assert str(raised.value).startswith(f"无法读取文件 {tmp_path / 'missing.yaml'}：")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00year")
    with pytest.raises(CommandError) as raised:
        run("import", str(binary))
    assert str(raised.value) == (
        f"文件 {binary} 不是 UTF-8 编码的文本。请另存为 UTF-8 后重试。" + SUFFIX
    )


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = db["HOST"] or ""
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        return f"postgres://{credentials}@/{db['NAME']}?host={host}&port={db['PORT']}"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_command_line_exits_non_zero_with_the_message_on_stderr() -> None:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "calendar"]
    ok = subprocess.run(
        [*manage, "due", "2025-09-30", "1"], env=env, capture_output=True, text=True, check=False
    )
    # The other process sees only committed rows, so the exact date is checked above.
    assert ok.returncode == 0, ok.stderr
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}( provisional)?\n", ok.stdout)
    bad = subprocess.run(
        [*manage, "due", "2025-09-30", "-1"], env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert bad.stderr.strip() == "CommandError: 工作日数“-1”必须是不小于 0 的整数，例如 20。"
