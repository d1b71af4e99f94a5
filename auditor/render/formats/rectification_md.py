"""整改清单 as Markdown, one file per report."""

from __future__ import annotations

import re

from auditor.render.kinds import Record, ReportRenderer
from auditor.render.rectification import rectification

# Markdown syntax characters (and "<" so report text cannot open raw HTML) are escaped.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md(text: str) -> str:
    """Report text as literal Markdown inline text on one line."""
    return _SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text))


def render_text(record: Record) -> str:
    """The 整改清单 as Markdown text."""
    doc = rectification(record)
    out = [f"# {md(doc.title)}", ""]
    out += [f"- **{label}**：{md(value)}" for label, value in doc.header()]
    if not doc.groups:
        out += ["", "未发现需要整改的问题。"]
    for group in doc.groups:
        out += ["", f"## {group.heading}"]
        for item in group.items:
            out += ["", f"### {item.number}. {md(item.rule)}（{item.severity}）", ""]
            out += [f"- **{label}**：{md(value)}" for label, value in item.fields()]
    return "\n".join(out) + "\n"


def render(record: Record) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(record).encode("utf-8")


RENDERER = ReportRenderer("markdown", "整改清单（Markdown）", "-整改清单.md", render)
