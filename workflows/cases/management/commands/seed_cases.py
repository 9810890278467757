"""Create realistic synthetic cases for demos and benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.cases.seeding import seed_cases


class Command(BaseCommand):
    help = "生成演示/压测用的模拟办件（覆盖各中心、各事项、各状态）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, required=True, help="办件数量")
        parser.add_argument("--open", action="store_true", help="全部为办理中的办件")
        parser.add_argument(
            "--due-now", type=int, default=0, help="其中多少件的承诺期限刚刚届满（压测督办扫描）"
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（可重复）")
        parser.add_argument(
            "--ratings", action="store_true", help="同时为已办结的办件生成好差评评价"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1:
            raise CommandError("--count 必须是正整数。")
        if options["due_now"] > options["count"]:
            raise CommandError("--due-now 不能大于 --count。")
        started = time.perf_counter()
        try:
            report = seed_cases(
                count=options["count"],
                open_only=options["open"],
                due_now=options["due_now"],
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已生成 {report.cases} 件办件、{report.materials} 条收件材料、"
            f"{report.events} 条办件记录"
            f"（其中 {report.due_now} 件刚刚超期），用时 {seconds:.1f} 秒。"
        )
        if options["ratings"]:
            from django.utils.module_loading import import_string

            # The rating app sits above cases: looked up by name, not imported.
            seed_ratings = import_string("workflows.rating.seeding.seed_ratings")
            rated = seed_ratings(seed=options["seed"])
            self.stdout.write(
                f"已生成 {rated.ratings} 条评价（默认评价 {rated.defaulted} 条），"
                f"差评整改 {rated.rectifications} 件。"
            )
