"""Run every benchmark and write the results to docs/performance.md.

``make bench`` runs this. Each benchmark module under benches/ exposes
``run() -> dict``; the figures are written with the machine they were
measured on, so a number never travels without its context.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHES = [
    ("working_days", "工作日计算 add_working_days (issue 3)"),
    ("receipts", "回执 PDF 渲染 (issue 5)"),
    ("sweep", "超期扫描与督查台 (issue 6)"),
    ("dashboard", "数据看板 (issue 19)"),
    ("http_load", "请求路径：受理、首页、查询、领取办结、督查 (issues 17, 18)"),
    ("hall", "叫号 call next in a busy day (issue 15)"),
    ("growth", "规模增长：10 万与 100 万件时的首页、收件表单、结果页与受理 (issues 17, 18)"),
    ("celery_render", "Celery 模式：受理不渲染，回执随 worker 扩展 (issue 17)"),
    ("province", "省级规模：1000 万件时的扫描、工作台与统计 (issue 17)"),
]
# Run only when named (`python benches/run.py province`): seeding 10,000,000 cases
# takes about an hour; the default `make bench` keeps their previous figures.
NOT_BY_DEFAULT = {"province"}


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info = {"python": platform.python_version(), "platform": platform.platform()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in {"Model name", "CPU(s)"}:
                info[key.strip()] = value.strip()
    except FileNotFoundError:
        pass
    try:
        with open("/proc/meminfo") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
            info["memory"] = f"{total_kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return info


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _flatten(f"{prefix}.{k}", v)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [row for i, v in enumerate(value, 1) for row in _flatten(f"{prefix}[{i}]", v)]
    return [(prefix, value)]


def _table(result: dict[str, Any]) -> str:
    rows = ["| measure | value |", "|---|---|"]
    for key, value in result.items():
        for name, leaf in _flatten(key, value):
            shown = json.dumps(leaf, ensure_ascii=False) if isinstance(leaf, list) else leaf
            rows.append(f"| {name} | {shown} |")
    return "\n".join(rows)


def _load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _busy(load: str) -> bool:
    """True when the 1-minute load average shows other work on the machine."""
    try:
        return float(load.split(" / ")[0]) > 1.0
    except ValueError:
        return False


def _previous_sections() -> dict[str, str]:
    """The sections of docs/performance.md by title, to keep those not re-run."""
    path = ROOT / "docs" / "performance.md"
    if not path.exists():
        return {}
    text = path.read_text()
    titles = [title for _, title in BENCHES]
    found: dict[str, str] = {}
    for title in titles:
        start = text.find(f"## {title}\n")
        if start < 0:
            continue
        ends = [text.find(f"## {t}\n", start + 1) for t in titles if t != title]
        end = min([e for e in ends if e > start] or [len(text)])
        found[title] = text[start:end].rstrip() + "\n"
    return found


def main(names: list[str]) -> None:
    """Run the named benchmarks (default: all) and rewrite docs/performance.md.

    ``--quick`` (``make bench QUICK=1``) sets BENCH_QUICK=1: the benchmarks
    that honour it run short points for development on a shared machine.
    Sections of benchmarks not named keep their previous figures.
    """
    if "--quick" in names:
        names = [n for n in names if n != "--quick"]
        os.environ["BENCH_QUICK"] = "1"
    quick = os.environ.get("BENCH_QUICK", "") not in {"", "0", "false"}
    load_before = _load_average()
    previous = _previous_sections()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select version()")
        postgres = cursor.fetchone()[0].split(",")[0]
    sections = []
    for name, title in BENCHES:
        if (names and name not in names) or (not names and name in NOT_BY_DEFAULT):
            if title in previous:
                sections.append(previous[title])
            continue
        module = importlib.import_module(f"benches.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = module.run()
        print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
        sections.append(
            f"## {title}\n\n`benches/{name}.py`, {time.perf_counter() - started:.0f} s"
            f" in all{' (quick run: BENCH_QUICK=1)' if quick else ''}, measured"
            f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average (1/5/15 min) before"
            f" {load_before}, after {_load_average()}.\n\n{_table(result)}\n"
        )
    box = machine()
    header = (
        "# Performance\n\n"
        "Written by `make bench` (`benches/run.py`); do not edit by hand — rerun it.\n"
        "Targets come from the issues; tests never assert timings.\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on: "
        + ", ".join(f"{k} {v}" for k, v in box.items())
        + f", {postgres}.\n"
        + f"Load average (1/5/15 min) at the start {load_before}, at the end {_load_average()}"
        + (
            " — the machine was shared and loaded; compare figures only with that in mind.\n"
            if _busy(load_before)
            else ".\n"
        )
    )
    intro = ROOT / "docs" / "performance-notes.md"
    notes = intro.read_text() if intro.exists() else ""
    (ROOT / "docs" / "performance.md").write_text(
        header + "\n" + notes + "\n" + "\n".join(sections)
    )
    print("wrote docs/performance.md")


if __name__ == "__main__":
    main(sys.argv[1:])
