"""The English catalogue is complete and well formed, and English users see English."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils.translation.reloader import translation_file_changed

from workflows.catalog.roles import display_name, profile_of

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# msgfmt refuses these two viewflow plurals in any non-empty form: their msgid uses
# %(name)s, which their msgid_plural lacks, and msgfmt checks every msgstr[n]
# against msgid_plural. Left empty, Django shows viewflow's own English msgid.
EMPTY_ALLOWED = {
    "\n                        Export the %(name)s\n                      ",
    "\n                        Are you sure you want to delete the %(name)s and related"
    " items?\n                      ",
}

PERCENT = re.compile(r"%(?:\(\w+\))?[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"(?<!\{)\{\w*\}(?!\})")
TAG = re.compile(r"</?\w+[^>]*>")
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Entry:
    """One message of a PO file."""

    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[k] for k in sorted(self.msgstr)]


def parse_po(path: Path) -> list[Entry]:
    """The entries of ``path`` (header excluded, obsolete ``#~`` entries skipped)."""
    entries: list[Entry] = []
    current = Entry(line=1)
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal current, target
        if current.msgstr:
            entries.append(current)
        current, target = Entry(line=number), None

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
    number = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if current.msgstr:
                flush()
            continue
        if line.startswith("#,"):
            if current.msgstr:
                flush()
            current.flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            if current.msgstr:
                flush()
            continue
        match = keyword.match(line)
        if match:
            name, index, quoted = match.groups()
            if name in ("msgctxt", "msgid") and current.msgstr:
                flush()
            value = ast.literal_eval(quoted)
            if name.startswith("msgstr"):
                current.msgstr[int(index or 0)] = value
                target = ("msgstr", int(index or 0))
            else:
                setattr(current, name, value)
                target = (name, 0)
            continue
        assert line.startswith('"'), f"{path}:{number}: {raw!r}"
        assert target is not None, f"{path}:{number}: a continuation line without a keyword"
        value = ast.literal_eval(line)
        if target[0] == "msgstr":
            current.msgstr[target[1]] += value
        else:
            setattr(current, target[0], getattr(current, target[0]) + value)
    flush()
    return [e for e in entries if e.msgid != ""]


@pytest.fixture(scope="session")
def entries() -> list[Entry]:
    return parse_po(PO)


@pytest.fixture(scope="session")
def english_compiled() -> None:
    """Compile locale/en if its .mo is missing or older than the .po (make does this too)."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "var"])
        # Drop catalogues Django may have loaded before the .mo existed.
        translation_file_changed(sender=None, file_path=MO)


def placeholders(text: str, entry: Entry) -> Counter[str]:
    """The format placeholders, HTML tags and edge newlines of ``text`` that must survive."""
    found: Counter[str] = Counter(TAG.findall(text))
    if "python-format" in entry.flags:
        found.update(PERCENT.findall(text.replace("%%", "")))
    if "python-brace-format" in entry.flags:
        found.update(BRACE.findall(text))
    found.update(
        {"<leading newline>": text.startswith("\n"), "<trailing newline>": text.endswith("\n")}
    )
    return +found


def test_catalogue_has_the_project_strings(entries: list[Entry]) -> None:
    ids = {e.msgid for e in entries}
    assert len(entries) > 1000
    assert {"综合窗口", "受理", "一次性告知补正", "督办单", "首问责任人"} <= ids


def test_every_entry_is_translated(entries: list[Entry]) -> None:
    empty = [
        (e.line, e.msgid)
        for e in entries
        if e.msgid not in EMPTY_ALLOWED and not all(s.strip() for s in e.translations)
    ]
    assert not empty, empty
    assert {e.msgid for e in entries if not any(e.translations)} <= EMPTY_ALLOWED


def test_plural_entries_have_both_english_forms(entries: list[Entry]) -> None:
    wrong = [
        (e.line, e.msgid)
        for e in entries
        if e.msgid_plural is not None
        and e.msgid not in EMPTY_ALLOWED
        and sorted(e.msgstr) != [0, 1]
    ]
    assert not wrong, wrong


def test_no_entry_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [(e.line, e.msgid) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, fuzzy


def test_no_translation_is_left_in_chinese(entries: list[Entry]) -> None:
    # Chinese stays only where it is the thing itself: a document-number example.
    chinese = [
        (e.line, s)
        for e in entries
        for s in e.translations
        if CJK.search(s) and not re.search(r"〔\d{4}〕", s)
    ]
    assert not chinese, chinese


def test_placeholders_tags_and_edge_newlines_are_kept(entries: list[Entry]) -> None:
    broken = []
    for e in entries:
        if e.msgid in EMPTY_ALLOWED:
            continue
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, text in enumerate(e.translations):
            # English plurals: msgstr[0] is the singular, msgstr[1] the plural.
            source = sources[min(index, len(sources) - 1)]
            if placeholders(text, e) != placeholders(source, e):
                broken.append((e.line, source, text))
    assert not broken, broken


def test_placeholder_check_catches_a_dropped_placeholder() -> None:
    entry = Entry(line=0, flags={"python-format"}, msgid="办件 %(number)s 不存在。")
    assert placeholders("Case does not exist.", entry) != placeholders(entry.msgid, entry)
    assert placeholders("Case %(number)s does not exist.", entry) == placeholders(
        entry.msgid, entry
    )


def test_catalogue_passes_msgfmt_check() -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is needed to compile the catalogues"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- rendered pages


def menu_text(html: str) -> str:
    """The visible text of the top bar's main menu."""
    match = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, flags=re.S)
    assert match, "the page has no main menu"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def visible_text(html: str) -> str:
    """The page's text without tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def english_client(client: Client, clerk: User, english_compiled: None) -> Client:
    client.force_login(clerk)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_english_home_page_has_an_english_menu(english_client: Client) -> None:
    response = english_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    menu = menu_text(html)
    assert "General window" in menu
    assert "Consultation log" in menu
    assert not CJK.search(menu), menu
    assert "OneWindow" in html
    assert "Log out" in html


@pytest.mark.django_db
def test_english_window_page_is_in_english(english_client: Client, clerk: User) -> None:
    response = english_client.get("/window/")
    html = response.content.decode()
    assert response.status_code == 200
    assert not CJK.search(menu_text(html))
    text = visible_text(html)
    for phrase in ("General window", "Received today", "Received, awaiting acceptance"):
        assert phrase in text
    # Data stays as entered (the center's and the clerk's names), and the language
    # selector names Chinese in Chinese.
    profile = profile_of(clerk)
    assert profile is not None
    assert profile.center is not None
    leftover = text
    for data in (profile.center.name, display_name(clerk), "简体中文"):
        leftover = leftover.replace(data, "")
    assert not CJK.search(leftover), CJK.findall(leftover)


@pytest.mark.django_db
def test_chinese_is_still_the_default(client: Client, clerk: User, english_compiled: None) -> None:
    client.force_login(clerk)
    html = client.get("/window/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "综合窗口" in menu_text(html)
    assert "General window" not in html


@pytest.mark.django_db
def test_switching_back_to_chinese_renders_chinese(english_client: Client) -> None:
    assert "General window" in english_client.get("/window/").content.decode()
    english_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = english_client.get("/window/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "综合窗口" in menu_text(html)
    assert "今日收件" in html
    assert "General window" not in html
