"""Find the three statistical tables in the item stream and collect their rows.

The scanner walks printed cells in reading order. A cell is a value, a known label (row,
column, caption, group or header of some table) or prose. Row labels open rows; values
attach to the open row; prose or a part heading closes the table. Which table a label
belongs to is decided by context: the open table, then the part the text is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.model.items import Item
from auditor.model.labels import LabelEntry, LabelIndex, norm
from auditor.model.placement import Slot
from auditor.model.template import table_numeral, table_parts
from auditor.model.types import CellState, Problem
from auditor.model.values import ValueToken, classify, header_unit

# Which table each part (一…六) holds.
APPEALS_ROW = "appeals"


def _section_table(section: int | None) -> str | None:
    """The table the given part (二/三/四) prints, per the template data."""
    return next((name for name, part in table_parts().items() if part == section), None)


@dataclass
class RowText:
    """A row as printed: its label line and the values and gaps after the label."""

    table: str
    key: str
    line: int
    layout: str
    slots: list[Slot] = field(default_factory=list)
    caption: str | None = None
    label_field: int = -1  # tab/markdown: index of the label's field on its line


@dataclass
class TableText:
    """Everything the scanner saw of one table."""

    name: str
    line: int
    end_line: int
    rows: list[RowText] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # column key -> unit stated in its header
    # Markdown/tab: field index of each column header, keyed by (block caption, column key).
    column_fields: dict[tuple[str, str], int] = field(default_factory=dict)
    layouts: dict[str, int] = field(default_factory=dict)


@dataclass
class ScanResult:
    """Tables found, plus problems met on the way."""

    tables: dict[str, TableText]
    problems: list[Problem]


def _is_prose(text: str) -> bool:
    n = norm(text)
    return len(n) > 40 or "。" in text or (len(n) > 24 and not any(ch in n for ch in "()|"))


class _Scanner:
    def __init__(self, index: LabelIndex) -> None:
        self.index = index
        self.tables: dict[str, TableText] = {}
        self.problems: list[Problem] = []
        self.table: TableText | None = None
        self.phase = "header"
        self.caption: str | None = None
        self.group: str | None = None
        self.row: RowText | None = None
        self.section: int | None = None
        self.stray: dict[int, list[str]] = {}  # line -> values printed with no row label

    # -- table and row bookkeeping -------------------------------------------------
    def _open(self, name: str, line: int) -> TableText:
        if self.table and self.table.name == name:
            return self.table
        self._close()
        existing = self.tables.get(name)
        if existing is not None:
            self.problems.append(
                Problem("table_repeated", f"表{table_numeral(name)}再次出现，沿用前一次读取的数据", line)
            )
            self.table = TableText(name, line, line)  # scanned but not kept
        else:
            self.table = self.tables[name] = TableText(name, line, line)
        self.phase, self.caption, self.group = "header", None, None
        return self.table

    def _close(self) -> None:
        self._end_row()
        self.table = None

    def _end_row(self) -> None:
        if self.row and self.table:
            self.table.rows.append(self.row)
        self.row = None

    def _touch(self, item: Item) -> None:
        if self.table:
            self.table.end_line = max(self.table.end_line, item.line)
            self.table.layouts[item.layout] = self.table.layouts.get(item.layout, 0) + 1

    # -- label choice ---------------------------------------------------------------
    def _choose(self, entries: Iterable[LabelEntry]) -> LabelEntry | None:
        entries = list(entries)
        preferred_tables = [t for t in (self.table.name if self.table else None, _section_table(self.section)) if t]
        for name in [*preferred_tables, None]:
            pool = [e for e in entries if name is None or e.table == name]
            if not pool:
                continue
            in_rows = self.phase == "rows" and self.table is not None and pool[0].table == self.table.name
            order = (
                ("row", "group", "caption", "header", "column")
                if in_rows
                else ("caption", "header", "column", "group", "row")
            )
            for kind in order:
                same = [e for e in pool if e.kind == kind]
                if not same:
                    continue
                if kind == "row" and len(same) > 1:
                    grouped = [e for e in same if e.group == self.group] or [e for e in same if e.group is None]
                    same = grouped or same
                return same[0]
        return None

    # -- item handlers -------------------------------------------------------------
    def feed(self, item: Item) -> None:
        if item.kind == "heading":
            self._close()
            self.section = item.section
        elif item.kind == "gap":
            if self.row:
                self.row.slots.append(Slot(None, item.line, item.count, item.field))
                self._touch(item)
        elif item.kind == "break":
            # A tab or markdown row ends with its line; a label with no values yet may have
            # been wrapped, so its values can still come on the next line.
            if self.row and self.row.slots:
                self._end_row()
        else:
            self._cell(item)

    def _cell(self, item: Item) -> None:
        token = classify(item.text)
        if token is not None and token.state is not CellState.TEXT:
            self._value(token, item)
            return
        near_table = self.table is not None or _section_table(self.section) is not None
        match = self.index.lookup(item.text, fuzzy=near_table) if len(item.text) <= 80 else None
        entry = self._choose(match.entries) if match else None
        if entry is not None:
            self._label(entry, item)
        elif token is not None:
            self._value(token, item)
        elif self.table is not None:
            if _is_prose(item.text):
                self._close()
            elif self.row is not None and not self.row.slots:
                # The rest of a label the page wrapped onto the next line: the row keeps
                # waiting for its values.
                self._touch(item)
            else:
                self._end_row()
                self.table.unknown.append(item.text)
                self._touch(item)

    def _value(self, token: ValueToken, item: Item) -> None:
        if self.row is None and self.table is not None and self.table.name == "appeals":
            self.row = RowText("appeals", APPEALS_ROW, item.line, item.layout)
        if self.row is None:
            if self.table is not None:
                self.stray.setdefault(item.line, []).append(item.text)
            return
        if token.too_long:
            message = f"数值位数过多（{len(token.raw)} 位），超出合理范围，未作为数值读取"
            self.problems.append(Problem("number_too_long", message, item.line))
        self.row.slots.append(Slot(token, item.line, 0, item.field))
        self._touch(item)

    def _label(self, entry: LabelEntry, item: Item) -> None:
        table = self._open(entry.table, item.line)
        table.labels.append(item.text)
        self._touch(item)
        if entry.kind == "row":
            self._end_row()
            if entry.group and entry.group != self.group:
                self.group = entry.group
            self.phase = "rows"
            self.row = RowText(
                entry.table, entry.key, item.line, item.layout, caption=entry.caption, label_field=item.field
            )
            return
        self._end_row()
        if entry.kind == "caption":
            self.caption, self.phase = entry.key, "header"
        elif entry.kind == "group":
            self.group = entry.group
        elif entry.kind == "column":
            if entry.table != "requests" or self.phase != "rows":
                self.phase = "header"
            unit = header_unit(item.text)
            if unit:
                table.units[entry.key] = unit
            if item.field >= 0:
                table.column_fields.setdefault((self.caption or "", entry.key), item.field)
        elif entry.kind == "header" and entry.table != "requests":
            self.phase = "header"


def scan(items: Iterable[Item], index: LabelIndex) -> ScanResult:
    """Collect the rows of every table the items contain."""
    scanner = _Scanner(index)
    for item in items:
        scanner.feed(item)
    scanner._close()
    for line, values in scanner.stray.items():
        shown = "、".join(values[:8]) + ("等" if len(values) > 8 else "")
        message = f"{len(values)} 个数值（{shown}）前没有可识别的行标签，已忽略"
        scanner.problems.append(Problem("stray_value", message, line))
    return ScanResult(scanner.tables, scanner.problems)
