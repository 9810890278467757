"""``manage.py check_system``: fail clearly when documents would be slow, huge or wrong.

Checks that WeasyPrint subsets fonts with HarfBuzz (without libharfbuzz-subset0
it silently falls back to fontTools: 47x slower), that the Noto CJK fonts are
installed and print rare name characters, that the compact faces are built
(builds them when missing: one to three minutes, once per machine; see
``documents.fonts``), that the signing key loads, and that a document renders.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents import fonts

HARFBUZZ_MISSING = (
    "WeasyPrint 找不到 libharfbuzz-subset（≥ 4.1），将改用 fontTools 子集化字体："
    "每页约 6.6 秒而不是 0.1 秒。请安装：apt-get install libharfbuzz-subset0"
    "（或运行 bash scripts/system-deps.sh）。"
)
NOTO_MISSING = (
    "缺少 Noto CJK 字体（{families}），无法打印中文文书。请安装：apt-get install "
    "fonts-noto-cjk（或运行 bash scripts/system-deps.sh）。"
)
RARE_MISSING = "已安装的 {family} 缺少这些姓名用字：{chars}。请安装完整的 fonts-noto-cjk。"
FONTS_STALE = "精简字体缺失或已过期（{path}）：请去掉 --no-build 重新运行以生成。"
BUILDING = (
    "正在生成精简字体到 {path}：首次需 1～3 分钟 CPU 时间（视机器而定），"
    "每台机器只需一次，其他克隆共用。"
)
BUILT = "精简字体已生成，用时 {seconds:.0f} 秒。"
FACE_SIZES = {
    "common": "常用字 7,548 个字形",
    "title": "标题粗体 131 个字形",
    "extended": "扩展汉字约 21,000 个字形，分份生成，第 1 份最慢",
    "rare": "生僻字（扩展 B 区以后）约 2,300 个字形，分份生成",
}
KEY_UNREADABLE = "无法读取签名密钥（ONEWINDOW_SIGNING_KEYS / ONEWINDOW_SIGNING_KEY）：{error}"
RENDER_SLOW = (
    "一行字的文书渲染用了 {seconds:.1f} 秒：字体子集化过慢（是否已安装 libharfbuzz-subset0？）"
)


def harfbuzz_subsetting() -> tuple[bool, str]:
    """Whether WeasyPrint will subset with HarfBuzz, and which HarfBuzz it found."""
    import ctypes
    import ctypes.util

    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    version = "?"
    name = ctypes.util.find_library("harfbuzz")
    if name:
        lib = ctypes.CDLL(name)
        lib.hb_version_string.restype = ctypes.c_char_p
        version = lib.hb_version_string().decode()
    return (harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))), version


class Command(BaseCommand):
    help = "检查文书打印所需的系统库和字体（HarfBuzz 子集化、Noto CJK），并生成精简字体。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-build", action="store_true", help="只报告缺少的精简字体，不生成")
        parser.add_argument("--no-render", action="store_true", help="不做试渲染")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        ok, version = harfbuzz_subsetting()
        if ok:
            self.stdout.write(f"HarfBuzz {version}（子集化）：正常")
        else:
            problems.append(HARFBUZZ_MISSING)

        missing = [family for family in fonts.FALLBACK_FAMILIES if not fonts._fc_list(family)]
        if missing:
            problems.append(NOTO_MISSING.format(families=", ".join(missing)))
        else:
            self.stdout.write(f"字体 {', '.join(fonts.FALLBACK_FAMILIES)}：正常")
            rare = fonts.missing_characters(fonts.RARE_NAME_CHARACTERS, fonts.SOURCE_FAMILY)
            if rare:
                problems.append(
                    RARE_MISSING.format(family=fonts.SOURCE_FAMILY, chars="".join(rare))
                )
            else:
                self.stdout.write(f"生僻姓名用字 {fonts.RARE_NAME_CHARACTERS}：正常")

        if problems:
            raise CommandError("\n".join(problems))

        if fonts.fonts_ready():
            self.stdout.write(f"精简字体（{fonts.font_dir()}）：正常")
        elif options["no_build"]:
            raise CommandError(FONTS_STALE.format(path=fonts.font_dir()))
        else:
            self.stdout.write(BUILDING.format(path=fonts.font_dir()))
            self.stdout.flush()

            def progress(number: int, total: int, face: fonts.Face) -> None:
                part = f"，第 {face.part}/{fonts.PARTS[face.charset]} 份" if face.part else ""
                self.stdout.write(
                    f"  [{number}/{total}] {face.filename}（{FACE_SIZES[face.charset]}{part}）……"
                )
                self.stdout.flush()

            started = time.perf_counter()
            for name, seconds in fonts.build_fonts(progress=progress):
                self.stdout.write(f"    {name}：{seconds:.1f} 秒")
            self.stdout.write(BUILT.format(seconds=time.perf_counter() - started))

        from documents.keyring import SigningKeyError, current_key

        try:
            key_id = current_key().key_id
        except (SigningKeyError, ValueError) as exc:
            raise CommandError(KEY_UNREADABLE.format(error=exc)) from exc
        self.stdout.write(f"签名密钥：正常（当前 {key_id}）")

        if not options["no_render"]:
            self._render_probe()
        self.stdout.write(self.style.SUCCESS("文书打印环境就绪"))

    def _render_probe(self) -> None:
        from documents.render import render_pdf, reset_engine

        reset_engine()
        context = {"text": "受理通知书 张三 " + fonts.RARE_NAME_CHARACTERS}
        started = time.perf_counter()
        render_pdf(template="documents/_probe.html", context=context)
        first = time.perf_counter() - started
        started = time.perf_counter()
        result = render_pdf(template="documents/_probe.html", context=context)
        second = time.perf_counter() - started
        self.stdout.write(
            f"试渲染：首次 {first * 1000:.0f} ms，再次 {second * 1000:.0f} ms，"
            f"{len(result.pdf)} 字节"
        )
        if second > 2.0:
            raise CommandError(RENDER_SLOW.format(seconds=second))
