"""Page numbers left in converted text are no row of a table; signed numbers are values."""

from __future__ import annotations

import pytest

from auditor.text.page_marks import is_page_mark, is_page_number, is_site_chrome


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
        "11/30/26, 10:10 PM",
        "11/30/26, 10:10 PM 某区2021年政府信息公开工作年度报告",
        "file:///tmp/page.html",
        "新河县自然资源局2023年政府信息公开工作年度报告_政府信息公开年报_新河县门户网站",
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
    # Only the PDF reader, which knows the line stands in a page margin, takes a bare number.
    assert is_page_number("4") and not is_page_mark("4")


def test_page_n_of_m_is_a_page_mark() -> None:
    # No cell of the tables holds a fraction; a page's n/m between two table lines is its footer.
    assert is_page_mark("3/9") and is_page_mark("3 / 10") and not is_page_mark("12/3")


@pytest.mark.parametrize(
    "text",
    [
        "附件下载",
        "【打印本页】",
        "关闭窗口",
        "扫一扫在手机上查看当前页面",
        "网站标识码：3501000001",
        "闽ICP备05012345号-1",
    ],
)
def test_site_chrome(text: str) -> None:
    assert is_site_chrome(text)


@pytest.mark.parametrize(
    "text", ["六、其他需要报告的事项", "本年度未收取信息处理费。", "附件：2024年度统计表", "打印机采购12台"]
)
def test_report_lines_are_no_site_chrome(text: str) -> None:
    assert not is_site_chrome(text)
