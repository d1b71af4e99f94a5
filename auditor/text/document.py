"""The one document type every input reader returns.

Whatever the file kind (plain text, HTML page, DOCX, PDF), a reader hands the next stage
the same thing: prose lines and exact table grids in reading order, each with the place it
came from. Readers that see a table's structure (HTML, DOCX, PDF) pass its cells as a grid,
so no table is flattened to text and lexed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where a line or a table row stands in the source file (only what the kind knows)."""

    line: int | None = None  # 1-based line of a text source
    page: int | None = None  # 1-based page of a PDF
    box: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on that page (PDF points)
    element: str | None = None  # HTML/DOCX element, e.g. "table[2]/tr[5]"


IMAGE_MARK = "［图片］"
"""The line a reader puts where the body shows a picture (a table pasted as an image, a
scanned page in a Word file): what stands there was not read, so nothing is missing there."""

TABLE_OMITTED = "［表格未转换］"
"""The line a reader puts where a converter left a placeholder for a table it did not convert
(pandoc's ``[TABLE]`` in plain text): the table was there, its cells were never printed."""

UNREAD_MARKS = {IMAGE_MARK: "图片", TABLE_OMITTED: "转换工具未能转换的表格（[TABLE]）"}
"""The marks of what stands in the body unread, and what each is, for messages."""

TABLE_CUT = "pdf_table_cut"
"""The code of a reader's notice that a table runs past a page's side (a PDF's table wider
than its page): what the cut hid was never printed, which rules tell from an omission."""


@dataclass(frozen=True)
class TextLine:
    """One line of prose (or of a table printed as text: pipes, tabs, markdown)."""

    text: str
    place: Place = Place()


@dataclass(frozen=True)
class TableGrid:
    """A table whose cells the reader saw: one tuple per row holding exactly that row's own
    cells (a cell covered by another's rowspan or colspan is not repeated; an empty cell is "")."""

    rows: tuple[tuple[str, ...], ...]
    places: tuple[Place, ...]  # one per row


Block = TextLine | TableGrid


@dataclass(frozen=True)
class Notice:
    """Something a reader noticed (bad bytes repaired, a converted encoding…), in Chinese."""

    code: str
    message: str
    place: Place | None = None
    severity: str = "info"


@dataclass(frozen=True)
class Document:
    """A report as read: blocks in reading order, plus what the reader learnt on the way."""

    reader: str  # text | html | docx | pdf
    blocks: tuple[Block, ...]
    encoding: str | None = None
    notices: tuple[Notice, ...] = ()
    # Facts a page states outside the article (CMS metadata): title, published, agency.
    hints: Mapping[str, str] = field(default_factory=dict)
