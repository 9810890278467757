"""CSV (streamed, any size) and XLSX (capped) exports of staff lists (desk, statistics, ratings)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

# openpyxl keeps every cell of a sheet in memory until it is saved (even in
# write-only mode it builds the whole file before the response starts):
# 50,000 rows of 14 columns take about 40 MB and a few seconds. Larger sets: CSV.
XLSX_MAX_ROWS = 50_000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write returns what was written (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    # Keep spreadsheets from running a cell as a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly
    yield writer.writerow([_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([_cell("" if v is None else v) for v in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream ``rows`` as CSV: memory stays flat however many rows there are."""
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    max_rows: int | None = None,
) -> HttpResponse:
    """Write at most ``max_rows`` rows to an XLSX file; a last line says when it was cut."""
    from openpyxl import Workbook

    max_rows = XLSX_MAX_ROWS if max_rows is None else max_rows
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=filename[:31])
    sheet.append(list(header))
    written = 0
    truncated = False
    for row in rows:
        if written >= max_rows:
            truncated = True
            break
        sheet.append([_excel_value(v) for v in row])
        written += 1
    if truncated:
        sheet.append(
            [_("仅导出前 %(max)d 行；完整数据请导出 CSV，或缩小筛选范围。") % {"max": max_rows}]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["X-Export-Rows"] = str(written)
    response["X-Export-Truncated"] = "1" if truncated else "0"
    return response


def _excel_value(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        # Excel has no time zones: write local wall-clock time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return _cell(value)


def export_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """CSV or XLSX by ``fmt``."""
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)
