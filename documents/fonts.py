"""The fonts documents are printed with, and the compact faces built from Noto.

Why compact faces: WeasyPrint subsets with HarfBuzz but keeps glyph IDs
(``retain_gids``), so an embedded subset carries an empty slot for every
glyph up to the highest one used. Noto CJK SC puts its Chinese punctuation
(，：；“”) at glyph IDs 58,000–63,000, so every Chinese page embeds about
63,000 slots per face: about 100–160 KB per face however few characters are
printed. The compact faces are Noto Serif CJK SC cut down with compacted
glyph IDs:

- OneWindow Serif SC: GB 2312 plus ASCII and common symbols (7,548 glyphs);
- OneWindow Serif SC Title (bold): only the characters of the templates' bold
  text (``TITLE_TEXT``, 131 glyphs);
- OneWindow Serif SC Ext: the other BMP Han characters (~21,000 glyphs).

- OneWindow Serif SC Rare: the characters beyond the BMP that Noto Serif CJK
  SC has (CJK Ext. B–H: 𠇔 𬌗 𫖯 𬍤 ..., about 2,300 glyphs). Without it a
  rare name fell through to the full Noto face and its 65,000 glyph slots:
  198 KB for a receipt with 𠇔 against 87 KB for a common name.

Anything beyond them falls through to the system's full Noto Serif CJK SC,
so every name still prints, at the cost of a larger PDF for that one document.

The faces are derived from Noto Serif CJK (SIL Open Font License 1.1) and
renamed "OneWindow Serif SC" (the licence reserves the name "Source"); they
are built by ``manage.py check_system`` once per machine, not per clone, into
the user's cache (``$XDG_CACHE_HOME/onewindow/fonts/v<BUILD_VERSION>``, by
default ``~/.cache/onewindow/fonts/v4``), and never committed. Sharing is safe:
the folder is per build version, a face is written to a temporary file and
renamed into place, and the manifest ties each face to the Noto file it came
from, so a changed Noto rebuilds it. ``ONEWINDOW_FONT_DIR`` overrides the
place; a cache that cannot be written falls back to the clone's ``var/fonts``.
Building takes one to three minutes of CPU (the extended face alone holds
21,000 glyphs), reported face by face. Without them documents still render
with the system Noto faces, only larger.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

BUILD_VERSION = 4
SOURCE_FAMILY = "Noto Serif CJK SC"
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)
# The rare name characters every installation must be able to print
# (WenQuanYi lacks the last six; Noto has them all).
RARE_NAME_CHARACTERS = "喆堃赟翀玥珺燊垚淼犇䶮㛃𠇔𬌗𫖯𬍤"
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# Python's gb2312 codec maps a few symbols to other code points than GBK/GB 18030
# (A1AA is U+2015, not the U+2014 em dash everyone types): include both.
EXTRA_SYMBOLS = "—―‖∥·・～〜…‘’“”•●○□■√×÷±≤≥※№℃°‰€¥￥"
# The bold face only prints template text (titles, headings, the decision), so it
# holds just those characters: a few glyph slots instead of 7,500 (about 25 KB less
# per PDF). It is its own family: fontconfig ranks language coverage above weight,
# so a 130-character bold face of the regular family would lose to the regular face.
# tests/documents check every bold string of the templates is covered.
TITLE_TEXT = (
    "受理通知书补正材料通知书（一次性告知书）不予受理决定书延期办理告知书特别程序告知书"
    "办结通知书督办单申请材料接收清单准予不予"
)


@dataclass(frozen=True)
class Face:
    """One compact face: its file name, the source weight and its character set."""

    filename: str
    family: str
    weight: str  # "Regular" or "Bold"
    charset: str  # "common", "title" or "extended"


FACES = (
    Face("OneWindowSerifSC-Regular.otf", "OneWindow Serif SC", "Regular", "common"),
    Face("OneWindowSerifSCTitle-Bold.otf", "OneWindow Serif SC Title", "Bold", "title"),
    Face("OneWindowSerifSCExt-Regular.otf", "OneWindow Serif SC Ext", "Regular", "extended"),
    Face("OneWindowSerifSCRare-Regular.otf", "OneWindow Serif SC Rare", "Regular", "rare"),
)
SUPPLEMENTARY_START = 0x20000  # the Supplementary Ideographic Plane and beyond (Ext. B–H)


def shared_font_dir() -> Path:
    """The per-machine cache of the faces: ``$XDG_CACHE_HOME/onewindow/fonts/v<version>``."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "onewindow" / "fonts" / f"v{BUILD_VERSION}"


def _writable(path: Path) -> bool:
    """True when ``path`` exists or can be made, and files can be created in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def font_dir() -> Path:
    """Where the compact faces live.

    ``ONEWINDOW_FONT_DIR`` when set; else the machine's shared cache
    (``shared_font_dir``), so every clone uses one build; else, when that
    cannot be written and holds no faces, the clone's ``var/fonts``.
    """
    configured = getattr(settings, "ONEWINDOW_FONT_DIR", None)
    if configured:
        return Path(configured)
    shared = shared_font_dir()
    if (shared / "manifest.json").is_file() or _writable(shared):
        return shared
    return Path(settings.VAR_DIR) / "fonts"


def face_path(face: Face) -> Path:
    """The file of ``face`` (which may not exist yet)."""
    return font_dir() / face.filename


def common_characters() -> set[str]:
    """GB 2312 (6,763 Han characters and 682 symbols) plus printable ASCII."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.add("\u3000")
    chars.update(EXTRA_SYMBOLS)
    return chars


def _find_files(name: str) -> list[Path]:
    found: list[Path] = []
    for root in FONT_DIRS:
        if root.is_dir():
            found.extend(sorted(root.rglob(name)))
    return found


def _fc_list(family: str) -> list[tuple[Path, str]]:
    """(file, style) pairs fontconfig knows for ``family``; empty without fc-list."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    out = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [exe, "--format", "%{file}|%{style}\n", f"{family}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout
    pairs = []
    for line in out.splitlines():
        if "|" in line:
            file, style = line.split("|", 1)
            pairs.append((Path(file), style))
    return pairs


def source_font(weight: str) -> Path | None:
    """The Noto Serif CJK collection file of ``weight`` on this machine, if any."""
    candidates = _find_files(f"NotoSerifCJK-{weight}.ttc") + _find_files(
        f"NotoSerifCJKsc-{weight}.otf"
    )
    if candidates:
        return candidates[0]
    for file, style in _fc_list(SOURCE_FAMILY):
        if weight.lower() in style.lower().split(","):
            return file
    return None


def _open_source(path: Path):  # type: ignore[no-untyped-def]
    """The SC member of a Noto CJK collection (or the font itself)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() != ".ttc":
        return TTFont(path)
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        family = font["name"].getDebugName(1) or ""
        if family.startswith(SOURCE_FAMILY):
            return TTFont(path, fontNumber=index)
    raise ValueError(f"{path} holds no {SOURCE_FAMILY} font")


def _charset(font, kind: str) -> list[int]:  # type: ignore[no-untyped-def]
    cmap = font.getBestCmap()
    common = {ord(c) for c in common_characters()}
    if kind == "common":
        return sorted(cp for cp in common if cp in cmap)
    if kind == "title":
        title = {ord(c) for c in TITLE_TEXT} | set(range(0x20, 0x7F))
        return sorted(cp for cp in title if cp in cmap)
    if kind == "rare":
        return sorted(cp for cp in cmap if cp >= SUPPLEMENTARY_START)
    return sorted(
        cp for cp in cmap if cp not in common and any(lo <= cp <= hi for lo, hi in HAN_BLOCKS)
    )


def _rename(font, face: Face) -> None:  # type: ignore[no-untyped-def]
    name = font["name"]
    postscript = face.family.replace(" ", "") + "-" + face.weight
    full = face.family if face.weight == "Regular" else f"{face.family} {face.weight}"
    for record_id, value in (
        (1, face.family),
        (2, face.weight),
        (3, f"{postscript};{BUILD_VERSION}"),
        (4, full),
        (6, postscript),
        (16, face.family),
        (17, face.weight),
    ):
        name.setName(value, record_id, 3, 1, 0x409)
    keep = {0, 1, 2, 3, 4, 5, 6, 7, 13, 14, 16, 17}
    name.names = [
        n for n in name.names if n.nameID in keep and (n.platformID, n.langID) == (3, 0x409)
    ]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = face.family


def _manifest_path() -> Path:
    return font_dir() / "manifest.json"


def _face_stamp(face: Face) -> dict[str, object] | None:
    """What a built face depends on: builder version, source file, character set."""
    source = source_font(face.weight)
    if source is None:
        return None
    stat = source.stat()
    return {
        "version": BUILD_VERSION,
        "source": str(source),
        "size": stat.st_size,
        "mtime": int(stat.st_mtime),
        "charset": face.charset,
        "text": hashlib.sha256(
            (TITLE_TEXT if face.charset == "title" else EXTRA_SYMBOLS).encode()
        ).hexdigest()[:16],
    }


def _read_manifest() -> dict[str, object]:
    try:
        data = json.loads(_manifest_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stale_faces() -> list[Face]:
    manifest = _read_manifest()
    return [
        face
        for face in FACES
        if not face_path(face).is_file() or manifest.get(face.filename) != _face_stamp(face)
    ]


def fonts_ready() -> bool:
    """True when every compact face exists and was built from the installed Noto."""
    return not _stale_faces()


def build_face(face: Face, source: Path) -> Path:
    """Subset ``source`` to ``face``'s characters with compacted glyph IDs."""
    from fontTools import subset

    font = _open_source(source)
    options = subset.Options()
    options.layout_features = []  # WeasyPrint drops GSUB/GPOS from its subsets anyway
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_charset(font, face.charset))
    subsetter.subset(font)
    _rename(font, face)
    target = face_path(face)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    font.save(tmp)
    os.replace(tmp, target)
    return target


def build_fonts(
    *, force: bool = False, progress: Callable[[int, int, Face], None] | None = None
) -> list[tuple[str, float]]:
    """Build the missing or stale compact faces; return (file, seconds) per face built.

    ``progress(n, total, face)`` is called before the n-th of ``total`` faces starts.
    """
    if any(source_font(face.weight) is None for face in FACES):
        raise FileNotFoundError(
            f"{SOURCE_FAMILY} is not installed (Debian/Ubuntu: apt-get install fonts-noto-cjk)"
        )
    built: list[tuple[str, float]] = []
    manifest = _read_manifest()
    todo = list(FACES) if force else _stale_faces()
    for number, face in enumerate(todo, start=1):
        if progress is not None:
            progress(number, len(todo), face)
        started = time.perf_counter()
        source = source_font(face.weight)
        if source is None:  # uninstalled while building
            raise FileNotFoundError(f"{SOURCE_FAMILY} {face.weight} disappeared")
        build_face(face, source)
        manifest[face.filename] = _face_stamp(face)
        built.append((face.filename, time.perf_counter() - started))
        log.info("built %s in %.1f s", face.filename, built[-1][1])
    if built:
        tmp = _manifest_path().with_name(f".manifest.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(tmp, _manifest_path())
    return built


def missing_characters(text: Iterable[str], family: str) -> list[str]:
    """Characters of ``text`` that no installed face of ``family`` covers (via fc-list)."""
    from fontTools.ttLib import TTCollection, TTFont

    files = [file for file, _style in _fc_list(family)]
    cmaps: list[set[int]] = []
    for file in files:
        if file.suffix.lower() == ".ttc":
            for font in TTCollection(file, lazy=True).fonts:
                if (font["name"].getDebugName(1) or "").startswith(family):
                    cmaps.append(set(font.getBestCmap()))
        else:
            cmaps.append(set(TTFont(file, lazy=True).getBestCmap()))
    if not cmaps:
        return list(text)
    return [ch for ch in text if not any(ord(ch) in cmap for cmap in cmaps)]
