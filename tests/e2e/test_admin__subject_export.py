"""An admin exports one person's data from the admin in Chromium and gets the ZIP.

管理后台 → 个人信息导出记录 → 导出个人信息: the ID number and the purpose are
typed in, the ZIP downloads, it holds the person's case and receipt PDF, and
the export is in the log (the ID number's hash, not the number).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from documents.models import Document
from documents.services import ensure_rendered
from tests.e2e.conftest import SCREENSHOTS, OpenPage
from tests.factories import accepted_case
from workflows.catalog.models import Center, ServiceItem
from workflows.privacy.export import id_number_hash
from workflows.privacy.models import SubjectExport

pytestmark = pytest.mark.e2e

PERSON = "441426199001011238"  # accepted_case's applicant


def test_an_admin_exports_a_persons_data_as_a_zip(open_page: OpenPage, tmp_path: Path) -> None:
    case = accepted_case(
        item=ServiceItem.objects.get(code="GA-WFZJ"),
        clerk=User.objects.get(username="clerk"),
        center=Center.objects.get(code="PY"),
        start_flow=False,
    )
    for document in Document.objects.filter(case=case):
        ensure_rendered(document)

    page = open_page("admin")
    page.goto("/admin/privacy/subjectexport/")
    page.get_by_role("link", name="导出个人信息").click()
    expect(page.locator("h1")).to_contain_text("导出个人信息")
    page.fill("#id_id_number", PERSON)
    page.fill("#id_reason", "申请人书面申请（第四十五条），申请编号 2026-017")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-subject-export.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="导出并下载").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    log = SubjectExport.objects.get()
    assert saved.name == f"subject-export-{log.pk}.zip"
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert [row["fields"]["number"] for row in data["cases"]] == [case.number]
    assert any(name.endswith(".pdf") for name in archive.namelist())
    assert log.actor.username == "admin"
    assert log.id_number_hash == id_number_hash(PERSON)
    assert log.reason == "申请人书面申请（第四十五条），申请编号 2026-017"

    page.goto("/admin/privacy/subjectexport/")
    expect(page.locator("#result_list")).to_contain_text(log.id_number_hash)
