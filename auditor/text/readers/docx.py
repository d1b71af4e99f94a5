"""DOCX files: paragraphs and tables in document order, tables as exact grids."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from auditor.text.decode import UnreadableInput
from auditor.text.document import IMAGE_MARK, Block, Document, Place, TableGrid, TextLine
from auditor.text.limits import check_archive
from auditor.text.readers import Reader

_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0]+")


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def claims(data: bytes, suffix: str) -> bool:
    """A zip package holding a Word document (or any file named .docx: read it or say why not)."""
    if suffix == ".docx":
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read(data: bytes) -> Document:
    check_archive(data)  # a zip bomb is refused before anything is inflated
    try:
        return _read(data)
    except UnreadableInput:
        raise
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableInput("bad_docx", f"无法读取 DOCX 文件：{type(exc).__name__}") from exc


def _read(data: bytes) -> Document:
    from docx import Document as WordDocument  # imported lazily: only DOCX input needs it

    body = WordDocument(io.BytesIO(data)).element.body
    return Document("docx", tuple(_blocks(body.iterchildren(), "body")), "docx")


def _blocks(elements: Iterable[Any], where: str) -> Iterator[Block]:
    """Paragraphs and tables in document order. A layout table (one cell, or cells holding
    tables: a page copied from the web often wraps the whole report in one) is not a table
    of the report: its cells' paragraphs and tables are read in their place."""
    from docx.oxml.ns import qn

    for index, element in enumerate(elements, 1):
        if element.tag == qn("w:p"):
            text = _clean(_text(element))
            if text:
                yield TextLine(text, Place(element=f"{where}/p[{index}]"))
            if next(element.iter(qn("w:drawing"), qn("w:pict")), None) is not None:
                yield TextLine(IMAGE_MARK, Place(element=f"{where}/p[{index}]/drawing"))
        elif element.tag == qn("w:tbl") and _is_layout(element):
            for r, tr in enumerate(element.iterchildren(qn("w:tr")), 1):
                for c, tc in enumerate(tr.iterchildren(qn("w:tc")), 1):
                    yield from _blocks(tc.iterchildren(), f"{where}/tbl[{index}]/tr[{r}]/tc[{c}]")
        elif element.tag == qn("w:tbl"):
            grid = _grid(element, f"{where}/tbl[{index}]")
            if grid is not None:
                yield grid
        elif element.tag in (qn("w:sdt"), qn("w:customXml")):
            # A content control (WPS and Word templates wrap parts of a report in them): its
            # paragraphs and tables are the report's, in their place.
            content = element.find(qn("w:sdtContent"))
            inner = content if content is not None else element
            yield from _blocks(inner.iterchildren(), f"{where}/sdt[{index}]")


@cache
def _texts() -> Any:
    """Every w:t below an element, but those of a text box's mc:Fallback copy (Word stores a
    text box twice: the drawing and, for old readers, the copy)."""
    from lxml import etree

    namespaces = {
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    }
    return etree.XPath(".//w:t[not(ancestor::mc:Fallback)]/text()", namespaces=namespaces)


def _text(element: Any) -> str:
    """The text of a paragraph or cell."""
    return "".join(_texts()(element))


def _is_layout(table: Any) -> bool:
    from docx.oxml.ns import qn

    cells = list(table.iter(qn("w:tc")))
    return len(cells) == 1 or any(tc.find(qn("w:tbl")) is not None for tc in cells)


def _grid(table: Any, where: str) -> TableGrid | None:
    from docx.oxml.ns import qn

    rows: list[tuple[str, ...]] = []
    places: list[Place] = []
    for r, tr in enumerate(table.iter(qn("w:tr")), 1):  # rows inside content controls too
        row = []
        for tc in tr.iter(qn("w:tc")):
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
                continue  # covered by the cell above
            row.append(_clean(_text(tc)))
        if row:
            rows.append(tuple(row))
            places.append(Place(element=f"{where}/tr[{r}]"))
    return TableGrid(tuple(rows), tuple(places)) if rows else None


READER = Reader("docx", 20, claims, read)
