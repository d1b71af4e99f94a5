"""Flatten outline blocks into one stream of printed cells, gaps and row breaks.

Whatever the layout, a table reaches the scanner as the cells in reading order. Layouts
differ only in what else they say: pipe text marks blank/spanned cells with runs of pipes
(``gap`` items, count unreliable), tab, markdown and grid rows also say where each row ends
(``break`` items).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.model.values import is_value
from auditor.tree.parser import Block, Outline


@dataclass(slots=True)
class Item:
    """One printed thing in reading order. Not modified once made; not frozen, since a
    report makes hundreds and a frozen dataclass is built several times slower."""

    kind: str  # cell | gap | break | heading
    text: str
    line: int
    layout: str  # block kind it came from: pipe | tab | markdown | para | title | meta | date
    count: int = 1  # for gaps: how many empty cells were printed
    section: int | None = None  # for headings: the canonical part number
    field: int = -1  # tab and markdown rows: index of the (first) field on its line
    width: int = 0  # tab and markdown rows: how many fields its line has


def _fields(parts: list[str], line: int, layout: str, explicit: bool, gaps: bool = True) -> Iterator[Item]:
    pending = 0
    width = len(parts) if explicit else 0
    for index, part in enumerate(parts):
        text = part.strip()
        if not text:
            pending += gaps
            continue
        if pending:
            yield Item("gap", "", line, layout, pending, field=index - pending if explicit else -1, width=width)
            pending = 0
        yield Item("cell", text, line, layout, field=index if explicit else -1, width=width)
    if pending:
        yield Item("gap", "", line, layout, pending, field=len(parts) - pending if explicit else -1, width=width)


def _labels_only(fields: list[str]) -> bool:
    """Whether a line's fields hold texts and no value, the last field empty (``| | ）其 |
    2.申请人逾期 | | |``): labels whose cells the line does not print."""
    texts = [f.strip() for f in fields if f.strip()]
    return bool(texts) and not fields[-1].strip() and not any(is_value(t) for t in texts)


def _markdown_fields(text: str) -> list[str]:
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return inner.split("|")


def _spans_all(fields: list[str]) -> bool:
    """A title row spanning the whole table, printed once per column (``| 第二十条第（八）项 |
    第二十条第（八）项 | … |``): it opens a sub-table with columns of its own."""
    texts = {f.strip() for f in fields}
    return len(fields) > 1 and len(texts) == 1 and not is_value(texts.pop())


def _repeated_columns(rows: list[list[str]]) -> list[set[int]]:
    """Per row: the columns that only repeat the column before them in every row of the row's
    sub-table (the rows between two title rows spanning the table).

    Some converters print a cell spanning several columns once in each column it spans
    (``| 信息内容 | 采购项目数量 | 采购总金额 | 采购总金额 |`` over ``| 政府集中采购 | 3 |
    147230元 | 147230元 |``). A column is such a copy only when every row of its sub-table
    says so and a header label is among the copies: two real columns may well hold equal
    values.
    """
    out: list[set[int]] = [set() for _ in rows]
    if len({len(r) for r in rows}) != 1:
        return out  # no rows, or rows of several widths: no column to compare
    starts = [i for i, r in enumerate(rows) if i == 0 or _spans_all(r)]
    for first, last in zip(starts, [*starts[1:], len(rows)], strict=True):
        part = [r for r in rows[first:last] if not _spans_all(r)]
        if len(part) < 2:
            continue
        repeats = set()
        for column in range(1, len(part[0])):
            copied = [r[column].strip() for r in part if r[column - 1].strip() == r[column].strip()]
            if len(copied) == len(part) and any(text and not is_value(text) for text in copied):
                repeats.add(column)
        for i in range(first, last):
            out[i] = repeats
    return out


def block_items(block: Block) -> Iterator[Item]:
    """Items of one block."""
    if block.kind == "pipe":
        for ln in block.lines:
            # The text after the last pipe is only trailing space; every pipe closes a cell.
            yield from _fields(ln.text.split("|")[:-1], ln.number, "pipe", explicit=False)
    elif block.kind == "tab":
        for ln in block.lines:
            yield from _fields(ln.text.split("\t"), ln.number, "tab", explicit=True)
            yield Item("break", "", ln.number, "tab")
    elif block.kind == "grid":
        for ln in block.lines:
            yield from _fields(list(ln.cells or ()), ln.number, "grid", explicit=True)
            yield Item("break", "", ln.number, "grid")
    elif block.kind == "markdown":
        lines = [(i, ln) for i, ln in enumerate(block.lines) if ln.kind != "MD_SEP"]
        rows = [_markdown_fields(ln.text) for _, ln in lines]
        for (i, ln), fields, repeats in zip(lines, rows, _repeated_columns(rows), strict=True):
            if repeats:
                fields = [f for index, f in enumerate(fields) if index not in repeats]
            header = i + 1 < len(block.lines) and block.lines[i + 1].kind == "MD_SEP"
            # A converter opens each table it cuts at a page break with a header line: a label
            # there beside empty fields is a row's label, its values printed elsewhere (or on
            # the next page), not a row of blank cells.
            labels_only = header and _labels_only(fields)
            yield from _fields(fields, ln.number, "markdown", explicit=True, gaps=not labels_only)
            yield Item("break", "", ln.number, "markdown")
    else:
        for ln in block.lines:
            text = ln.text.strip()
            fields = text.strip("|").split("|") if block.kind == "para" and "|" in text and "。" not in text else []
            if sum(bool(f.strip()) for f in fields) >= 2 or (fields and text[0] == "|"):
                # A markdown row broken off its table where a converter wrapped a cell onto a
                # new line (``维持| 结果``, ``2| 1| 3| …``): still cells between pipes.
                yield from _fields(fields, ln.number, "para", explicit=False)
            else:
                yield Item("cell", text, ln.number, block.kind)


def outline_items(outline: Outline, section_numbers: list[int | None]) -> Iterator[Item]:
    """Items of the whole report; each part heading becomes a ``heading`` item."""
    for block in outline.preamble:
        yield from block_items(block)
    for section, number in zip(outline.sections, section_numbers, strict=True):
        yield Item("heading", section.heading.text.strip(), section.heading.number, "heading", section=number)
        for block in section.blocks:
            yield from block_items(block)
