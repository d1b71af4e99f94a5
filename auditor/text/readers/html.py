"""HTML pages, from a bare article to a whole CMS page with its site chrome.

Narrative becomes one line per block element; each table becomes a `TableGrid` holding
exactly the cells each source row has (a cell covered by another's rowspan or colspan is
not repeated), so blank cells keep their positions and no value is ever shifted.

A CMS page wraps the article in navigation, footers and related-link lists whose words
(``其他``, ``首页``) must not be read as report text. When the page marks its article
(TRS_Editor and similar containers) only that is read; otherwise known chrome elements are
skipped. What the page states about the article in its metadata (``<meta name="PubDate">``,
``ArticleTitle``, ``ContentSource``) or in an info table (索引号/发布机构/公开日期) becomes
page-header lines such as ``发布日期：2025-03-10`` ahead of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from auditor.text.decode import decode_report
from auditor.text.document import IMAGE_MARK, Block, Document, Notice, Place, TableGrid, TextLine
from auditor.text.page_marks import title_without_site
from auditor.text.readers import Reader

_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "title",
        "tr",
        "table",
        "blockquote",
        "pre",
    ]
)
_SKIP = frozenset({"script", "style", "noscript", "head", "template", "iframe", "select", "button"})
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
# Class or id words of site chrome: a word starting with one of these marks the element.
_CHROME = re.compile(r"(?:^|\s)(?:nav|menu|footer|header|breadcrumb|crumb|share|sidebar|friend|links?|search)", re.I)
# Containers CMS templates put the article body in (TRS, 开普云/UCAP, Hanweb…).
_ARTICLE = re.compile(
    r"TRS_Editor|TRS_UEDITOR|UCAP-CONTENT|article[_-]?content|(?:^|\s)zoom(?:\s|$)|xxgk_content|"
    r"con_text|content_text|detail[_-]?content|main[_-]?text|wzy_body",
    re.I,
)
_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0]+")
# Page metadata that says something about the article, as the page-header field it is.
_META_FIELDS = {
    "pubdate": "发布日期",
    "firstpublishedtime": "发布日期",
    "articletitle": "标题",
    "contentsource": "来源",
}
# Info-table labels of 政府信息公开 pages, and the header field each stands for.
_INFO_LABELS = {
    "索引号": "索引号",
    "发布机构": "发布机构",
    "公开日期": "发布日期",
    "发布日期": "发布日期",
    "成文日期": "成文日期",
    "文号": "文号",
    "发文字号": "文号",
    "主题分类": "主题分类",
    "信息分类": "信息分类",
    "名称": "标题",
    "标题": "标题",
}
# A link to a document the report may be attached as (…/P0202….doc, 年度报告.pdf?id=3).
_ATTACHMENT = re.compile(r"\.(?:docx?|wps|pdf|ofd|xlsx?|zip|rar)(?:[?#].*)?$", re.I)
# A page body this short holds a title and little else: the report itself is elsewhere.
_TITLE_ONLY_CHARS = 200
_ATTACHMENTS_SHOWN = 3
_VOID = frozenset(
    ["br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"]
)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


_TABLE_PARTS = frozenset({"tr", "td", "th", "tbody", "thead", "tfoot", "caption"})


@dataclass
class _OpenTable:
    index: int  # the table's place among the page's <table> tags
    cells: int = 0
    holds_table: bool = False


_TABLE_TAG = re.compile(r"<(/?)(table|td|th)\b", re.IGNORECASE)


def _may_have_layout_tables(html: str) -> bool:
    """A quick look at the raw tags: could a table hold a table, or hold one cell only?
    Most pages' tables do neither, and then the exact pass (`_TableShapes`) is skipped.
    Tags in scripts or comments only add to what is seen, so no layout table is missed."""
    cells: list[int] = []  # per open table, its cells so far
    for m in _TABLE_TAG.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if name == "table" and not closing:
            if cells:
                return True
            cells.append(0)
        elif name == "table" and cells:
            if cells.pop() == 1:
                return True
        elif not closing and cells:
            cells[-1] += 1
    return False


class _TableShapes(HTMLParser):
    """Which tables of a page are layout, by their order: one cell, or cells holding tables
    (older sites set the whole article in one). Their cells are read as blocks of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.open: list[_OpenTable] = []
        self.layout: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if self.open:
                self.open[-1].holds_table = True
            self.open.append(_OpenTable(self.count))
            self.count += 1
        elif tag in ("td", "th") and self.open:
            self.open[-1].cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.open:
            table = self.open.pop()
            if table.cells == 1 or table.holds_table:
                self.layout.add(table.index)


class _Converter(HTMLParser):
    def __init__(self, layout: frozenset[int] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.layout = layout  # indices of the layout tables (`_TableShapes`)
        self.table_count = 0
        self.kinds: list[bool] = []  # open tables, innermost last: is it layout?
        self.blocks: list[tuple[Block, bool]] = []  # (block, inside the marked article)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.line: list[str] = []
        self.skip = 0
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, opens chrome, opens article)
        self.chrome = 0
        self.article = 0
        self.in_title = False
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.elements = 0
        self.anchor: list[str] | None = None  # text of an open link to an attached document
        self.anchor_name = ""
        self.attachments: list[str] = []

    # -- context --------------------------------------------------------------------
    def _place(self) -> Place:
        return Place(element=f"{'/'.join(t for t, _, _ in self.stack[-3:])}#{self.elements}")

    def _flush(self) -> None:
        text = _clean("".join(self.line))
        if text and not self.chrome:
            self.blocks.append((TextLine(text, self._place()), self.article > 0))
        self.line = []

    def _retag(self, tag: str, start: bool) -> str:
        """A layout table and its rows and cells read as plain blocks (``div``)."""
        if tag == "table":
            if start:
                self.kinds.append(self.table_count in self.layout)
                self.table_count += 1
                return "div" if self.kinds[-1] else tag
            return "div" if self.kinds and self.kinds.pop() else tag
        return "div" if tag in _TABLE_PARTS and self.kinds and self.kinds[-1] else tag

    # -- parser callbacks -----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = self._retag(tag, start=True)
        self.elements += 1
        values = dict(attrs)
        if tag == "meta":
            name = (values.get("name") or values.get("property") or "").lower()
            if name in _META_FIELDS and values.get("content"):
                self.meta.setdefault(_META_FIELDS[name], _clean(values["content"] or ""))
            return
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "a" and _ATTACHMENT.search(values.get("href") or ""):
            href = values.get("href") or ""
            self.anchor, self.anchor_name = [], values.get("title") or href.rsplit("/", 1)[-1]
        if tag in _VOID:
            if tag == "img" and self.cell is None and not (self.chrome or self.skip or self.tables):
                self._flush()
                self.blocks.append((TextLine(IMAGE_MARK, self._place()), self.article > 0))
            if tag == "br":
                if self.cell is not None:
                    self.cell.append(" ")
                else:
                    self._flush()
            return
        marks = f"{values.get('class') or ''} {values.get('id') or ''}"
        opens_article = bool(_ARTICLE.search(marks))
        opens_chrome = not self.article and not opens_article and (tag in _CHROME_TAGS or bool(_CHROME.search(marks)))
        if tag in _BLOCK and self.cell is None:
            self._flush()
        self.stack.append((tag, opens_chrome, opens_article))
        self.chrome += opens_chrome
        self.article += opens_article
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        tag = self._retag(tag, start=False)
        if tag == "title":
            self.in_title = False
        if tag == "a" and self.anchor is not None:
            self.attachments.append(_clean("".join(self.anchor)) or self.anchor_name)
            self.anchor = None
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _VOID or not any(t == tag for t, _, _ in self.stack):
            return
        if tag in ("td", "th") and self.tables and self.cell is not None:
            if not self.tables[-1]:  # a table opened inside the cell and left open: no row yet
                self.tables[-1].append([])
            self.tables[-1][-1].append(_clean("".join(self.cell)))
            self.cell = None
        elif tag == "table" and self.tables:
            rows = [r for r in self.tables.pop() if r]
            if self.tables and self.cell is not None:  # nested table: keep its text in the cell
                self.cell.append(" ".join(c for r in rows for c in r))
            elif rows and not self.chrome:
                self._table(rows)
        elif tag in _BLOCK and self.cell is None:
            self._flush()
        # Close up to the matching tag (HTML in the wild leaves tags open).
        while self.stack:
            name, chrome, article = self.stack.pop()
            self.chrome -= chrome
            self.article -= article
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.skip:
            return
        if self.anchor is not None:
            self.anchor.append(data)
        if self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.line.append(data)

    def _table(self, rows: list[list[str]]) -> None:
        info = _info_fields(rows)
        place = self._place()
        if info:
            for name, value in info:
                self.blocks.append((TextLine(f"{name}：{value}", place), self.article > 0))
            return
        grid = TableGrid(tuple(tuple(r) for r in rows), tuple(place for _ in rows))
        self.blocks.append((grid, self.article > 0))

    def document(self, encoding: str | None, notices: tuple[Notice, ...]) -> Document:
        self._flush()
        in_article = [b for b, inside in self.blocks if inside]
        body = in_article or [b for b, _ in self.blocks]
        title = self.meta.get("标题") or title_without_site(self.title)
        header: list[Block] = []
        if title and not any(isinstance(b, TextLine) and title in b.text for b in body[:5]):
            header.append(TextLine(title, Place(element="title")))
        for name in ("发布日期", "来源"):
            if name in self.meta:
                header.append(TextLine(f"{name}：{self.meta[name]}", Place(element=f"meta[{name}]")))
        hints = {
            k: v
            for k, v in {
                "title": title,
                "published": self.meta.get("发布日期"),
                "agency": self.meta.get("来源"),
            }.items()
            if v
        }
        return Document("html", tuple(header + body), encoding, notices + self._attached_only(body), hints)

    def _attached_only(self, body: list[Block]) -> tuple[Notice, ...]:
        """A notice when the page shows little more than a title and links the report as a file."""
        text = sum(len(b.text) for b in body if isinstance(b, TextLine))
        if not self.attachments or text > _TITLE_ONLY_CHARS or any(isinstance(b, TableGrid) for b in body):
            return ()
        names = list(dict.fromkeys(self.attachments))
        shown = "、".join(names[:_ATTACHMENTS_SHOWN]) + ("等" if len(names) > _ATTACHMENTS_SHOWN else "")
        return (Notice("attachment_only", f"网页正文只有标题；附件：{shown}；请下载附件后审计", None, "warning"),)


def _info_fields(rows: list[list[str]]) -> list[tuple[str, str]]:
    """The (field, value) pairs of a page's info table, or [] when the table is not one.

    Info tables print a label cell then its value cell (``发布机构 | 某某局``) or both in one
    cell (``公开日期：2025-03-10``).
    """
    pairs: list[tuple[str, str]] = []
    for row in rows:
        for i, cell in enumerate(row):
            head, sep, value = cell.partition("：") if "：" in cell else cell.partition(":")
            label = head.replace(" ", "")
            if label not in _INFO_LABELS:
                continue
            if sep and value.strip():
                pairs.append((_INFO_LABELS[label], value.strip()))
            elif i + 1 < len(row) and row[i + 1]:
                pairs.append((_INFO_LABELS[label], row[i + 1]))
    return pairs if len(pairs) >= 2 else []


def html_document(html: str, encoding: str | None = "utf-8", notices: tuple[Notice, ...] = ()) -> Document:
    """The `Document` of an HTML page already decoded."""
    layout: frozenset[int] = frozenset()
    if _may_have_layout_tables(html):
        shapes = _TableShapes()
        shapes.feed(html)
        shapes.close()
        layout = frozenset(shapes.layout)
    converter = _Converter(layout)
    converter.feed(html)
    converter.close()
    return converter.document(encoding, notices)


_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|table|p|title)\b", re.I | re.S
)


# What only markdown prints: a pipe table's delimiter row, an ATX heading.
_MARKDOWN = re.compile(rb"^[ \t]*(?:\|?[ \t]*:?-{3,}:?[ \t]*\||#{1,6}[ \t])", re.M)


def claims(data: bytes, suffix: str) -> bool:
    """An HTML page by its start (a text report that merely mentions ``<table>`` is not one).
    A markdown file that opens with raw HTML (pandoc keeps a page's divs) is still markdown
    when it prints markdown's own tables or headings: read as HTML, its lines would run
    together."""
    if suffix in (".md", ".markdown") and _MARKDOWN.search(data):
        return False
    return bool(_START.match(data[:4096])) or (suffix in (".html", ".htm") and data.lstrip()[:1] == b"<")


def read(data: bytes) -> Document:
    decoded = decode_report(data)
    notices = tuple(Notice(code, message, None, "warning") for code, message in decoded.warnings)
    return html_document(decoded.text, decoded.encoding, notices)


READER = Reader("html", 30, claims, read)
