"""Page numbers left in converted text are no row of a table; signed numbers are values."""

from __future__ import annotations

import pytest

from auditor.text.page_marks import is_page_mark, is_page_number


@pytest.mark.parametrize(
    "text",
    [
        "— 4 —",
        "-4-",
        " - 12 - ",
        "第3页",
        "第 3 页 共 9 页",
        "共9页 第3页",
        # A browser's print margins: the time and the page title, the address and n/m.
        "11/30/26, 10:10 PM             某区2021年政府信息公开工作年度报告_政府信息公开年报",
        "2026/11/30 22:10    某区2021年政府信息公开工作年度报告",
        "file:///tmp/page.html                                                3/10",
        "https://www.example.gov.cn/zwgk/art_123.html   1/8",
    ],
)
def test_page_marks(text: str) -> None:
    assert is_page_mark(text)


@pytest.mark.parametrize(
    "text",
    [
        "4",
        "-4",
        "+4",
        "4-",
        "12.5",
        "—",
        "第三部分",
        "2024/1/5 10:00 召开政务公开工作会议",
        "https://www.example.gov.cn/",
    ],
)
def test_values_are_no_page_marks(text: str) -> None:
    assert not is_page_mark(text)


def test_a_margin_may_print_a_bare_number() -> None:
    # Only the PDF reader, which knows the line stands in a page margin, takes these.
    assert is_page_number("4") and is_page_number("3/9") and not is_page_mark("3/9")
