"""Draw synthetic reports as PDFs the way office suites export them (tests and examples).

A generated report (`tests.reportgen`) is laid out on A4 pages with reportlab: prose wrapped
to the text width, each statistical table drawn cell by cell with its row and column spans,
a running header and a page number ``- N -`` in the footer of every page. A table that does
not fit continues on the next page as Word and WPS print it: no rule under the last row
before the break and none over the continued part of a spanning cell after it.

``python -m tests.pdfgen OUT.pdf SEED AGENCY YEAR`` writes one such PDF (the example under
``examples/`` was made this way).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from tests import reportgen

FONT = "STSong-Light"  # a standard CID font: no file to embed, and text maps back to Unicode
PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 72.0, PAGE_W - 72.0, 80.0, PAGE_H - 72.0  # top-based coordinates
PROSE_SIZE, CELL_SIZE = 12.0, 9.0
PAD = 3.0

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than `width`, the first line `indent` narrower.

    CJK text breaks between any two characters; a run of digits or Latin letters is kept
    whole (moved to the next line), as word processors do.
    """
    lines, current = [], ""
    for ch in text:
        room = width - (indent if not lines else 0.0)
        if current and pdfmetrics.stringWidth(current + ch, FONT, size) > room:
            carried = ""
            if _word(ch):
                while current and _word(current[-1]):
                    carried, current = current[-1] + carried, current[:-1]
            if not current:  # one word wider than the line: break it after all
                current, carried = carried, ""
            lines.append(current)
            current = carried + ch
        else:
            current += ch
    return [*lines, current] if current else lines or [""]


def _word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Cell:
    text: str
    rs: int = 1
    cs: int = 1


@dataclass
class Table:
    width: int  # grid columns
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Styled:
    """A line set apart from the paragraphs: a centred title, a right-aligned signature."""

    text: str
    align: str  # left (no indent) | center | right


Block = str | Table | Styled


@dataclass
class _Placed:
    cell: Cell
    row: int
    col: int
    x0: float
    x1: float
    lines: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, header: str) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=True)
        self.header = header
        self.page = 1

    def _y(self, top: float) -> float:
        return PAGE_H - top

    def new_page(self) -> None:
        self._furniture()
        self.canvas.showPage()
        self.page += 1

    def _furniture(self) -> None:
        c = self.canvas
        c.setFont(FONT, 9)
        if self.header:
            c.drawCentredString(PAGE_W / 2, self._y(45), self.header)
        c.drawCentredString(PAGE_W / 2, self._y(PAGE_H - 40), f"- {self.page} -")

    def save(self) -> bytes:
        self._furniture()
        self.canvas.save()
        return self.buffer.getvalue()


def _place(table: Table) -> tuple[list[_Placed], list[float]]:
    taken: set[tuple[int, int]] = set()
    origins: list[tuple[Cell, int, int]] = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    taken.add((r + dr, c + dc))
            origins.append((cell, r, c))
            c += cell.cs
    # Columns holding long single-column labels get more room than value columns.
    need = [2.0] * table.width
    for cell, _, c in origins:
        if cell.cs == 1:
            need[c] = max(need[c], min(len(cell.text), 10) + 1.0)
    total = RIGHT - LEFT
    widths = [total * n / sum(need) for n in need]
    edges = [LEFT]
    for w in widths:
        edges.append(edges[-1] + w)
    placed = []
    for cell, r, c in origins:
        p = _Placed(cell, r, c, edges[c], edges[c + cell.cs])
        p.lines = wrap(cell.text, p.x1 - p.x0 - 2 * PAD, CELL_SIZE) if cell.text else []
        placed.append(p)
    return placed, widths


def _row_heights(table: Table, placed: list[_Placed]) -> list[float]:
    line = CELL_SIZE * 1.3
    heights = [line + 2 * PAD] * len(table.rows)
    for p in sorted(placed, key=lambda p: p.cell.rs):
        need = len(p.lines) * line + 2 * PAD
        span = range(p.row, p.row + p.cell.rs)
        have = sum(heights[r] for r in span)
        if need > have:
            heights[span[-1]] += need - have
    return heights


def draw_report(blocks: Sequence[Block], header: str = "") -> bytes:
    """The blocks (prose paragraphs and tables) as a PDF."""
    tables: list[tuple[Table, list[_Placed], list[tuple[int, float, float]]]] = []
    # First pass: lay out pages without drawing tables (reportlab draws page by page).
    layout = _Layout()
    for block in blocks:
        if isinstance(block, Table):
            placed, _ = _place(block)
            rows = layout.table_rows(_row_heights(block, placed))
            tables.append((block, placed, rows))
        else:
            layout.text(block)
    # Second pass: draw each page's prose and table pieces.
    writer = _Writer(header)
    for page in range(1, layout.page + 1):
        if page > 1:
            writer.new_page()
        for kind, payload in layout.by_page.get(page, []):
            if kind == "line":
                top, size, x, text, justify = payload
                _draw_line(writer.canvas, text, size, x, PAGE_H - (top + size), justify)
        for table, placed, rows in tables:
            _draw_table_page(writer.canvas, table, placed, rows, page)
    return writer.save()


def _draw_line(c: Canvas, text: str, size: float, x: float, y: float, justify: bool) -> None:
    """One line of prose; a justified line spreads its slack over the gaps next to CJK characters
    (words and numbers stay whole), as word processors set Chinese text."""
    runs: list[str] = []
    for ch in text:
        if runs and _word(ch) and _word(runs[-1][-1]):
            runs[-1] += ch
        else:
            runs.append(ch)
    widths = [pdfmetrics.stringWidth(run, FONT, size) for run in runs]
    gap = (RIGHT - x - sum(widths)) / (len(runs) - 1) if justify and len(runs) > 1 else 0.0
    line = c.beginText()
    line.setFont(FONT, size)
    for run, width in zip(runs, widths, strict=True):
        line.setTextOrigin(x, y)
        line.textOut(run)
        x += width + gap
    c.drawText(line)


class _Layout:
    def __init__(self) -> None:
        self.page = 1
        self.y = TOP
        self.by_page: dict[int, list[tuple[str, Any]]] = {}

    def _next_page(self) -> None:
        self.page += 1
        self.y = TOP

    def text(self, block: str | Styled, size: float = PROSE_SIZE) -> None:
        """A paragraph, its first line indented by two characters as Chinese documents print it."""
        if isinstance(block, Styled):
            width = pdfmetrics.stringWidth(block.text, FONT, size)
            x = {"left": LEFT, "center": (PAGE_W - width) / 2, "right": RIGHT - width}[block.align]
            self._line(block.text, size, x)
            return
        wrapped = wrap(block, RIGHT - LEFT, size, indent=2 * size)
        for i, line in enumerate(wrapped):
            self._line(line, size, LEFT + (2 * size if i == 0 else 0.0), justify=i < len(wrapped) - 1)

    def _line(self, text: str, size: float, x: float, justify: bool = False) -> None:
        if self.y + size * 1.6 > BOTTOM:
            self._next_page()
        self.by_page.setdefault(self.page, []).append(("line", (self.y, size, x, text, justify)))
        self.y += size * 1.6

    def table_rows(self, heights: list[float]) -> list[tuple[int, float, float]]:
        self.y += 6
        rows = []
        for h in heights:
            if self.y + h > BOTTOM:
                self._next_page()
            rows.append((self.page, self.y, self.y + h))
            self.y += h
        self.y += 10
        return rows


def _draw_table_page(
    c: Canvas, table: Table, placed: list[_Placed], rows: list[tuple[int, float, float]], page: int
) -> None:
    c.setLineWidth(0.5)
    last_row = len(table.rows) - 1
    for p in placed:
        span = list(range(p.row, p.row + p.cell.rs))
        here = [r for r in span if rows[r][0] == page]
        if not here:
            continue
        top, bottom = rows[here[0]][1], rows[here[-1]][2]
        starts = here[0] == span[0]
        # No rule under a row that a page break follows (as office suites print it).
        end = here[-1]
        closed = end == span[-1] and (end == last_row or rows[end + 1][0] == page)
        if starts and closed:
            c.rect(p.x0, PAGE_H - bottom, p.x1 - p.x0, bottom - top, stroke=1, fill=0)
        else:
            c.line(p.x0, PAGE_H - top, p.x0, PAGE_H - bottom)
            c.line(p.x1, PAGE_H - top, p.x1, PAGE_H - bottom)
            if starts:
                c.line(p.x0, PAGE_H - top, p.x1, PAGE_H - top)
            if closed:
                c.line(p.x0, PAGE_H - bottom, p.x1, PAGE_H - bottom)
        if here[0] == span[0] and p.lines:
            c.setFont(FONT, CELL_SIZE)
            line_h = CELL_SIZE * 1.3
            block = len(p.lines) * line_h
            start = top + (bottom - top - block) / 2
            for i, text in enumerate(p.lines):
                c.drawCentredString((p.x0 + p.x1) / 2, PAGE_H - (start + (i + 1) * line_h - 2.5), text)


def generated_blocks(seed: int, **kwargs: Any) -> tuple[reportgen.Generated, list[Block]]:
    """A generated report and its blocks (paragraphs and tables with their spans).

    The generator lays a report out as text; its table grids with their spans are taken from
    the call that assembles that text, so the PDF prints exactly the generated tables.
    """
    seen: dict[str, Any] = {}
    real = reportgen._assemble

    def capture(**parts: Any) -> str:
        seen.update(parts)
        return real(**parts)

    with mock.patch.object(reportgen, "_assemble", side_effect=capture):
        generated = reportgen.make_report(seed, layout="paragraph", **kwargs)
    # The header block (索引号, 发布机构, breadcrumbs) is the web page's, not the document's.
    blocks: list[Block] = [Styled(seen["title"], "center"), *seen["preamble"]]
    for n in seen["parts"]:
        blocks.append(seen["headings"][n])
        blocks.extend(seen["body"].get(n, []))
        table = seen["tables"].get(n)
        if table is not None:
            rows = [[Cell(c.text, c.rs, c.cs) for c in row] for row in table.rows]
            blocks.append(Table(table.width, rows))
    blocks.extend(Styled(line, "right") for line in seen["closing"])
    return generated, blocks


def report_pdf(seed: int, header: str = "", **kwargs: Any) -> tuple[reportgen.Generated, bytes]:
    """A generated report drawn as a PDF, with the truth about its cells."""
    generated, blocks = generated_blocks(seed, **kwargs)
    return generated, draw_report(blocks, header)


if __name__ == "__main__":
    out, seed, agency, year = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    _, pdf = report_pdf(seed, header=f"{agency}政务公开", agency=agency, year=year, label_noise=False)
    with open(out, "xb") as f:  # never overwrite an existing file
        f.write(pdf)
    print(f"wrote {out} ({len(pdf)} bytes)")


def scanned_pdf(pages: int = 2, page_numbers: bool = False) -> bytes:
    """A scan: every page one picture of a page, and no text layer (but perhaps stamped page numbers)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=True)
    for n in range(pages):
        picture = Image.new("L", (300, 420), 255)
        draw = ImageDraw.Draw(picture)
        for row in range(20):  # grey bars where the scanned lines of text would be
            draw.rectangle((30, 40 + row * 17, 270 - (row * 7 + n * 13) % 90, 48 + row * 17), fill=90)
        c.drawImage(ImageReader(picture), 0, 0, PAGE_W, PAGE_H)
        if page_numbers:
            c.setFont(FONT, 9)
            c.drawCentredString(PAGE_W / 2, 30, f"- {n + 1} -")
        c.showPage()
    c.save()
    return buffer.getvalue()


def unmapped_font_pdf(
    text_codes: Sequence[int],
    to_unicode_start: int | None = None,
    private: Sequence[int] = (),
    extra: str = "",
    chars: str = "",
) -> bytes:
    """One page of text in a font whose glyphs do not say which characters they are.

    The font is a CID font with Identity encoding and no embedded program. Without a
    ToUnicode map the glyph codes cannot be turned into text (pdfminer gives ``(cid:N)``);
    with ``to_unicode_start`` they map into that range (e.g. 0xE000, the private-use area),
    except the codes in ``chars`` (code 1 is its first character, and so on) and those in
    ``private``, which map to the private-use area. ``extra`` content operators are appended
    to the page (e.g. broken ones).
    """
    singles = [(i + 1, ord(ch)) for i, ch in enumerate(chars) if i + 1 not in private]
    singles += [(code, 0xE000 + code) for code in private]
    shown = "".join(f"{code:04X}" for code in text_codes)
    content = f"BT /F1 12 Tf 72 760 Td <{shown}> Tj 0 -20 Td <{shown}> Tj ET{extra}".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Unmapped /Encoding /Identity-H /DescendantFonts [6 0 R]"
        + (b" /ToUnicode 8 0 R" if to_unicode_start is not None else b"")
        + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unmapped /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /Unmapped /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    if to_unicode_start is not None:
        cmap = (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Unmapped def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"1 beginbfrange <0000> <00FF> <{to_unicode_start:04X}> endbfrange "
            + (f"{len(singles)} beginbfchar " if singles else "")
            + "".join(f"<{code:04X}> <{target:04X}> " for code, target in singles)
            + ("endbfchar " if singles else "")
            + "endcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
