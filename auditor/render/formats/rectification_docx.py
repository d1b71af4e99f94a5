"""整改清单 as an official Word document (GB/T 9704 layout), one per report with something to correct."""

from __future__ import annotations

from auditor.render.kinds import Record, RenderOptions, ReportRenderer
from auditor.render.rectification import ITEM_FIELDS, has_items, rectification

ITEM_HEADERS = ("序号", *ITEM_FIELDS)
# Relative column widths: 序号 narrow, the description widest (scaled to the 156 mm 版心).
COLUMN_WIDTHS = (12, 18, 44, 26, 30, 26)


def render(record: Record, options: RenderOptions | None = None) -> bytes:
    """Title, 主送, opening, the item table, 整改期限, contact, 落款 and date placeholders."""
    from auditor.render.docxkit import OfficialDocument  # python-docx: only when a document is made

    content = rectification(record, options)
    doc = OfficialDocument()
    doc.title(content.title)
    doc.paragraph(content.recipient, indent=False)
    doc.paragraph(content.opening)
    rows = [(str(i.number), *(value for _, value in i.fields())) for i in content.items]
    doc.table(ITEM_HEADERS, rows, COLUMN_WIDTHS)
    doc.blank()
    doc.paragraph(content.deadline, bold_lead="整改期限：")
    sender, date, contact = content.closing
    doc.paragraph(contact)
    doc.signature(sender, date)
    return doc.save()


RENDERER = ReportRenderer("docx", "整改清单（Word）", "-整改清单.docx", render, has_items)
