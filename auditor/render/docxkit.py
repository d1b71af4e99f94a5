"""An official-document page for python-docx, laid out after GB/T 9704-2012 (党政机关公文格式).

A4 portrait; 版心 156 mm × 225 mm (天头 37 mm, 订口 28 mm); title in 2号 方正小标宋简体,
body in 3号 仿宋_GB2312 at a fixed 28.95 pt line (22 lines a page), first-level headings in
黑体, page numbers "— 1 —" in 4号 宋体 (odd pages right, even pages left). Each Chinese
font is declared in the font table with a common alternative (altName), so a machine
without the 方正/GB2312 faces substitutes 宋体/仿宋/楷体 instead of a Latin face.
"""

from __future__ import annotations

import copy
import re
import threading
import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Row
from lxml import etree

from auditor.render.records import xml_safe

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Font → the face commonly installed when it is missing (Windows and Office ship these).
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    KAI_FONT: "楷体",
    HEADING_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号: six columns must fit the 156 mm 版心
LINE_BODY = Pt(28.95)  # 22 lines in 225 mm
TEXT_WIDTH_MM = 156
DOCUMENT_PART = "word/document.xml"
_ROWS_MARK = "auditor-streamed-rows-"  # an XML comment where a streamed table's rows go


def _fonts(run_or_style: Any, east_asia: str) -> None:
    fonts = run_or_style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _declare_fallbacks(doc: DocumentObject) -> None:
    """Add each Chinese font to word/fontTable.xml with its alternative name."""
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    blob = part.blob.decode("utf-8")
    # The generic Part keeps its bytes in _blob; python-docx has no API for the font table.
    part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _page_number(paragraph: Any, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = align

    def run(text: str | None = None, field: str | None = None) -> None:
        r = paragraph.add_run(text or "")
        r.font.size = SIZE_PAGE_NUMBER
        _fonts(r, PAGE_NUMBER_FONT)
        if field is not None:
            for kind, body in (("begin", None), (None, field), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = body
                r._r.append(el)

    run("— ")
    run(field=" PAGE ")
    run(" —")


def _fill_row(row: _Row, values: Sequence[str], widths: Sequence[Length], *, header: bool) -> None:
    for cell, value, width in zip(row.cells, values, widths, strict=True):
        cell.width = width
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or len(value) <= 4 else WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(xml_safe(value))
        run.font.size = SIZE_TABLE
        _fonts(run, HEADING_FONT if header else BODY_FONT)


_XMLNS = re.compile(r'\s+xmlns:[\w.-]+="[^"]*"')


def _add_row(table: Table) -> _Row:
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]  # python-docx 1.2 leaves it untyped
    return row


def _row_xml(table: Table, values: Sequence[str], widths: Sequence[Length]) -> str:
    """One body row of ``table`` built by python-docx, as XML text (the row is dropped again)."""
    row = _add_row(table)
    _fill_row(row, values, widths, header=False)
    row._tr.getparent().remove(row._tr)
    return _serialised(row._tr)


def _serialised(tr: Any) -> str:
    """A row element as the XML text it has inside ``word/document.xml``."""
    text = str(etree.tostring(tr, encoding="unicode"))
    # Serialised alone, the row declares every namespace in scope; the document declares them once.
    tag_end = text.index(">")
    return _XMLNS.sub("", text[:tag_end]) + text[tag_end:]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Body rows of a table as python-docx builds them, once per (column widths, alignment of
# each cell), with marker texts: (the row element, its XML split at the markers).
_ROW_TEMPLATES: dict[tuple[tuple[int, ...], tuple[bool, ...]], tuple[Any, list[str]]] = {}


# Tables holding only their header row, as `_header_table` builds them, once per (header,
# column widths): building one with python-docx costs about as much as the rest of a 整改清单.
_TABLE_TEMPLATES: dict[tuple[tuple[str, ...], tuple[float, ...]], Any] = {}


def _plain(values: Sequence[str]) -> list[str] | None:
    """The values as their cells will hold them, or None when python-docx would not store one
    as a single plain text node (empty, tab, line break, space at an end): those rows are
    built by python-docx itself, so a row's XML is the same either way."""
    safe = [xml_safe(v) for v in values]
    if any(not v or v != v.strip() or _BREAKS.search(v) for v in safe):
        return None
    return safe


def _row_template(table: Table, values: Sequence[str], widths: Sequence[Length]) -> tuple[Any, list[str]]:
    centred = tuple(len(v) <= 4 for v in values)  # as `_fill_row` aligns them
    key = (tuple(int(w) for w in widths), centred)
    found = _ROW_TEMPLATES.get(key)
    if found is None:
        marks = [f"\ue000{n}\ue001" + ("" if c else "\ue002\ue002") for n, c in enumerate(centred)]
        row = _add_row(table)
        _fill_row(row, marks, widths, header=False)
        row._tr.getparent().remove(row._tr)
        found = _ROW_TEMPLATES[key] = (row._tr, _MARK.split(_serialised(row._tr)))
    return found


def _add_body_row(table: Table, values: Sequence[str], widths: Sequence[Length]) -> None:
    """`_fill_row` of a new last row; a copy of the row's template when its values are plain
    (building a row with python-docx costs ~2 ms)."""
    safe = _plain(values)
    if safe is None:
        _fill_row(_add_row(table), values, widths, header=False)
        return
    tr = copy.deepcopy(_row_template(table, values, widths)[0])
    for text, value in zip(tr.iter(qn("w:t")), safe, strict=True):
        text.text = value
    table._tbl.append(tr)


def _row_text(table: Table, values: Sequence[str], widths: Sequence[Length]) -> str:
    """`_add_body_row`'s row as the XML text it has inside ``word/document.xml``."""
    safe = _plain(values)
    if safe is None:
        return _row_xml(table, values, widths)
    pieces = _row_template(table, values, widths)[1]
    out = [pieces[0]]
    for value, after in zip(safe, pieces[1:], strict=True):
        out += [_escaped(value), after]
    return "".join(out)


_BREAKS = re.compile("[\t\n\r]")
_MARK = re.compile("\ue000\\d+\ue001(?:\ue002\ue002)?")


def _deflated(info: ZipInfo) -> ZipInfo:
    part = ZipInfo(info.filename, info.date_time[:6])
    part.compress_type = ZIP_DEFLATED
    return part


def _new_document() -> DocumentObject:
    """python-docx's default document set up as an official page: A4, margins, page numbers,
    body font and spacing, the Chinese fonts' fallbacks."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(
        section.footer.add_paragraph() if not section.footer.paragraphs else section.footer.paragraphs[0],
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_BODY
    _fonts(normal, BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_BODY
    fmt.space_before = fmt.space_after = Pt(0)
    _declare_fallbacks(doc)
    return doc


class _Scratch:
    """One set-up document per process, reused: opening python-docx's template, setting it up
    and compressing its 800 KB of styles took most of a 整改清单's 20 ms.

    Only ``word/document.xml`` differs between two documents (content goes into the body
    alone), so the other parts are zipped once (``static``) and each document's body is
    put back to the set-up one (``body``) before use. One document uses it at a time
    (``lease``, taken without waiting): another built meanwhile — in another thread of
    `audit serve`, say — gets a fresh python-docx document instead.
    """

    def __init__(self) -> None:
        self.doc: DocumentObject | None = None
        self.body: list[Any] = []
        self.static = b""
        self.lease = threading.Lock()

    def take(self) -> DocumentObject | None:
        if not self.lease.acquire(blocking=False):
            return None
        try:
            if self.doc is None:
                self.doc = _new_document()
                self.body = [copy.deepcopy(child) for child in self.doc.element.body]
                self.static = _without_document_part(self.doc)
            else:
                body = self.doc.element.body
                for child in list(body):
                    body.remove(child)
                body.extend(copy.deepcopy(child) for child in self.body)
        except BaseException:
            self.lease.release()
            raise
        return self.doc


def _without_document_part(doc: DocumentObject) -> bytes:
    """The document's package as a zip holding every part but ``word/document.xml``."""
    saved = BytesIO()
    doc.save(saved)
    out = BytesIO()
    with ZipFile(saved) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != DOCUMENT_PART:
                target.writestr(info, source.read(info))
    return out.getvalue()


_SCRATCH = _Scratch()


class OfficialDocument:
    """Builds one GB/T 9704-style document; `save` returns its bytes, `write` streams it."""

    def __init__(self) -> None:
        scratch = _SCRATCH.take()
        self.scratch = scratch is not None
        self.doc = scratch if scratch is not None else _new_document()
        # Given back when saved, or when dropped unsaved (a renderer that failed half-way).
        self._give_back = weakref.finalize(self, _SCRATCH.lease.release) if self.scratch else None
        self.streamed: list[tuple[Table, list[Length]]] = []

    def paragraph(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: Pt = SIZE_BODY,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        bold_lead: str = "",
    ) -> None:
        """A paragraph; ``indent`` gives the 2-character first-line indent of body text."""
        p = self.doc.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size.pt * 2)
        if bold_lead:
            lead = p.add_run(xml_safe(bold_lead))
            lead.font.size = size
            _fonts(lead, HEADING_FONT)
        r = p.add_run(xml_safe(text))
        r.font.size = size
        _fonts(r, font)

    def title(self, text: str) -> None:
        """The centred title (二号小标宋), followed by an empty line."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(35)
        r = p.add_run(xml_safe(text))
        r.font.size = SIZE_TITLE
        _fonts(r, TITLE_FONT)
        self.blank()

    def heading(self, text: str) -> None:
        """A first-level heading (黑体, ``一、…``)."""
        self.paragraph(text, font=HEADING_FONT)

    def blank(self) -> None:
        """An empty body line."""
        self.doc.add_paragraph()

    def _table(self, header: Sequence[str], widths_mm: Sequence[float]) -> tuple[Table, list[Length]]:
        """A ruled table across the 版心 holding only its header, which Word repeats on each page.
        Built once per header and widths: later tables are copies of the first one's XML."""
        scale = TEXT_WIDTH_MM / sum(widths_mm)
        widths: list[Length] = [Mm(w * scale) for w in widths_mm]
        key = (tuple(header), tuple(widths_mm))
        template = _TABLE_TEMPLATES.get(key)
        if template is None:
            table = self._header_table(header, widths)
            _TABLE_TEMPLATES[key] = copy.deepcopy(table._tbl)
            return table, widths
        tbl = copy.deepcopy(template)
        self.doc.element.body._insert_tbl(tbl)  # where python-docx's add_table puts a table
        return Table(tbl, self.doc._body), widths

    def _header_table(self, header: Sequence[str], widths: Sequence[Length]) -> Table:
        table: Table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        _fill_row(table.rows[0], header, widths, header=True)
        # Long lists span pages; Word repeats a row marked tblHeader at the top of each page.
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(flag)
        return table

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> None:
        """A ruled table, columns sized to their content, the header repeated on each page."""
        table, widths = self._table(header, widths_mm)
        for values in rows:
            _add_body_row(table, values, widths)

    def streamed_table(self, header: Sequence[str], widths_mm: Sequence[float]) -> int:
        """A `table` whose rows are given to `write` (as an iterator): a table of a province's
        bodies is written row by row, never held whole. Returns the table's key for `write`."""
        table, widths = self._table(header, widths_mm)
        key = len(self.streamed)
        table._tbl.append(etree.Comment(f"{_ROWS_MARK}{key}"))
        self.streamed.append((table, widths))
        return key

    def signature(self, sender: str, date: str) -> None:
        """落款 and date, right-aligned with a 4-character right indent (GB/T 9704 7.3.5.2)."""
        self.blank()
        for text in (sender, date):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(SIZE_BODY.pt * 4)
            r = p.add_run(xml_safe(text))
            r.font.size = SIZE_BODY
            _fonts(r, BODY_FONT)

    def save(self) -> bytes:
        """The document as DOCX bytes (with no streamed table); the document is done with."""
        if not self.scratch:
            buffer = BytesIO()
            self.doc.save(buffer)
            return buffer.getvalue()
        try:
            # The other parts as zipped once; this body appended (the zip's own append mode
            # copies their compressed bytes as they are).
            buffer = BytesIO(_SCRATCH.static)
            with ZipFile(buffer, "a", ZIP_DEFLATED) as package:
                package.writestr(_deflated(ZipInfo(DOCUMENT_PART, time.localtime()[:6])), self._document_xml())
            return buffer.getvalue()
        finally:
            self.scratch = False
            if self._give_back is not None:
                self._give_back()  # releases the lease, once

    def _document_xml(self) -> bytes:
        return bytes(serialize_part_xml(self.doc.element))

    def write(self, out: IO[bytes], rows: Mapping[int, Iterable[Sequence[str]]]) -> None:
        """Write the document as DOCX into ``out``, each streamed table with its ``rows``.

        The package is saved without those rows, then copied into ``out`` with the rows
        spliced into ``word/document.xml`` where each table's mark is: every row is built
        by `_fill_row`, exactly as `table` builds it, serialised and dropped again.
        """
        package = BytesIO(self.save())
        with ZipFile(package) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename != DOCUMENT_PART:
                    target.writestr(info, source.read(info))
                    continue
                pieces = re.split(f"<!--{_ROWS_MARK}(\\d+)-->", source.read(info).decode("utf-8"))
                with target.open(_deflated(info), "w") as part:
                    part.write(pieces[0].encode("utf-8"))
                    for key, after in zip(pieces[1::2], pieces[2::2], strict=True):
                        table, widths = self.streamed[int(key)]
                        for values in rows[int(key)]:
                            part.write(_row_text(table, values, widths).encode("utf-8"))
                        part.write(after.encode("utf-8"))
