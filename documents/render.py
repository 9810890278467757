"""``render_pdf``: the one way a document becomes PDF bytes.

- Only templates under ``documents/`` (this app's own, trusted) reach
  WeasyPrint; everything from citizens arrives through the template context
  and is autoescaped. The templates hold no ``<style>`` or ``<link>``: the
  single print stylesheet (``documents/static/documents/print.css``, every
  ``@page`` rule) is passed in here.
- One ``FontConfiguration`` and one parsed stylesheet per process; fonts are
  always subset (never ``full_fonts``), which is fast only when WeasyPrint
  finds ``libharfbuzz-subset`` (``manage.py check_system`` fails otherwise).
- No network and no file access chosen by data: the URL fetcher serves the
  compact faces (``owfont:`` URLs), files inside this app's static folder and
  inline ``data:image/png|jpeg`` (the seal), and refuses everything else.
"""

from __future__ import annotations

import atexit
import base64
import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils import translation

from documents import fonts

log = logging.getLogger(__name__)

STATIC_DIR = (Path(__file__).resolve().parent / "static" / "documents").resolve()
PRINT_CSS = STATIC_DIR / "print.css"
TEMPLATE_PREFIX = "documents/"
ALLOWED_DATA_TYPES = ("data:image/png;", "data:image/jpeg;")
FONT_SCHEME = "owfont:"
MM_PER_PX = 25.4 / 96
QR_DPI = 300
QR_BORDER = 2  # modules of quiet zone around the code


class UntrustedTemplate(ValueError):
    """A template outside documents/ was passed to render_pdf."""


@dataclass(frozen=True)
class RenderedPdf:
    """PDF bytes and how many pages they hold."""

    pdf: bytes
    pages: int
    page_size_mm: tuple[float, float]


def _safe_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """Serve only the project's own fonts and static files and inline images."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(FONT_SCHEME):
                name = url[len(FONT_SCHEME) :]
                face = next((f for f in fonts.FACES if f.filename == name), None)
                if face is None or not fonts.face_path(face).is_file():
                    raise ValueError(f"no such font: {url}")
                return URLFetcherResponse(url, fonts.face_path(face).read_bytes())
            if url.startswith(ALLOWED_DATA_TYPES) and ";base64," in url:
                data = base64.b64decode(url.split(",", 1)[1])
                mime = url[5 : url.index(";")]
                return URLFetcherResponse(url, data, headers={"Content-Type": mime})
            parts = urlsplit(url)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(STATIC_DIR) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"documents may not load {url[:80]!r}")

    return SafeFetcher


class _Engine:
    """The per-process WeasyPrint state: fonts, stylesheet, fetcher, and a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._state: tuple[Any, Any, Any] | None = None

    def state(self) -> tuple[Any, Any, Any]:
        if self._state is None:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fetcher = _safe_fetcher_class()()
            font_config = FontConfiguration()
            css = CSS(
                string=PRINT_CSS.read_text(encoding="utf-8"),
                base_url=STATIC_DIR.as_uri() + "/",
                url_fetcher=fetcher,
                font_config=font_config,
            )
            if not fonts.fonts_ready():
                log.warning(
                    "compact document fonts missing in %s: documents use the full Noto "
                    "faces and come out larger; run `manage.py check_system`",
                    fonts.font_dir(),
                )
            self._state = (font_config, css, fetcher)
        return self._state

    def reset(self) -> None:
        with self.lock:
            self._state = None


_engine = _Engine()
# Drop WeasyPrint's font configuration before interpreter teardown (its __del__
# needs modules that are gone by then).
atexit.register(_engine.reset)


def warm_up() -> None:
    """Load WeasyPrint, the fonts and the stylesheet now (gunicorn's post_fork), not on
    the first receipt, which otherwise takes about a second."""
    _engine.state()


def reset_engine() -> None:
    """Forget the process's fonts and stylesheet (after building fonts, in tests)."""
    _engine.reset()


def _fit_height(document: Any) -> None:
    """Shrink each page to its content (a thermal ticket is one strip of paper)."""
    for page in document.pages:
        box = page._page_box
        content = [child for child in box.children if child.element_tag == "html"]
        if not content:
            continue
        root = content[0]
        bottom = root.position_y + root.margin_height()
        page.height = min(page.height, bottom + box.margin_bottom)


def render_pdf(
    *,
    template: str,
    context: Mapping[str, Any],
    fit_page_height: bool = False,
    tight_from_rows: int | None = None,
) -> RenderedPdf:
    """Render a trusted document template to PDF (zh-Hans, subset fonts, no fetching).

    GB/T 9704 7.3.5.1: when the seal and date would be left alone overleaf, line
    and paragraph spacing is tightened instead. A document laid out with normal
    spacing that takes more than one page is laid out again tightened. With
    ``tight_from_rows``, a document with at least that many table rows, which
    normal spacing is known not to fit on one page, is laid out tightened at
    once: one layout instead of two.
    """
    if not template.startswith(TEMPLATE_PREFIX) or ".." in template:
        raise UntrustedTemplate(template)
    from weasyprint import HTML

    def html(tight: bool) -> str:
        with translation.override("zh-hans"):
            return render_to_string(template, {**context, "tight": tight})

    def layout(markup: str) -> Any:
        return HTML(string=markup, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[css], font_config=font_config
        )

    with _engine.lock:
        font_config, css, fetcher = _engine.state()
        markup = html(tight=False)
        if fit_page_height:
            document = layout(markup)
            _fit_height(document)
        elif tight_from_rows is not None and table_rows(markup) >= tight_from_rows:
            document = layout(html(tight=True))
        else:
            document = layout(markup)
            if len(document.pages) > 1:
                tighter = layout(html(tight=True))
                if len(tighter.pages) < len(document.pages):
                    document = tighter
        pdf = document.write_pdf(full_fonts=False, hinting=False, uncompressed_pdf=False)
    first = document.pages[0]
    return RenderedPdf(
        pdf=pdf,
        pages=len(document.pages),
        page_size_mm=(round(first.width * MM_PER_PX, 1), round(first.height * MM_PER_PX, 1)),
    )


def table_rows(markup: str) -> int:
    """How many table rows a rendered document template holds (each at least one line)."""
    return markup.count("<tr")


def qr_image(url: str, *, size_mm: float) -> str:
    """The QR code of ``url`` as an inline PNG of at least ``QR_DPI`` where printed (segno; M).

    An image, not an SVG path: WeasyPrint parses and draws a QR code's path of
    thousands of segments in Python, which was most of ``write_pdf``'s time. At
    300 dots per inch and whole pixels per module it scans like the vector code
    did, from paper and from a PDF viewer's screen (tests decode it at 150 dpi).
    """
    import segno

    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=QR_BORDER)[0]
    scale = max(1, math.ceil(size_mm / 25.4 * QR_DPI / modules))
    uri = code.png_data_uri(scale=scale, border=QR_BORDER)
    return f'<img class="qr" src="{uri}" style="width:{size_mm}mm;height:{size_mm}mm" alt="">'
