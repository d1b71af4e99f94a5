"""A read document to a typed outline, through the Lark grammar ``grammar/report.lark``.

The grammar types every prose line. Table grids that a reader saw (HTML, DOCX, PDF) are
not turned back into text: each grid row stands in the token stream as one opaque
``GRID_ROW`` line, so the grammar still groups them into a table block between part
headings, and the row's exact cells are attached to that line afterwards.

The grammar is compiled once per process (LALR tables cached on disk by Lark as well),
so parsing a report costs only lexing and one LALR pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from lark import Lark, Token, Transformer

from auditor.resources import grammar_path, template_data
from auditor.text import numerals
from auditor.text.document import Document, Place, TableGrid, TextLine


@dataclass(frozen=True)
class Line:
    """One typed line of the report; ``kind`` is the grammar terminal that matched it."""

    kind: str
    text: str
    number: int
    cells: tuple[str, ...] | None = None  # a grid row's exact cells (``kind == "GRID_ROW"``)


@dataclass(frozen=True)
class Block:
    """A run of lines of one kind: a table in one layout, or a single text line."""

    kind: str  # pipe | tab | markdown | grid | title | meta | date | para
    lines: tuple[Line, ...]

    @property
    def first_line(self) -> int:
        return self.lines[0].number


@dataclass(frozen=True)
class OutlineSection:
    """A part heading and the blocks under it."""

    heading: Line
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Outline:
    """The whole report: blocks before the first part heading, then the parts."""

    preamble: tuple[Block, ...]
    sections: tuple[OutlineSection, ...]
    # Every line as shown to a reader (a grid row as ``| a | b |``), index = line number − 1,
    # and where each came from in the source file.
    lines: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()

    def all_blocks(self) -> list[Block]:
        """Every block in reading order, headings excluded."""
        out = list(self.preamble)
        for s in self.sections:
            out.extend(s.blocks)
        return out


def _line(tok: Token) -> Line:
    return Line(tok.type, str(tok).rstrip("\n"), tok.line or 0)


class _ToOutline(Transformer[Token, Outline]):
    """Turns the Lark tree into `Outline` dataclasses; nothing downstream sees Lark types."""

    def _single(self, kind: str, children: list[Token]) -> Block:
        return Block(kind, (_line(children[0]),))

    def title(self, children: list[Token]) -> Block:
        return self._single("title", children)

    def meta(self, children: list[Token]) -> Block:
        return self._single("meta", children)

    def date(self, children: list[Token]) -> Block:
        return self._single("date", children)

    def para(self, children: list[Token]) -> Block:
        return self._single("para", children)

    def pipe_table(self, children: list[Token]) -> Block:
        return Block("pipe", tuple(_line(t) for t in children))

    def tab_table(self, children: list[Token]) -> Block:
        return Block("tab", tuple(_line(t) for t in children))

    def md_table(self, children: list[Token]) -> Block:
        return Block("markdown", tuple(_line(t) for t in children))

    def grid_table(self, children: list[Token]) -> Block:
        return Block("grid", tuple(_line(t) for t in children))

    def preamble(self, children: list[Block]) -> tuple[Block, ...]:
        return tuple(children)

    def section(self, children: list[Token | Block]) -> OutlineSection:
        heading = children[0]
        assert isinstance(heading, Token)
        return OutlineSection(_line(heading), tuple(c for c in children[1:] if isinstance(c, Block)))

    def start(self, children: list[object]) -> Outline:
        preamble = children[0]
        assert isinstance(preamble, tuple)
        return Outline(preamble, tuple(c for c in children[1:] if isinstance(c, OutlineSection)))


def grammar_text() -> str:
    """The outline grammar with the template data and numerals put in where it names them: the
    parts' numerals and heading phrases (``parts.yaml``) and the Chinese numerals of a date
    (`auditor.text.numerals`). Each is written once; the grammar says only where it stands."""
    parts = template_data("parts.yaml")["parts"]
    fills = {
        "@PART_NUMERALS@": "".join(str(part["numeral"]) for part in parts),
        "@PART_PHRASES@": "|".join(re.escape(phrase) for part in parts for phrase in part["outline"]),
        "@CN_YEAR@": numerals.YEAR,
        "@CN_MONTH@": numerals.MONTH,
        "@CN_DAY@": numerals.DAY,
    }
    text = grammar_path("report.lark").read_text(encoding="utf-8")
    for mark, fill in fills.items():
        text = text.replace(mark, fill)
    return text


@cache
def _parser() -> Lark:
    # The transformer runs inline with the LALR parser, so no intermediate tree is built.
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        # Lines carry their own token positions; no tree node needs a `meta` (slower).
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
        transformer=_ToOutline(),
    )


def parse_outline(text: str) -> Outline:
    """Parse normalised report text (ending in a newline) into an `Outline`."""
    outline = _parser().parse(text)
    assert isinstance(outline, Outline)
    return replace(outline, lines=tuple(text.split("\n")[:-1]))


GRID_MARK = "\x1f"  # starts the stand-in line of a grid row; never in decoded text


def _show(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(c.replace("|", "｜") for c in cells) + " |"


def parse_document(document: Document) -> Outline:
    """The outline of a read document: prose typed by the grammar, grid rows kept exact."""
    source: list[str] = []
    places: list[Place] = []
    cells: dict[int, tuple[str, ...]] = {}
    for block in document.blocks:
        if isinstance(block, TextLine):
            for piece in block.text.replace(GRID_MARK, " ").split("\n"):
                source.append(piece)
                places.append(block.place)
        elif isinstance(block, TableGrid):
            for row, place in zip(block.rows, block.places, strict=True):
                cells[len(source) + 1] = row
                source.append(f"{GRID_MARK}{len(source) + 1}")
                places.append(place)
    outline = _parser().parse("\n".join(source) + "\n")
    assert isinstance(outline, Outline)
    shown = [_show(cells[n]) if n in cells else text for n, text in enumerate(source, 1)]

    def attach(block: Block) -> Block:
        if block.kind != "grid":
            return block
        return Block(
            "grid", tuple(Line(ln.kind, shown[ln.number - 1], ln.number, cells[ln.number]) for ln in block.lines)
        )

    return Outline(
        tuple(attach(b) for b in outline.preamble),
        tuple(OutlineSection(s.heading, tuple(attach(b) for b in s.blocks)) for s in outline.sections),
        tuple(shown),
        tuple(places),
    )
