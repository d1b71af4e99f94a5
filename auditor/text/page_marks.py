"""Page numbers as printed in footers and headers, which conversions leave in the text,
and the frame a website prints around the article, which a page saved as text keeps.

A PDF reader drops them from its page margins; a report converted elsewhere (PDF to
markdown, a copied web page) still carries them between its lines: ``— 4 —``.
"""

from __future__ import annotations

import re
from functools import lru_cache

# -3-, — 3 —, 第3页 共9页, 3/9, Page 3 of 9 (and a bare 3, which only a page margin tells).
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*"
    r"|第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)


def is_page_number(text: str) -> bool:
    """Could the line be a page number (in a page margin)?"""
    return bool(_PAGE_NUMBER.match(text.strip()))


# A page number that cannot be a cell value: dashes on both sides, or in words.
_PAGE_MARK = re.compile(
    r"^(?:[-—–－~]+\s*\d{1,4}\s*[-—–－~]+"
    r"|第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页)$"
)


# A browser's print margins, which a page printed to PDF and then to text carries on every
# page: the time printed and the page's title at the top, its address and n/m at the bottom
# (each on a line of its own, or with the time alone, as pdftotext's modes print them).
# The title keeps the column's and the site's names after underscores, which no report
# line has.
_PRINT_MARGIN = re.compile(
    r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M(?:\s.*)?|\s{2,}\S.*)?"
    r"|(?:https?|file)://[^/\s]*/\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?"
    r"|[^_\s]{2,60}报告(?:_[^_\s]{2,30}){1,3})$"  # the page's title, with the column's and site's names
)


_PAGE_OF = re.compile(r"^(\d{1,4})\s*/\s*(\d{1,4})$")


@lru_cache(maxsize=65536)  # asked of every cell of every table; most texts recur
def is_page_mark(text: str) -> bool:
    """Is the line a page number wherever it stands (``— 4 —``, ``第4页``, ``3/10``), or a
    browser's print margin? Never a bare or signed number (``4``, ``-4``), which in a table's
    text is a cell value."""
    text = text.strip()
    if _PAGE_MARK.match(text) or _PRINT_MARGIN.match(text):
        return True
    page_of = _PAGE_OF.match(text)  # page n of m: no cell of a report's tables holds a fraction
    return page_of is not None and 0 < int(page_of.group(1)) <= int(page_of.group(2))


# What a government website prints after the article (its tools and footer), never a report.
_SITE_CHROME = re.compile(
    r"^(?:【?(?:附件下载|打印本页|关闭窗口|打印|关闭|收藏)】?"
    r"|扫一扫在手机上?(?:查看|打开)当前页面?"
    r"|网站标识码[:：]?\s*\w+.*|.*ICP备\s*\d+号.*|.*公网安备\s*\d+号.*)$"
)


def is_site_chrome(text: str) -> bool:
    """Is the line part of the website's frame around the article (``附件下载``,
    ``扫一扫在手机上查看当前页面``, ``闽ICP备12345678号``)?"""
    return bool(_SITE_CHROME.match(text.strip()))


# A page's title adds the column's and the site's names: ``…年度报告_政府信息公开年报_某某网``.
_TITLE_PARTS = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+")


def title_without_site(text: str) -> str:
    """A page title's part naming the report (else its first part), without the names of the
    column and the site that a CMS adds after underscores, bars or dashes."""
    parts = [p for p in _TITLE_PARTS.split(" ".join(text.split())) if p]
    return next((p for p in parts if "报告" in p), parts[0] if parts else "")
