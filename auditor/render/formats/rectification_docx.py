"""整改清单 as a Word document (python-docx), one file per report, landscape for the wide item tables."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from auditor.render.kinds import Record, ReportRenderer
from auditor.render.records import xml_safe
from auditor.render.rectification import ITEM_FIELDS, rectification

ITEM_HEADERS = ("序号", *ITEM_FIELDS)
_FONT = "宋体"


class _Writer:
    """Appends styled paragraphs and tables to a document.

    Styles are set by id on the XML: python-docx's public ``style=`` rescans every style
    of the document on each call, which made DOCX the slowest output of a 500-report run.
    """

    def __init__(self, doc: DocumentObject) -> None:
        self.doc = doc
        self.ids = {name: doc.styles[name].style_id for name in ("Title", "Heading 1", "Table Grid")}

    def heading(self, text: str, style: str) -> None:
        self.doc.add_paragraph(xml_safe(text))._p.style = self.ids[style]

    def table(self, rows: list[tuple[str, ...]], header: bool = False) -> None:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table._tbl.tblStyle_val = self.ids["Table Grid"]
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = xml_safe(value)
        if header:
            # Long lists span pages; Word repeats a row marked tblHeader at the top of each page.
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(flag)


def render(record: Record) -> bytes:
    """The 整改清单 as DOCX bytes: a facts table, then one item table per failure type."""
    content = rectification(record)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    # Without an East Asian font Word may render Chinese in a fallback Latin face.
    doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)

    out = _Writer(doc)
    out.heading(content.title, "Title")
    out.table(list(content.header()))
    if not content.groups:
        doc.add_paragraph("未发现需要整改的问题。")
    for group in content.groups:
        out.heading(group.heading, "Heading 1")
        items = [(str(i.number), *(value for _, value in i.fields())) for i in group.items]
        out.table([ITEM_HEADERS, *items], header=True)

    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


RENDERER = ReportRenderer("docx", "整改清单（Word）", "-整改清单.docx", render)
