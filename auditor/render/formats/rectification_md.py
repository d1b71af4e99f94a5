"""整改清单 as Markdown, one file per report with something to correct (the DOCX's text, for the web)."""

from __future__ import annotations

import re

from auditor.render.kinds import Record, RenderOptions, ReportRenderer
from auditor.render.rectification import ITEM_FIELDS, has_items, rectification

# Markdown syntax characters (and "<" so report text cannot open raw HTML) are escaped.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md(text: str) -> str:
    """Report text as literal Markdown inline text on one line."""
    return _SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text))


def render_text(record: Record, options: RenderOptions | None = None) -> str:
    """The 整改清单 as Markdown text: title, 主送, opening, item table, 整改期限, 落款."""
    doc = rectification(record, options)
    out = [f"# {md(doc.title)}", "", md(doc.recipient), "", md(doc.opening), ""]
    out.append("| 序号 | " + " | ".join(ITEM_FIELDS) + " |")
    out.append("|---:|" + "---|" * len(ITEM_FIELDS))
    for item in doc.items:
        out.append(f"| {item.number} | " + " | ".join(md(value) for _, value in item.fields()) + " |")
    sender, date, contact = doc.closing
    out += ["", f"**整改期限**：{md(doc.deadline)}", "", md(contact), "", f"{md(sender)}  ", md(date)]
    return "\n".join(out) + "\n"


def render(record: Record, options: RenderOptions | None = None) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(record, options).encode("utf-8")


RENDERER = ReportRenderer("markdown", "整改清单（Markdown）", "-整改清单.md", render, has_items)
