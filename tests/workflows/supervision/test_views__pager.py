"""The desk lists' page numbers: first, last and two either side of the current page."""

from __future__ import annotations

import pytest

from workflows.supervision.views import page_links


@pytest.mark.parametrize(
    ("number", "pages", "links"),
    [
        (1, 1, []),
        (1, 3, [1, 2, 3]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (1, 12, [1, 2, 3, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_links(number: int, pages: int, links: list[int | None]) -> None:
    assert page_links(number, pages) == links
