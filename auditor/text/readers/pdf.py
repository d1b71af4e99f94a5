"""PDF reports with a text layer: prose lines and ruled tables, each with its page and box.

pdfplumber (on pdfminer.six) gives every character with its box and every drawn rule, so a
table's cells come from the ruling lines that a reader sees, and a cell spanning several rows
or columns is one cell, placed in the row where it starts. Page headers, footers and page
numbers are dropped; a table that runs over a page break stays one table.

A PDF without a text layer (a scan) or whose glyphs do not map to real characters cannot be
audited: the reader says so rather than handing on an empty or garbled report.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from auditor.text.decode import UnreadableInput
from auditor.text.document import IMAGE_MARK, TABLE_CUT, Block, Document, Notice, Place, TableGrid, TextLine
from auditor.text.numerals import NUMERAL, SMALL
from auditor.text.page_marks import is_page_number
from auditor.text.readers import Reader
from auditor.text.readers._pdf_glyphs import undecodable_glyphs
from auditor.text.readers._pdf_layout import (
    COLUMN_SPACE,
    Box,
    Line,
    Obj,
    covered,
    group_lines,
    inside,
    join_wrapped,
    page_break_edges,
    running_key,
    visible_edges,
)

# Annual reports run to a few dozen pages; beyond this a file is not one report.
MAX_PAGES = 300
# A page with more rules than this is a drawing, not a report table: read its text only (finding
# the intersections costs rules squared; table 三 drawn cell by cell has about a thousand).
MAX_EDGES = 3000
# Share of the page height, at top and bottom, where running headers and footers stand.
_MARGIN = 0.1
# A line starting this many font sizes right of the text's left edge is indented; one ending
# within this many of its right edge is full.
_INDENT = 0.8
_FULL = 1.5
# Lines sharing an edge (to a point) that make it an edge of the text column.
_SHARED_EDGE = 3
# Two tables on consecutive pages are one when their left and right edges agree this closely.
_SAME_COLUMNS = 20.0
# A cell's rest after a page break stands between the same column rules as the cell (points).
_SAME_EDGE = 2.0


def claims(data: bytes, suffix: str = "") -> bool:
    """A PDF by content (its `%PDF-` header), or a file named `.pdf` (read() says if it is not one)."""
    return b"%PDF-" in data[:1024] or suffix.lower() == ".pdf"


def read(data: bytes) -> Document:
    """The report as a `Document`, or `UnreadableInput` saying why it cannot be read."""
    if b"%PDF-" not in data[:1024]:
        raise UnreadableInput("bad_pdf", "不是有效的 PDF 文件（缺少 PDF 文件头），可能已损坏或并非 PDF")
    try:
        return _read(data)
    except UnreadableInput:
        raise
    except Exception as exc:  # pdfminer raises many types (syntax, stream, key, recursion) for broken files
        name = type(exc).__name__
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]  # pdfplumber wraps pdfminer's errors
        if any(word in type(c).__name__ for c in causes for word in ("Password", "Encrypt")):
            raise UnreadableInput("bad_pdf", "PDF 文件已加密，无法读取其内容") from exc
        raise UnreadableInput("bad_pdf", f"无法读取 PDF 文件（{name}），文件可能已损坏") from exc


@dataclass
class _Grid:
    rows: list[tuple[str, ...]]
    places: list[Place]
    box: Box
    last_page: int
    # Left and right edge of each cell of each row (parallel to ``rows``).
    spans: list[tuple[tuple[float, float], ...]] = field(default_factory=list)


@dataclass
class _Picture:
    """An image in the page's body, big enough to hold a table (not a seal or a logo)."""

    page: int
    box: Box


# Smallest picture that could be a table pasted as an image (PDF points: a third of the
# text width, three table rows); a seal or a logo is smaller.
_PICTURE_WIDTH, _PICTURE_HEIGHT = 150.0, 45.0


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)  # prose, outside every table
    grids: list[tuple[float, _Grid]] = field(default_factory=list)  # (top, grid)
    pictures: list[tuple[float, _Picture]] = field(default_factory=list)  # (top, picture)
    table_cut: bool = False  # a table runs past the page's left or right edge


class _Complaints(logging.Handler):
    """Counts what pdfminer logs about a damaged file (instead of printing it on the terminal)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _pdfminer_complaints() -> Iterator[_Complaints]:
    logger = logging.getLogger("pdfminer")
    complaints, propagate = _Complaints(), logger.propagate
    logger.addHandler(complaints)
    logger.propagate = False
    try:
        yield complaints
    finally:
        logger.removeHandler(complaints)
        logger.propagate = propagate


def _read(data: bytes) -> Document:
    notices: list[Notice] = []
    with _pdfminer_complaints() as complaints:
        pages = _read_pages(data, notices)
    if complaints.count:
        message = f"PDF 文件结构有 {complaints.count} 处错误，已尽量读取，内容可能不完整"
        notices.append(Notice("pdf_damaged", message, severity="warning"))
    cut = [str(page.number) for page in pages if page.table_cut]
    if cut:
        # The columns past the edge were never printed: their cells are not read, and the
        # values of a cut row keep no column (there is no telling which columns are gone).
        message = f"第{'、'.join(cut)}页的表格超出页面边界，超出部分未印在页面上，其中的单元格未能读取"
        notices.append(Notice(TABLE_CUT, message, Place(page=int(cut[0])), "warning"))
    _drop_running_lines(pages)  # a scan's only text may be its page numbers
    _check_text(pages, notices)
    return Document(reader="pdf", blocks=_blocks(pages), notices=tuple(notices))


def _read_pages(data: bytes, notices: list[Notice]) -> list[_Page]:
    import pdfplumber  # imported lazily: only PDF input needs it

    with pdfplumber.open(io.BytesIO(data), pages=list(range(1, MAX_PAGES + 2))) as pdf:
        pages = list(pdf.pages)
        if not pages:
            raise UnreadableInput("bad_pdf", "PDF 文件中没有页面")
        if len(pages) > MAX_PAGES:
            pages = pages[:MAX_PAGES]
            notices.append(
                Notice("pdf_pages_capped", f"PDF 超过 {MAX_PAGES} 页，只读取了前 {MAX_PAGES} 页", severity="warning")
            )
        read_pages: list[_Page] = []
        failure: Exception | None = None
        for page in pages:
            try:
                read_pages.append(_read_page(page, notices))
            except Exception as exc:  # one damaged page should not cost the others
                failure = failure or exc
                message = f"第{page.page_number}页无法读取（{type(exc).__name__}），已跳过"
                notices.append(Notice("pdf_page_unreadable", message, Place(page=page.page_number), "warning"))
        if not read_pages and failure is not None:
            raise failure
        return read_pages


# How close to a page's side a table's frame may come before the table counts as cut there.
_EDGE_SLACK = 1.0


def _read_page(page: Any, notices: list[Notice]) -> _Page:
    number = int(page.page_number)
    chars = _distinct(c for c in page.chars if c["text"].strip())
    out = _Page(number, float(page.height))
    edges = visible_edges(page.lines, page.rects, page.curves)
    drawn = [e for e in edges if e["orientation"] == "h"]
    tables: list[Any] = []
    if len(edges) > MAX_EDGES:
        notices.append(
            Notice(
                "pdf_too_many_rules",
                f"第{number}页线条过多（{len(edges)} 条），未识别表格，只读取文字",
                Place(page=number),
                "warning",
            )
        )
    else:
        edges += page_break_edges(edges)
        vertical = [e for e in edges if e["orientation"] == "v"]
        horizontal = [e for e in edges if e["orientation"] == "h"]
        if len(vertical) >= 2 and len(horizontal) >= 2:
            tables = page.find_tables(
                {
                    "vertical_strategy": "explicit",
                    "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": vertical,
                    "explicit_horizontal_lines": horizontal,
                }
            )
    boxes: list[Box] = []
    right = float(page.width) - _EDGE_SLACK  # a table reaching this far is cut at the page's side
    left: list[Obj] = []  # characters inside a table's frame that no row took
    for table in tables:
        if max((len(row.cells) for row in table.rows), default=0) < 2:
            continue  # a framed paragraph, not a table
        box: Box = tuple(float(v) for v in table.bbox)  # type: ignore[assignment]
        grid, unplaced = _grid(table, [c for c in chars if inside(c, box)], number, box, drawn, right)
        boxes.append(box)
        left += unplaced
        if grid.rows:
            out.grids.append((box[1], grid))
    # A table wider than the page (a web page's table saved as PDF) is cut at its edge.
    out.table_cut = any(box[0] <= _EDGE_SLACK or box[2] >= right for box in boxes)
    prose = [c for c in chars if not any(inside(c, b) for b in boxes)] + left
    out.lines = group_lines(prose)
    for image in page.images:
        box = _rounded((image["x0"], image["top"], image["x1"], image["bottom"]))
        if box[2] - box[0] >= _PICTURE_WIDTH and box[3] - box[1] >= _PICTURE_HEIGHT:
            out.pictures.append((box[1], _Picture(number, box)))
    return out


def _grid(table: Any, chars: list[Obj], page: int, box: Box, drawn: list[Obj], edge: float) -> tuple[_Grid, list[Obj]]:
    """A pdfplumber table as rows of their own cells (None marks a position a span covers),
    and the characters in its frame that no row took (read as prose, never dropped).

    An empty cell opening the first row with no rule above it is the rest of a label cell
    spanning rows from the previous page: it belongs to that cell and is not a cell of its
    own. Past the row's first text, an empty cell is a blank value (value cells span no
    rows), kept so the values after it keep their columns. Text that no cell holds (a label
    column drawn without rules) is a cell of the narrowest row whose band it stands in.
    """
    chars = sorted(chars, key=_middle)
    middles = [_middle(c) for c in chars]
    taken: set[int] = set()
    table_rows: list[tuple[Any, list[tuple[float, float, str]]]] = []
    for index, row in enumerate(table.rows):
        placed: list[tuple[float, float, str]] = []  # (left, right, text) of each cell
        for cell in row.cells:
            if cell is None:
                continue
            start = bisect.bisect_left(middles, cell[1])
            end = bisect.bisect_right(middles, cell[3])
            own = [c for c in chars[start:end] if inside(c, cell)]
            taken.update(id(c) for c in own)
            if cell[2] >= edge and not _whole_before(own, edge):
                continue  # cut by the page's edge: empty, or its text may have lost digits (30 shown as 3)
            text = join_wrapped(line.text for line in group_lines(own))
            opening = index == 0 and not any(t for _, _, t in placed)
            if opening and not text and not covered(drawn, cell[1], cell[0], cell[2]):
                continue
            placed.append((float(cell[0]), float(cell[2]), text))
        table_rows.append((row, placed))
    left = _uncelled(table_rows, [c for c in chars if id(c) not in taken])
    rows: list[tuple[str, ...]] = []
    places: list[Place] = []
    spans: list[tuple[tuple[float, float], ...]] = []
    for row, placed in table_rows:
        placed.sort(key=lambda cell: cell[0])
        if any(t for _, _, t in placed):
            rows.append(tuple(t for _, _, t in placed))
            places.append(Place(page=page, box=_rounded(row.bbox)))
            spans.append(tuple((a, b) for a, b, _ in placed))
    return _Grid(rows, places, box, page, spans), left


def _whole_before(chars: Sequence[Obj], edge: float) -> bool:
    """Whether a cell cut by the page's edge still shows all its text: some text, ending at
    least a character's width before the edge (a text running up to it may go on past it)."""
    if not chars:
        return False
    last = max(chars, key=lambda c: float(c["x1"]))
    return float(last["x1"]) + (float(last["x1"]) - float(last["x0"])) < edge


def _uncelled(table_rows: list[tuple[Any, list[tuple[float, float, str]]]], stray: list[Obj]) -> list[Obj]:
    """Give each row, as one more cell, the text no cell holds in its band (the narrowest
    band, where rows overlap); the characters in no row's band are returned."""
    by_row: dict[int, list[Obj]] = {}
    left: list[Obj] = []
    for char in stray:
        y = _middle(char)
        bands = [
            (float(r.bbox[3]) - float(r.bbox[1]), i)
            for i, (r, _) in enumerate(table_rows)
            if r.bbox[1] <= y <= r.bbox[3]
        ]
        if bands:
            by_row.setdefault(min(bands)[1], []).append(char)
        else:
            left.append(char)
    for i, own in by_row.items():
        text = join_wrapped(line.text for line in group_lines(own))
        table_rows[i][1].append((min(float(c["x0"]) for c in own), max(float(c["x1"]) for c in own), text))
    return left


def _distinct(chars: Iterable[Obj]) -> list[Obj]:
    """Characters without the copies some exports overprint, a fraction of a point apart, to fake bold."""
    kept: list[Obj] = []
    near: dict[tuple[str, int], list[Obj]] = {}
    for char in chars:
        key = (char["text"], round(char["top"]))
        twins = [c for k in (key, (key[0], key[1] - 1), (key[0], key[1] + 1)) for c in near.get(k, ())]
        if any(abs(c["x0"] - char["x0"]) < 1 and abs(c["top"] - char["top"]) < 1 for c in twins):
            continue
        near.setdefault(key, []).append(char)
        kept.append(char)
    return kept


def _middle(char: Obj) -> float:
    return float(char["top"] + char["bottom"]) / 2


def _rounded(box: Any) -> Box:
    x0, top, x1, bottom = (round(float(v), 1) for v in box)
    return (x0, top, x1, bottom)


def _check_text(pages: list[_Page], notices: list[Notice]) -> None:
    texts = [c["text"] for page in pages for line in page.lines for c in line.chars]
    texts += [cell for page in pages for _, grid in page.grids for row in grid.rows for cell in row]
    bad = undecodable_glyphs(texts)
    if bad:
        message = f"PDF 中有 {bad} 个字符无法解码，相关内容可能不准确"
        notices.append(Notice("pdf_some_undecodable", message, severity="warning"))


def _in_margin(line: Line, page: _Page) -> bool:
    return line.box[3] <= page.height * _MARGIN or line.box[1] >= page.height * (1 - _MARGIN)


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and headers/footers that repeat at the top or bottom of the pages."""
    seen = Counter(
        key for page in pages for key in {running_key(line.text) for line in page.lines if _in_margin(line, page)}
    )
    repeated = {key for key, n in seen.items() if n >= 2 and n >= len(pages) / 2}
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (_in_margin(line, page) and (is_page_number(line.text) or running_key(line.text) in repeated))
        ]


@dataclass
class _Prose:
    """A printed line of prose, and how it sits in its page's text column."""

    text: str
    page: int
    box: Box
    opens: bool  # indented or numbered: a paragraph or heading starts here
    runs_on: bool  # reaches the right edge of the text: the paragraph goes on in the next line
    last_page: int = 0  # where the paragraph's last line is

    def __post_init__(self) -> None:
        self.last_page = self.last_page or self.page


# A line opening with a list number starts a paragraph or heading even without an indent.
_NUMBERED = re.compile(rf"^(?:{NUMERAL}+[、.．]|[（(][{SMALL}\d]+[）)]|\d+[、.．](?!\d))")


def _column(pages: list[_Page]) -> tuple[float, float] | None:
    """Left and right edges of the text column: where at least three lines start and end.

    Continuation lines of justified paragraphs share both edges; measured over the whole
    report, so a page holding only a heading and a short line is not its own column.
    """
    starts = Counter(round(line.box[0]) for page in pages for line in page.lines)
    ends = Counter(round(line.box[2]) for page in pages for line in page.lines)

    def shared(counts: Counter[int]) -> list[int]:
        return [v for v in counts if sum(counts[v + d] for d in (-1, 0, 1)) >= _SHARED_EDGE]

    lefts, rights = shared(starts), shared(ends)
    return (min(lefts), max(rights)) if lefts and rights else None


def _prose(page: _Page, column: tuple[float, float] | None) -> list[tuple[float, _Prose]]:
    out = []
    for line in page.lines:
        text = line.text
        if not text:
            continue
        size = statistics.median(float(c.get("size") or (c["bottom"] - c["top"])) for c in line.chars)
        opens, runs_on = True, False
        if column is not None:
            opens = line.box[0] > column[0] + _INDENT * size or bool(_NUMBERED.match(text))
            # A line of a table drawn without rules keeps its column gaps: it ends at its last
            # cell, however far right that stands, and runs on into nothing.
            runs_on = line.box[2] >= column[1] - _FULL * size and COLUMN_SPACE not in text
        out.append((line.box[1], _Prose(text, page.number, line.box, opens, runs_on)))
    return out


def _blocks(pages: list[_Page]) -> tuple[Block, ...]:
    """Paragraphs and tables in reading order.

    The lines of a paragraph are joined (a full-width line runs on into the next unless that
    one is indented or numbered), so a sentence is not cut where the page wrapped it; a table
    continued on the next page joins its start.
    """
    ordered: list[_Prose | _Grid | _Picture] = []
    column = _column(pages)
    for page in pages:
        items: list[tuple[float, _Prose | _Grid | _Picture]] = [*_prose(page, column), *page.grids, *page.pictures]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            previous = ordered[-1] if ordered else None
            if isinstance(item, _Grid) and isinstance(previous, _Grid) and _continues(previous, item):
                _join_split_row(previous, item)
                previous.rows += item.rows
                previous.spans += item.spans
                previous.places += item.places
                previous.last_page = item.last_page
            elif isinstance(item, _Prose) and isinstance(previous, _Prose) and _runs_into(previous, item):
                previous.text = join_wrapped([previous.text, item.text])
                previous.runs_on = item.runs_on
                previous.last_page = item.page
                if item.page == previous.page:
                    previous.box = _union(previous.box, item.box)
            else:
                ordered.append(item)
    return tuple(_block(b) for b in ordered)


def _block(item: _Prose | _Grid | _Picture) -> Block:
    if isinstance(item, _Grid):
        return TableGrid(tuple(item.rows), tuple(item.places))
    if isinstance(item, _Picture):
        return TextLine(IMAGE_MARK, Place(page=item.page, box=item.box))
    return TextLine(item.text, Place(page=item.page, box=_rounded(item.box)))


def _runs_into(before: _Prose, after: _Prose) -> bool:
    """Whether `after` continues the paragraph `before` (on its page or the next one read)."""
    return before.runs_on and not after.opens and after.page - before.last_page <= 1


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _continues(before: _Grid, after: _Grid) -> bool:
    """Whether `after` is `before` carried over a page break (nothing printed between them)."""
    return (
        after.last_page == before.last_page + 1
        and abs(after.box[0] - before.box[0]) <= _SAME_COLUMNS
        and abs(after.box[2] - before.box[2]) <= _SAME_COLUMNS
    )


def _join_split_row(before: _Grid, after: _Grid) -> None:
    """Give the rest of a row the page break split back to that row.

    Word and LibreOffice let a row break across pages: a label too long for the page's
    last line goes on at the top of the next (``2.没有现成`` | ``信息需要另行制作``), in a
    row of its own; a value set low in its cell may go with it. The pieces are put back
    into the cells above them, and the row is dropped. Only a row of such pieces
    qualifies: text that opens with no list number (a new row's label) under a text cell,
    values only under cells left empty, of a last row that has values.
    """
    if not before.rows or not after.rows or not before.spans or not after.spans:
        return
    last, edges = list(before.rows[-1]), before.spans[-1]
    if not any(_is_value(c) for c in last):
        return
    pieces = [(text, span) for text, span in zip(after.rows[0], after.spans[0], strict=True) if text]
    if not pieces or any(_NUMBERED.match(t) for t, _ in pieces) or all(_is_value(t) for t, _ in pieces):
        return
    targets = [_under(span, edges) for _, span in pieces]
    found = [
        t
        for (text, _), t in zip(pieces, targets, strict=True)
        if t is not None and (not last[t] if _is_value(text) else last[t] and not _is_value(last[t]))
    ]
    if len(found) != len(pieces):
        return
    for (text, _), target in zip(pieces, found, strict=True):
        last[target] = join_wrapped([last[target], text])
    before.rows[-1] = tuple(last)
    del after.rows[0], after.places[0], after.spans[0]


_VALUE = re.compile(r"[\d,，.．%％\s-]+")


def _is_value(text: str) -> bool:
    return bool(text) and _VALUE.fullmatch(text) is not None and any(ch.isdigit() for ch in text)


def _under(span: tuple[float, float], edges: Sequence[tuple[float, float]]) -> int | None:
    """The cell of ``edges`` whose column a piece spanning ``span`` stands in, if any (a piece
    wider than one cell, a title row across the table, is no cell's rest)."""
    return next((i for i, e in enumerate(edges) if e[0] - _SAME_EDGE <= span[0] and span[1] <= e[1] + _SAME_EDGE), None)


# Asked first: the `%PDF-` header is the most specific mark a file can carry.
READER = Reader("pdf", 10, claims, read)
