"""The canonical report model (see ``shared/spec/canonical-model.md``).

Every layout the parser reads ends up as one `Report`. Rules and renderers speak of
table cells only through their keys (``requests.granted.total``), never by position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache

Number = int | float


class CellState(str, Enum):
    """How a cell was printed."""

    NUMBER = "number"
    BLANK = "blank"
    TEXT = "text"
    UNPLACED = "unplaced"


class BodyKind(str, Enum):
    """Kind of issuing body; it decides the publication deadline (条例第四十九条)."""

    GOVERNMENT = "government"  # 县级以上地方人民政府: its own report, due 31 March
    DEPARTMENT = "department"  # 人民政府部门 and similar bodies, due 31 January
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处: no statutory date, local rules apply

    @property
    def label(self) -> str:
        """The level as an inspector names it (层级)."""
        return {"government": "县级以上人民政府", "department": "政府部门", "township": "乡镇（街道）"}[self.value]


@dataclass(frozen=True)
class CellRef:
    """A cell key taken apart once: ``requests.denied.state_secret.total`` is table
    ``requests``, row ``denied.state_secret`` (rows may hold a dot), column ``total``."""

    table: str
    row: str
    column: str

    @classmethod
    def parse(cls, key: str) -> CellRef:
        """The parts of a dotted cell key (``table.row.column``)."""
        return _parsed_key(key)

    @property
    def key(self) -> str:
        """The dotted key."""
        return f"{self.table}.{self.row}.{self.column}"

    @property
    def row_key(self) -> str:
        """``table.row``: the key of the row (and of its ``unplaced_rows`` entry)."""
        return f"{self.table}.{self.row}"


@lru_cache(maxsize=8192)
def _parsed_key(key: str) -> CellRef:
    # A template has a few hundred keys and every check takes them apart: once each per process
    # (bounded: a report of no known format brings keys of its own).
    table, _, rest = key.partition(".")
    row, _, column = rest.rpartition(".")
    return CellRef(table, row, column)


@dataclass(frozen=True)
class Cell:
    """One table cell. ``value`` is converted to the key's unit (元 or 万元 for money)."""

    key: str
    value: Number | None
    raw: str
    state: CellState
    line: int | None
    # The number as printed (before unit conversion), its decimals and printed unit: checks
    # read these instead of parsing ``raw`` again.
    amount: Decimal | None = None
    decimals: int = 0
    unit: str | None = None

    @property
    def ref(self) -> CellRef:
        """The key taken apart."""
        return CellRef.parse(self.key)


@dataclass(frozen=True)
class UnplacedRow:
    """A row printed with fewer values than columns: its values in printed order."""

    key: str
    values: tuple[Number, ...]
    line: int | None


@dataclass(frozen=True)
class Problem:
    """Something the parser noticed while reading (not a rule finding)."""

    code: str
    message: str
    line: int | None = None
    severity: str = "warning"


@dataclass(frozen=True)
class Period:
    """The statistical period a report states (统计期限)."""

    start: date
    end: date
    line: int | None
    raw: str


@dataclass(frozen=True)
class Section:
    """One of the six parts. ``number`` comes from the heading's meaning, ``printed`` from its numeral."""

    number: int
    title: str
    line: int
    end_line: int
    printed: int | None
    text: str = field(repr=False, default="")


@dataclass(frozen=True)
class TableInfo:
    """What was seen of one statistical table, for shape and template rules."""

    name: str
    line: int | None
    end_line: int | None
    rows: tuple[str, ...]
    labels: tuple[str, ...]
    unknown_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableCoverage:
    """How much of one statistical table was read, and whether the text prints it at all."""

    name: str
    found: bool  # the scanner found the table (labels or values in table position)
    mentioned_line: int | None  # first line printing one of its row labels, found or not
    cells_read: int  # cells with a placed value or a certain blank
    cells_unplaced: int
    cells_total: int  # cells the format's table has


@dataclass(frozen=True)
class PartCoverage:
    """Whether a part's heading was found, and where the text speaks of the part otherwise."""

    number: int
    heading_line: int | None
    mentioned_line: int | None  # first body line naming the part's subject (any part found or not)


@dataclass(frozen=True)
class Coverage:
    """What the reader could read: the honest limit of every check."""

    tables: Mapping[str, TableCoverage] = field(default_factory=dict)
    parts: Mapping[int, PartCoverage] = field(default_factory=dict)
    # The text stops inside a table that lacks its last rows (a page cut off by the crawler or
    # the copy): what would have come after this line was never in the file.
    truncated_line: int | None = None

    def after_truncation(self, part: int, sections: Sequence[Section]) -> bool:
        """Could part ``part`` have stood after the point where the text stops?"""
        if self.truncated_line is None:
            return False
        last = max((s.number for s in sections if s.line <= self.truncated_line), default=0)
        return part > last

    def unread_tables(self) -> list[str]:
        """Tables the text prints (its row labels appear) of which no cell was read."""
        return [t.name for t in self.tables.values() if t.mentioned_line is not None and t.cells_read == 0]


@dataclass(frozen=True)
class Meta:
    """Report-level facts. Unknown fields are None."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    year_source: str | None = None
    format: str | None = None
    period: Period | None = None
    published: date | None = None
    published_source: str | None = None
    signed: date | None = None
    body_kind: BodyKind | None = None
    # How many printed labels only one format has, per format ("2019" → 7): why `format` won.
    signatures: Mapping[str, int] = field(default_factory=dict)
    # Each place the report year can be read from (title, period, narrative) and what it says.
    year_evidence: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """Where the report came from."""

    # The layout of tables printed as lines of text, which a page may wrap anywhere.
    PARAGRAPH = "paragraph"

    path: str
    sha256: str
    layout: str | None
    encoding: str | None = None
    size: int = 0


@dataclass(frozen=True)
class Report:
    """A parsed report in the canonical model."""

    source: Source
    meta: Meta
    sections: tuple[Section, ...] = ()
    cells: Mapping[str, Cell] = field(default_factory=dict)
    unplaced_rows: Mapping[str, UnplacedRow] = field(default_factory=dict)
    tables: Mapping[str, TableInfo] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    lines: tuple[str, ...] = field(repr=False, default=())
    coverage: Coverage = field(default_factory=Coverage)
    # PDF page of each line (index = line − 1) when the source has pages.
    pages: tuple[int | None, ...] = field(repr=False, default=())

    def page_of(self, line: int | None) -> int | None:
        """The PDF page a line came from, if known."""
        return self.pages[line - 1] if line and 0 < line <= len(self.pages) else None

    def section(self, number: int) -> Section | None:
        """The section with this canonical number (1–6), if the report has it."""
        return next((s for s in self.sections if s.number == number), None)
