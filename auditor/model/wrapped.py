"""Paragraph lines rejoined before the scan: a label a page wrapped over lines
(``（三）不`` + ``予公开``), or two columns' text a PDF glued at a list number."""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.model.items import Item
from auditor.model.labels import LabelIndex, norm
from auditor.model.types import CellState
from auditor.model.values import classify

# A list number glued to the text before it: ``予处理4.无正当理由``.
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）)])\d{1,2}[.、．](?=[\u4e00-\u9fff])")


def is_prose(text: str) -> bool:
    """Text of a sentence, not of a table cell."""
    n = norm(text)
    return len(n) > 40 or "。" in text or (len(n) > 24 and not any(ch in n for ch in "()|"))


def _joinable(item: Item) -> bool:
    if item.kind != "cell" or item.layout != "para" or len(item.text) > 40:
        return False
    token = classify(item.text)
    return token is None or token.state is CellState.TEXT


def _split_glued(items: list[Item], index: LabelIndex) -> list[Item]:
    """Split a paragraph line where a PDF glued two table columns' text together at a list
    number (``予处理4.无正当理由大量反复``: the end of a group label, then a row label)."""
    out: list[Item] = []
    for item in items:
        m = _GLUED_NUMBER.search(item.text) if item.layout == "para" and len(item.text) <= 40 else None
        m = m if m and _joinable(item) and not is_prose(item.text) else None
        if m is None or not index.starts_label(item.text[m.start() :]):
            out.append(item)
            continue
        out.append(replace(item, text=item.text[: m.start()]))
        out.append(replace(item, text=item.text[m.start() :]))
    return out


def join_wrapped(items: list[Item], index: LabelIndex) -> list[Item]:
    """Join paragraph lines that together spell one label the page wrapped
    (``（三）不`` + ``予公开``, ``1.本机关不掌握相关政`` + ``府信息``)."""
    items = _split_glued(items, index)
    out: list[Item] = []
    i = 0
    while i < len(items):
        item, joined = items[i], None
        if (
            item.layout == "para"
            and len(item.text) <= 40
            and index.starts_label(item.text)
            and _joinable(item)
            and index.lookup(item.text, fuzzy=False) is None
        ):
            text = item.text.strip()
            for j in range(i + 1, min(i + 6, len(items))):
                if not _joinable(items[j]):
                    break
                text += items[j].text.strip()
                if index.lookup(text, fuzzy=False) is not None:
                    joined = j
                    break
                if not index.starts_label(text):
                    break
        if joined is None:
            out.append(item)
            i += 1
        else:
            out.append(replace(item, text=text))
            i = joined + 1
    return out
