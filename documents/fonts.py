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
- OneWindow Serif SC Ext: the other BMP Han characters (URO, Ext. A,
  compatibility: ~21,000 glyphs) in ``PARTS["extended"]`` files of about
  1,300 glyphs each, sliced by code point;
- OneWindow Serif SC Rare: the characters beyond the BMP that Noto Serif CJK
  SC has (CJK Ext. B–H: 𠇔 𬌗 𫖯 𬍤 ..., about 2,300 glyphs) in
  ``PARTS["rare"]`` files. Without it a rare name fell through to the full
  Noto face and its 65,000 glyph slots: 198 KB for a receipt with 𠇔.

Why parts: an embedded subset still costs about 2 bytes per glyph slot up to
the highest glyph printed (the CFF CharStrings offsets), so a name with 喆 or
䶮 near the end of one 21,000-glyph Ext face added 15–18 KB and made the
receipt 106–110 KB. Each part is its own family ("OneWindow Serif SC Ext01"
...: WeasyPrint merges faces whose family and style match into one PDF font,
which printed one part's glyph IDs with another part's outlines; no space
before the number, which Pango would read as a size), listed one after the
other in the stylesheet's font stacks; a rare character now costs at most
about 4 KB (its part's slots plus one font object).

Every face also gets CIDs renumbered to its glyph IDs (``_renumber_cids``):
a subset keeps Noto's CIDs, which are far from contiguous, and the CFF charset
then stores 2 bytes for every slot; contiguous CIDs store one range. That alone
took 12 KB off every receipt (92 KB to 80 KB for a common name).

Anything beyond them falls through to the system's full Noto Serif CJK SC,
so every name still prints, at the cost of a larger PDF for that one document.

The faces are derived from Noto Serif CJK (SIL Open Font License 1.1) and
renamed "OneWindow Serif SC" (the licence reserves the name "Source"); they
are built by ``manage.py check_system`` once per machine, not per clone, into
the user's cache (``$XDG_CACHE_HOME/onewindow/fonts/v<BUILD_VERSION>``, by
default ``~/.cache/onewindow/fonts/v5``), and never committed. Sharing is safe:
the folder is per build version, a face is written to a temporary file and
renamed into place, and the manifest ties each face to the Noto file it came
from, so a changed Noto rebuilds it. ``ONEWINDOW_FONT_DIR`` overrides the
place; a cache that cannot be written falls back to the clone's ``var/fonts``.
Building takes one to three minutes of CPU (the extended faces hold 21,000
glyphs; they are cut once from Noto, then sliced into parts), reported face
by face. Without them documents still render with the system Noto faces,
only larger.
"""

from __future__ import annotations

import hashlib
import io
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

BUILD_VERSION = 5  # 5: Ext and Rare faces in parts, CIDs renumbered
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
    charset: str  # "common", "title", "extended" or "rare"
    part: int = 0  # 1..PARTS[charset] for a charset sliced into parts, else 0

    @property
    def postscript(self) -> str:
        return self.family.replace(" ", "") + "-" + self.weight


# How many files the large charsets are sliced into (about 1,300 and 1,150 glyphs each).
PARTS = {"extended": 16, "rare": 2}


def _parts(prefix: str, family: str, charset: str) -> tuple[Face, ...]:
    return tuple(
        Face(f"{prefix}{n:02d}-Regular.otf", f"{family}{n:02d}", "Regular", charset, n)
        for n in range(1, PARTS[charset] + 1)
    )


FACES = (
    Face("OneWindowSerifSC-Regular.otf", "OneWindow Serif SC", "Regular", "common"),
    Face("OneWindowSerifSCTitle-Bold.otf", "OneWindow Serif SC Title", "Bold", "title"),
    *_parts("OneWindowSerifSCExt", "OneWindow Serif SC Ext", "extended"),
    *_parts("OneWindowSerifSCRare", "OneWindow Serif SC Rare", "rare"),
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


def _slice(codepoints: list[int], part: int, parts: int) -> list[int]:
    """The ``part``-th (1-based) of ``parts`` consecutive slices of ``codepoints``."""
    size = -(-len(codepoints) // parts)
    return codepoints[(part - 1) * size : part * size]


def _rename(font, face: Face) -> None:  # type: ignore[no-untyped-def]
    name = font["name"]
    postscript = face.postscript
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
        "family": face.family,
        "charset": face.charset,
        "part": f"{face.part}/{PARTS.get(face.charset, 0)}",
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


def _renumber_cids(font) -> None:  # type: ignore[no-untyped-def]
    """Give the glyphs CIDs 0, 1, 2 ... in glyph order (``cid00001`` ...).

    A subset keeps Noto's CIDs, scattered over 65,000, so the CFF charset is
    stored glyph by glyph and every embedded subset pays ~2 bytes per slot for
    it; contiguous CIDs are one range. Outlines and the cmap are unchanged.
    A name-keyed CFF (no ROS) keeps its glyph names.
    """
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return
    order = font.getGlyphOrder()
    new = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(order))]
    renamed = dict(zip(order, new, strict=True))
    char_strings = top.CharStrings
    char_strings.charStrings = {renamed[g]: v for g, v in char_strings.charStrings.items()}
    top.charset = new
    for table in font["cmap"].tables:
        table.cmap = {cp: renamed[g] for cp, g in table.cmap.items()}
    font["hmtx"].metrics = {renamed[g]: v for g, v in font["hmtx"].metrics.items()}
    font.setGlyphOrder(new)


def _subset(font, unicodes: list[int]) -> None:  # type: ignore[no-untyped-def]
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []  # WeasyPrint drops GSUB/GPOS from its subsets anyway
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def _whole_charset(face: Face, source: Path) -> bytes:
    """``source`` cut to the whole charset of ``face`` (before slicing into parts)."""
    font = _open_source(source)
    _subset(font, _charset(font, face.charset))
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def build_face(face: Face, source: Path, *, whole: bytes | None = None) -> Path:
    """Subset ``source`` to ``face``'s characters with compacted glyph IDs.

    A part is sliced from ``whole`` (``_whole_charset``; cut here when not given),
    which is much faster than cutting every part from the 65,000-glyph Noto.
    """
    from fontTools.ttLib import TTFont

    if face.part:
        font = TTFont(io.BytesIO(whole or _whole_charset(face, source)))
        codepoints = sorted(font.getBestCmap())
        _subset(font, _slice(codepoints, face.part, PARTS[face.charset]))
    else:
        font = _open_source(source)
        _subset(font, _charset(font, face.charset))
    _renumber_cids(font)
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
    wholes: dict[str, bytes] = {}  # charset -> the whole cut, shared by its parts
    for number, face in enumerate(todo, start=1):
        if progress is not None:
            progress(number, len(todo), face)
        started = time.perf_counter()
        source = source_font(face.weight)
        if source is None:  # uninstalled while building
            raise FileNotFoundError(f"{SOURCE_FAMILY} {face.weight} disappeared")
        if face.part and face.charset not in wholes:
            wholes[face.charset] = _whole_charset(face, source)
        build_face(face, source, whole=wholes.get(face.charset))
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
