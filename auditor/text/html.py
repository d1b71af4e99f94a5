"""HTML and DOCX reports to the text the grammar reads.

Narrative becomes one line per block element; each table becomes markdown rows holding
exactly the cells the source row has (a cell covered by another's rowspan or colspan is not
repeated), so blank cells keep their positions and no value is ever shifted.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

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
_SKIP = frozenset({"script", "style", "noscript", "head"})
_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0]+")


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip().replace("|", "｜")


def _table_lines(rows: list[list[str]]) -> list[str]:
    rows = [r for r in rows if r]
    if not rows:
        return []
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    width = max(len(r) for r in rows)
    lines.insert(1, "|" + "---|" * width)
    return ["", *lines, ""]


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.skip = 0
        self.tables: list[list[list[str]]] = []  # stack of tables, each a list of rows
        self.cell: list[str] | None = None

    def _flush(self) -> None:
        text = _clean("".join(self.line))
        if text:
            self.out.append(text)
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")
        elif tag in _BLOCK and self.cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.tables and self.cell is not None:
            self.tables[-1][-1].append(_clean("".join(self.cell)))
            self.cell = None
        elif tag == "table" and self.tables:
            rows = self.tables.pop()
            if self.tables and self.cell is not None:  # nested table: keep its text in the cell
                self.cell.append(" ".join(c for r in rows for c in r))
            else:
                self.out.extend(_table_lines(rows))
        elif tag in _BLOCK and self.cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.line.append(data)

    def text(self) -> str:
        self._flush()
        return "\n".join(self.out) + "\n"


def html_to_text(html: str) -> str:
    """Report text from an HTML page."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.text()


# What an HTML document or fragment starts with, after blanks, an XML declaration and comments.
_HTML_START = re.compile(
    r"(?:\s|<\?xml[^>]*>|<!--.*?-->)*"
    r"<(?:!doctype\s+html|(?:html|head|body|meta|title|table|div|p|h[1-6]|style|script|link|section|article|span|center|font)\b)",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(text: str) -> bool:
    """True when decoded text is an HTML document rather than page text: judged by how it
    starts, so a text report that quotes ``<table><tr>`` further down stays text."""
    return _HTML_START.match(text[:4096].lstrip("\ufeff")) is not None


def docx_to_text(data: bytes) -> str:
    """Report text from a DOCX file: paragraphs and tables in document order."""
    from docx import Document  # imported lazily: only DOCX input needs it
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    out: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = _clean("".join(t.text or "" for t in element.iter(qn("w:t"))))
            if text:
                out.append(text)
        elif element.tag == qn("w:tbl"):
            rows: list[list[str]] = []
            for tr in element.iter(qn("w:tr")):
                row = []
                for tc in tr.iter(qn("w:tc")):
                    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
                        continue  # covered by the cell above
                    row.append(_clean("".join(t.text or "" for t in tc.iter(qn("w:t")))))
                rows.append(row)
            out.extend(_table_lines(rows))
    return "\n".join(out) + "\n"
