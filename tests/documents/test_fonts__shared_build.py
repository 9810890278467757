"""The compact faces are built once per machine (shared cache), with progress shown."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from documents import fonts


def test_without_an_override_the_faces_live_in_the_machines_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with override_settings(ONEWINDOW_FONT_DIR=None):
        where = fonts.font_dir()

    assert where == tmp_path / "cache" / "onewindow" / "fonts" / f"v{fonts.BUILD_VERSION}"
    assert where.is_dir()


def test_onewindow_font_dir_overrides_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with override_settings(ONEWINDOW_FONT_DIR=str(tmp_path / "mine")):
        assert fonts.font_dir() == tmp_path / "mine"


def test_an_unwritable_cache_falls_back_to_the_clones_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    with override_settings(ONEWINDOW_FONT_DIR=None, VAR_DIR=tmp_path / "var"):
        assert fonts.font_dir() == tmp_path / "var" / "fonts"


def test_check_system_reports_each_face_it_builds_and_the_real_cost(tmp_path: Path) -> None:
    fonts.build_fonts()  # the faces of this machine
    built = fonts.font_dir()
    target = tmp_path / "fonts"
    target.mkdir()
    for face in fonts.FACES:
        if face.charset != "title":  # leave the small bold face to be built
            shutil.copy2(built / face.filename, target / face.filename)
    shutil.copy2(built / "manifest.json", target / "manifest.json")
    out = io.StringIO()

    with override_settings(ONEWINDOW_FONT_DIR=str(target)):
        call_command("check_system", "--no-render", stdout=out)
        assert fonts.fonts_ready()

    text = out.getvalue()
    assert "约 40 秒" not in text
    assert "1～3 分钟" in text
    assert "每台机器只需一次" in text
    assert "[1/1] OneWindowSerifSCTitle-Bold.otf" in text
    assert "精简字体已生成" in text
