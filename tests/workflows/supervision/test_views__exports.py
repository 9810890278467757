"""CSV and XLSX exports hold exactly the rows the page shows, in the same order."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.cases.models import Case
from workflows.supervision import selectors
from workflows.supervision.services import sweep_deadlines
from workflows.web import exports

LATE = at(2026, 3, 20, 9)


@pytest.fixture
def overdue_cases(case_factory: CaseFactory, officer: User) -> list[Case]:
    cases = [
        case_factory(
            at=at(2026, 3, 2, 10) + timedelta(days=day), status="in_progress", officer=officer
        )
        for day in range(4)
    ]
    sweep_deadlines(now=LATE)
    return cases


def get(user: User, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def xlsx_rows(response: Any) -> list[list[str]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def as_text(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_overdue_export_has_the_rows_shown(
    overdue_cases: list[Case], supervisor: User, fmt: str
) -> None:
    shown = get(supervisor, "/supervision/overdue/?sort=due")
    assert shown.status_code == 200
    page_rows = [as_text(values) for _row, values in shown.context["rows"]]
    assert [r[0] for r in page_rows] == [c.number for c in overdue_cases]  # oldest due first
    assert all(r[6] != "0" for r in page_rows)  # working days late are counted

    exported = get(supervisor, f"/supervision/overdue/?sort=due&export={fmt}")
    assert exported.status_code == 200
    rows = csv_rows(exported) if fmt == "csv" else xlsx_rows(exported)
    assert rows[0] == [str(h) for h in shown.context["header"]]
    assert rows[1:] == page_rows
    assert "attachment" in exported["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_escalation_export_has_the_rows_shown(
    overdue_cases: list[Case], supervisor: User, fmt: str
) -> None:
    shown = get(supervisor, "/supervision/escalations/?state=all")
    page_rows = [as_text(values) for _e, values in shown.context["rows"]]
    assert len(page_rows) == 4 * 3
    rows = (
        csv_rows(get(supervisor, f"/supervision/escalations/?state=all&export={fmt}"))
        if (fmt == "csv")
        else xlsx_rows(get(supervisor, f"/supervision/escalations/?state=all&export={fmt}"))
    )
    assert rows[1:] == page_rows


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_statistics_export_has_the_rows_shown(
    overdue_cases: list[Case], supervisor: User, officer: User, clerk: User, fmt: str
) -> None:
    late = overdue_cases[0]
    case_services.case_decide(case=late, actor=officer, decision="approved", now=LATE)
    case_services.case_close(
        case=late,
        actor=clerk,
        delivery_method="window",
        overdue_reason="complex_case",
        overdue_reason_text="需多部门核实",
        now=LATE + timedelta(hours=1),
    )
    url = "/supervision/statistics/?group=department&period_from=2026-03-01&period_to=2026-03-31"
    shown = get(supervisor, url)
    assert shown.status_code == 200
    page_rows = [as_text(v) for v in [*shown.context["rows"], shown.context["total"]]]
    exported = get(supervisor, f"{url}&export={fmt}")
    rows = csv_rows(exported) if fmt == "csv" else xlsx_rows(exported)
    assert rows[1:] == page_rows


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_trail_export_has_the_rows_shown(
    overdue_cases: list[Case], supervisor: User, fmt: str
) -> None:
    number = overdue_cases[0].number
    shown = get(supervisor, f"/supervision/cases/{number}/trail/")
    page_rows = [as_text(v) for v in shown.context["rows"]]
    assert len(page_rows) == 6  # receive, accept, start, 3 alerts
    exported = get(supervisor, f"/supervision/cases/{number}/trail/?export={fmt}")
    rows = csv_rows(exported) if fmt == "csv" else xlsx_rows(exported)
    assert rows[1:] == page_rows


@pytest.mark.django_db
def test_xlsx_is_capped_and_says_so(
    overdue_cases: list[Case], supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = get(supervisor, "/supervision/overdue/?export=xlsx")
    rows = xlsx_rows(response)
    assert len(rows) == 1 + 2 + 1
    assert "仅导出前 2 行" in rows[-1][0]
    assert response["X-Export-Truncated"] == "1"
    full = csv_rows(get(supervisor, "/supervision/overdue/?export=csv"))
    assert len(full) == 1 + 4  # CSV is never capped


def test_a_formula_in_a_cell_is_not_run() -> None:
    rows = list(exports._csv_lines(["a"], [["=HYPERLINK(1)"], ["-1"], ["ok"]]))
    assert rows[2].startswith("'=HYPERLINK")
    assert rows[3].startswith("'-1")
    assert rows[4].strip() == "ok"


@pytest.mark.django_db
def test_csv_export_walks_past_the_first_chunk(overdue_cases: list[Case], supervisor: User) -> None:
    scope = selectors.desk_scope(supervisor)
    assert scope is not None
    qs = selectors.desk_cases(
        scope=scope, filters=selectors.CaseFilters(), mode=selectors.OVERDUE, now=LATE
    )
    rows = list(
        selectors.iter_desk_rows(qs, sort="-due", now=LATE, mode=selectors.OVERDUE, chunk=3)
    )
    assert [r.number for r in rows] == [c.number for c in reversed(overdue_cases)]
