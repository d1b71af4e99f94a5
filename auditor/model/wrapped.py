"""Paragraph lines rejoined before the scan: a label a page wrapped over lines
(``（三）不`` + ``予公开``), or two columns' text a PDF glued at a list number."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from auditor.model.items import Item
from auditor.model.labels import LabelIndex, norm
from auditor.model.values import LABEL_THEN_VALUES, VALUE, VALUES_ONLY, is_value
from auditor.text.page_marks import is_page_mark

# A cell's text is no longer than this; a longer paragraph line is prose (or a whole row).
_CELL_TEXT_MAX = 40
# A paragraph line longer than this is prose, not a row's ``label value…``.
ROW_LINE_MAX = 200
_FIELD_GAP = re.compile(r"\s{2,}")  # text printed in columns: two spaces or more between them
_LIST_NUMBER = re.compile(r"\d{1,2}[.、．]")
_NUMBER_THEN_VALUES = re.compile(rf"(?P<number>{_LIST_NUMBER.pattern})(?:\s+(?P<values>{VALUE}(?:\s+{VALUE})*))?")
# A list number glued to the text before it: ``予处理4.无正当理由``.
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）)])\d{1,2}[.、．](?=[\u4e00-\u9fff])")


def is_prose(text: str) -> bool:
    """Text of a sentence, not of a table cell (nor of a header row printed as its labels or
    their syllables set apart by spaces: ``结果维持  结果  其他  尚未  总计  未经复议直接起诉``)."""
    n = norm(text)
    if len(n) > _CELL_TEXT_MAX or "。" in text:
        return True
    words = text.split()
    # Sentences are not printed as words set apart by spaces; header rows are.
    spaced = len(words) >= 4 and max(map(len, words)) <= 8 and not any(ch in text for ch in "，,；;")
    return len(n) > 24 and not any(ch in n for ch in "()|") and not spaced


def _joinable(item: Item) -> bool:
    return item.kind == "cell" and item.layout == "para" and _joinable_text(item.text)


def _joinable_text(text: str) -> bool:
    return len(text) <= _CELL_TEXT_MAX and not is_value(text)


def _label_piece(item: Item) -> tuple[str, str] | None:
    """The label text and the values (perhaps none) of a paragraph line that may hold a
    piece of a wrapped label; a page may print the values beside any line of the label
    (``一、本年新收政府信息公开申`` + ``请数量  2 0 0 0 0 0 2``)."""
    return _piece_of(item.text) if item.kind == "cell" and item.layout == "para" else None


@lru_cache(maxsize=65536)  # asked of every paragraph line; most texts recur across reports
def _piece_of(text: str) -> tuple[str, str] | None:
    if is_prose(text):
        return None
    if is_page_mark(text):
        return "", ""  # a page's number or margin between two lines of the label
    numbered = _NUMBER_THEN_VALUES.fullmatch(text.strip())
    if numbered is not None:
        # The label's list number on a line of its own (``1.``), perhaps with the row's
        # values (``3.   0 0 0 0 0 0 0`` above ``其他``).
        return numbered.group("number"), numbered.group("values") or ""
    if VALUES_ONLY.fullmatch(text) and any(ch.isdigit() for ch in text):
        return "", text.strip()  # the values alone, between two lines of the label
    m = LABEL_THEN_VALUES.match(text.strip())
    if m is not None and len(m.group("label")) <= _CELL_TEXT_MAX and _joinable_text(m.group("label")):
        return m.group("label").strip(), m.group("values")
    return (text.strip(), "") if _joinable_text(text) else None


def _split_glued(items: list[Item], index: LabelIndex) -> list[Item]:
    """Split a paragraph line where a PDF glued two table columns' text together at a list
    number (``予处理4.无正当理由大量反复``: the end of a group label, then a row label)."""
    out: list[Item] = []
    for item in items:
        m = _GLUED_NUMBER.search(item.text) if item.layout == "para" and len(item.text) <= _CELL_TEXT_MAX else None
        m = m if m and _joinable(item) and not is_prose(item.text) else None
        if m is None or not index.starts_label(item.text[m.start() :]):
            out.append(item)
            continue
        out.append(replace(item, text=item.text[: m.start()]))
        out.append(replace(item, text=item.text[m.start() :]))
    return out


def _split_side_label(items: list[Item], index: LabelIndex) -> list[Item]:
    """Split a paragraph line that prints a piece of a group's label in its own column
    before a row's label (``（五   3.要求提供公开出``, ``理    4.无正当理由大量  0 0 …``)."""
    out: list[Item] = []
    for item in items:
        columns = item.layout == "para" and ("  " in item.text or "\t" in item.text or "\u3000" in item.text)
        parts = _FIELD_GAP.split(item.text.strip(), maxsplit=1) if columns else []
        if len(parts) == 2 and len(item.text) <= ROW_LINE_MAX and index.side_label_piece(parts[0]):
            rest = LABEL_THEN_VALUES.match(parts[1])
            if index.starts_label(rest.group("label") if rest else parts[1]):
                out += [replace(item, text=parts[0]), replace(item, text=parts[1])]
                continue
        out.append(item)
    return out


def join_wrapped(items: list[Item], index: LabelIndex) -> list[Item]:
    """Join paragraph lines that together spell one label the page wrapped
    (``（三）不`` + ``予公开``, ``1.本机关不掌握相关政`` + ``府信息``), with the values
    one of them carries put after the whole label."""
    items = _split_side_label(_split_glued(items, index), index)
    out: list[Item] = []
    i = 0
    while i < len(items):
        item, joined = items[i], None
        first = _label_piece(item)
        if first is not None and index.starts_label(first[0]) and index.lookup(first[0], fuzzy=False) is None:
            text, values = first
            for j in range(i + 1, min(i + 8, len(items))):
                piece = _label_piece(items[j])
                if piece is None:
                    break
                # A list number past the label's first line is the number it opens with.
                text += "" if _LIST_NUMBER.fullmatch(piece[0]) else piece[0]
                values = " ".join(v for v in (values, piece[1]) if v)  # a row's values may be split too
                if index.lookup(text, fuzzy=False) is not None:
                    joined = j
                    break
                if not index.starts_label(text):
                    break
        if joined is None:
            out.append(item)
            i += 1
        else:
            out.append(replace(item, text=f"{text} {values}" if values else text))
            i = joined + 1
    return out
