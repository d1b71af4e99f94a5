"""Plain text (web-page text, crawler dumps, markdown): one `TextLine` per source line."""

from __future__ import annotations

import re

from auditor.text.decode import decode_report
from auditor.text.document import IMAGE_MARK, TABLE_OMITTED, Block, Document, Notice, Place, TableGrid, TextLine
from auditor.text.readers import Reader
from auditor.text.readers.html import html_document

_NATIVE = ("utf-8", "ascii")
# The places of lines 0…N, made once per process: a place is immutable, so every report
# shares them (real reports have a few hundred lines; longer files make their own).
_SHARED_PLACES = 2048
_LINE_PLACES = tuple(Place(line=n) for n in range(_SHARED_PLACES + 1))


def _place(n: int) -> Place:
    return _LINE_PLACES[n] if n <= _SHARED_PLACES else Place(line=n)


# A markdown table's delimiter row printed without a pipe at one end ("--- | ---",
# "---|---|"): its rows omit that pipe too (GitHub-flavoured markdown allows it).
_DELIMITER = re.compile(r"[ \t]*(?P<lead>\|)?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+(?P<trail>\|)?[ \t]*")


def _outer_pipes(lines: list[str]) -> list[str]:
    """Markdown tables without outer pipes given them, so they read as every other markdown
    table: the header row above the delimiter and the rows below it, as long as they print
    a pipe. A row's leading pipe there stands for an empty first cell, and is kept as one."""
    out = list(lines)
    for i, line in enumerate(lines):
        m = _DELIMITER.fullmatch(line)
        if m is None or (m.group("lead") and m.group("trail")):
            continue
        end = i + 1
        while end < len(lines) and "|" in lines[end]:
            end += 1
        start = i - 1 if i > 0 and "|" in lines[i - 1] else i
        for k in range(start, end):
            out[k] = ("" if m.group("lead") else "| ") + lines[k] + ("" if m.group("trail") else " |")
    return out


def read(data: bytes) -> Document:
    """Decode the bytes; every line keeps its 1-based line number."""
    decoded = decode_report(data)
    text = decoded.text
    if "</" in text:
        text = _INLINE_TAG.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if "---" in text:
        lines = _outer_pipes(lines)
    notices = [Notice(code, message, None, "warning") for code, message in decoded.warnings]
    if decoded.encoding not in _NATIVE:
        notices.append(Notice("encoding", f"文件编码为 {decoded.encoding}，已自动转换"))
    # Converters' markup among the lines (each asked only when the text holds its tag at all).
    lowered = text.lower() if "<" in text or "![" in text else ""
    if "<br" in lowered:
        lines = [_unbroken(line) for line in lines]
    if "![" in lowered or "<img" in lowered:
        lines = [IMAGE_MARK if _IMAGE.fullmatch(line) else line for line in lines]
    if "]{" in text:
        lines = [_unspanned(line) if "]{" in line else line for line in lines]
    if "[TABLE]" in text:
        lines = [TABLE_OMITTED if line.strip() == "[TABLE]" else line for line in lines]
    html = "<table" in lowered
    if html or "-+-" in text:
        return Document("text", _with_tables(lines, html), decoded.encoding, tuple(notices))
    blocks = tuple(TextLine(line, _place(n)) for n, line in enumerate(lines, 1))
    return Document("text", blocks, decoded.encoding, tuple(notices))


# A line that only shows a picture (markdown or HTML): a converter leaves a table it could
# not read as an image, so what stands there was not read.
_IMAGE = re.compile(r"\s*(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)\s*", re.I)

# Raw HTML that markdown converters keep from a page (pandoc: ``<span\nstyle="…">``, ``<div
# class="…">``, ``<a href="…">``): only the text between the tags is the report's; the
# attributes' numbers (``font-size: 19px``) are none of its values. Tables, line breaks and
# pictures stay for their own readings below. A tag spanning lines leaves its line breaks.
_INLINE_TAG = re.compile(
    r"</?(?:span|div|a|p|font|b|strong|em|i|u|o:p|section|article|center|small|big|sup|sub|h[1-6])\b[^<>]*>", re.I
)

# Pandoc's markdown keeps an HTML span's style as ``[text]{style="…"}``: only the text is
# the report's (a heading may come as two such spans, ``[三、收到和处理]{…}[政府信息…]{…}``).
_SPAN = re.compile(r"\[([^\[\]]*)\]\{[^{}]*\}")


def _unspanned(line: str) -> str:
    """The line without span attributes, spans inside spans (``[[ ]{…}[0]{…}]{…}``) too."""
    while True:
        bare = _SPAN.sub(r"\1", line)
        if bare == line:
            return bare
        line = bare


# A converter's line break inside a markdown cell ("结果<br>纠正"): the cell's text wrapped.
_BR = re.compile(r"[ \t]*<br\s*/?>[ \t]*", re.I)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_DIGIT = re.compile(r"[\d.,]")


def _seam(before: str, after: str) -> str:
    """What joins two pieces of a wrapped cell: wrapped CJK text, or a number wrapped in a
    narrow cell ("35118" / "69.45元"), joins with nothing between; other text with a space."""
    b, a = before[-1:], after[:1]
    cjk = bool(_CJK.match(b)) and bool(_CJK.match(a))
    digits = bool(_DIGIT.match(b)) and bool(_DIGIT.match(a))
    return "" if cjk or digits or not b or not a else " "


def _unbroken(line: str) -> str:
    """The line with each <br> taken out, the pieces joined as a wrapped cell's."""
    out: list[str] = []
    at = 0
    for m in _BR.finditer(line):
        out += [line[at : m.start()], _seam(line[: m.start()], line[m.end() :])]
        at = m.end()
    return "".join([*out, line[at:]])


# A grid table (pandoc's, tabulate's "grid"): rows between "+----+----+" borders, a cell
# wrapped over several "| … | … |" lines of its row (pandoc marks a line break with "\").
_GRID_BORDER = re.compile(r"[ \t]*\+(?:[-=:]+\+)+[ \t]*")


def _grid_table(lines: list[str], start: int) -> tuple[TableGrid, int] | None:
    """The grid table whose top border is ``lines[start]``, and the line after it; None when
    the lines there are no such table (a row with another number of cells)."""
    width = lines[start].count("+") - 1
    rows: list[tuple[str, ...]] = []
    places: list[Place] = []
    pieces: list[list[str]] = []
    n = start + 1
    while n < len(lines):
        line = lines[n].strip()
        if _GRID_BORDER.fullmatch(line):
            if pieces:
                rows.append(tuple(_joined(column) for column in zip(*pieces, strict=True)))
                pieces = []
        elif line.startswith("|") and line.endswith("|") and line.count("|") == width + 1:
            if not pieces:
                places.append(_place(n + 1))
            pieces.append([f.strip().removesuffix("\\").strip() for f in line[1:-1].split("|")])
        else:
            break
        n += 1
    if pieces or not rows:
        return None  # cut off before its bottom border, or only borders
    return TableGrid(tuple(rows), tuple(places)), n


def _joined(pieces: tuple[str, ...]) -> str:
    out = ""
    for piece in (p for p in pieces if p):
        out += _seam(out, piece) + piece
    return out


_TABLE_START = re.compile(r"<table\b", re.I)
_TABLE_END = re.compile(r"</table\s*>", re.I)


def _with_tables(lines: list[str], html: bool) -> tuple[Block, ...]:
    """Lines, with each grid table and each HTML table among them read as the grid it is:
    PDF-to-markdown converters write a table they could not put in pipes as
    ``<table>…</table>``, HTML-to-text ones a table with wrapped cells as a grid table."""
    blocks: list[Block] = []
    n = 0
    while n < len(lines):
        grid = _grid_table(lines, n) if _GRID_BORDER.fullmatch(lines[n]) else None
        if grid is not None:
            blocks.append(grid[0])
            n = grid[1]
            continue
        if not html or not _TABLE_START.search(lines[n]):
            blocks.append(TextLine(lines[n], _place(n + 1)))
            n += 1
            continue
        end = next((k for k in range(n, len(lines)) if _TABLE_END.search(lines[k])), len(lines) - 1)
        fragment = html_document("\n".join(lines[n : end + 1]))
        place = _place(n + 1)
        for block in fragment.blocks:
            if isinstance(block, TableGrid):
                blocks.append(TableGrid(block.rows, tuple(place for _ in block.rows)))
            elif block.text.strip():
                blocks.append(TextLine(block.text, place))
        n = end + 1
    return tuple(blocks)


READER = Reader("text", 100, lambda data, suffix: True, read)
