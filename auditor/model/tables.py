"""Find the three statistical tables in the item stream and collect their rows.

The scanner walks printed cells in reading order. A cell is a value, a known label (row,
column, caption, group or header of some table) or prose. Row labels open rows; values
attach to the open row; prose or a part heading closes the table. Which table a label
belongs to is decided by context: the open table, then the part the text is in.

Tables converted from PDF often print a row's label apart from its values: the label as a
paragraph line, the values as a markdown or tab row of their own. Values never attach to
such a label by proximity: a markdown/tab row without its own label is kept as a *loose*
row, and the label as a *displaced* one; `model/reattach.py` pairs them only when the
table's order and arithmetic force it. Header rows broken into syllables (``| 业 | 构 |``)
or named ``数据1…数据6`` are recognised as header debris and ignored; so are the page numbers,
restated titles and cell notes a conversion leaves between cells. A table that a stray
line closed goes on when its next row label comes after the last row read; only a table
whose rows start again counts as printed twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import count

from auditor.model.items import Item
from auditor.model.labels import BRACKET_NUMBER, LabelEntry, LabelIndex, Match, label_index, norm, strip_numbering
from auditor.model.placement import Slot
from auditor.model.template import TableSpec, load_template, other_format, table_numeral, table_parts
from auditor.model.types import CellState, Problem
from auditor.model.values import (
    LABEL_THEN_VALUES,
    UNIT,
    VALUE,
    VALUES_ONLY,
    ValueToken,
    classify,
    header_unit,
    without_unit,
)
from auditor.model.wrapped import ROW_LINE_MAX, is_prose, join_wrapped
from auditor.text.page_marks import is_page_mark

APPEALS_ROW = "appeals"
LOOSE_ROW = ""  # key of a value row printed without a label
# Layouts whose lines are whole table rows (a row's values and its label share a line);
# "grid" is the exact-cell row of the HTML/DOCX/PDF readers.
EXPLICIT_LAYOUTS = ("markdown", "tab", "grid")
# Column names some converters print instead of the real header: 项目, 数据1, 列2, Column3.
_GENERIC_HEADER = re.compile(r"^(?:(?:数据|列|栏|column|col)\s*\d{1,2}|项目)$", re.IGNORECASE)
# A note a converter split from its cell: ``（其中修订 16 件）``, ``（含自然失效 29 件）``.
_CELL_NOTE = re.compile(r"^[（(]\s*(?:其中|含|包括|注|另有)[^（）()]*[)）]$")
_ONE_VALUE = re.compile(VALUE)  # one value of a row's ``label value…`` line
_BARE_UNIT = re.compile(UNIT)  # a unit printed apart from its number
_LABEL_MAX = 80  # no label is longer: a longer text is not looked up as one
_CUT_ROW_REACH = 2  # lines after a row ending in an empty field where the rest of a cut cell may stand
_STRAY_RUN_GAP = 3  # stray values this many lines apart or closer are reported together


@cache
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
    seq: int = 0  # reading order among the rows, loose rows and displaced labels of the scan
    group: str | None = None  # table 四 printed one column group per sub-table: the group it names

    @property
    def values(self) -> int:
        """How many values the row printed."""
        return sum(s.value is not None for s in self.slots)


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
    # Markdown/tab: field index of each column header and how many fields its line has,
    # keyed by (block caption, column key).
    column_fields: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    layouts: dict[str, int] = field(default_factory=dict)
    # Value rows printed without a label (key LOOSE_ROW), and row labels printed apart from
    # their values (no slots), both in reading order; see `model/reattach.py`.
    loose: list[RowText] = field(default_factory=list)
    displaced: list[RowText] = field(default_factory=list)
    explicit: bool = False  # some values came in markdown/tab rows
    group_lines: dict[str, int] = field(default_factory=dict)  # group key -> line of its label
    stray: dict[int, list[str]] = field(default_factory=dict)  # line -> values attached to no row

    def go_on_with(self, later: TableText) -> None:
        """Take in what was read of this table after something closed it."""
        self.rows += later.rows
        self.loose += later.loose
        self.displaced += later.displaced
        self.labels += later.labels
        self.unknown += later.unknown
        for line, values in later.stray.items():
            self.stray.setdefault(line, []).extend(values)
        self.units = {**later.units, **self.units}
        self.column_fields = {**later.column_fields, **self.column_fields}
        for kind, n in later.layouts.items():
            self.layouts[kind] = self.layouts.get(kind, 0) + n
        for group, line in later.group_lines.items():
            self.group_lines.setdefault(group, line)
        self.explicit = self.explicit or later.explicit
        self.end_line = max(self.end_line, later.end_line)


@dataclass
class ScanResult:
    """Tables found, plus problems met on the way."""

    tables: dict[str, TableText]
    problems: list[Problem]


class _Scanner:
    def __init__(self, index: LabelIndex, items: list[Item]) -> None:
        self.index = index
        self.items = items
        self.line_values: dict[int, int] | None = None  # markdown/tab line -> its values, when asked
        self.by_line: dict[int, list[Item]] | None = None  # markdown/tab items per line, when asked
        self.header_lines: dict[int, bool] = {}
        self.tables: dict[str, TableText] = {}
        self.problems: list[Problem] = []
        self.table: TableText | None = None
        self.phase = "header"
        self.caption: str | None = None
        self.group: str | None = None
        # Table 四 as one small table per column group (``### 行政复议`` + 5 columns + 5 values):
        # the groups its header texts named ("" for one naming none) and how many column
        # labels followed, since its last row.
        self.appeal_groups: list[str] = []
        self.appeal_columns = 0
        self.row: RowText | None = None
        self.section: int | None = None
        self.seq = count(1)
        self.last_label = ""  # text of the last row label, for labels wrapped onto the next row
        # A table met again (its header after a page break's running lines, or printed
        # twice): the first reading, and where the second began.
        self.again: tuple[TableText, int] | None = None

    # -- table and row bookkeeping -------------------------------------------------
    def _open(self, name: str, line: int) -> TableText:
        if self.table and self.table.name == name:
            return self.table
        self._close()
        existing = self.tables.get(name)
        if existing is not None and not existing.rows and not existing.loose and not existing.stray:
            # Only its header was seen before something closed it (a header line garbled into
            # prose): the table goes on, it is not printed twice.
            self.table = existing
            self._fresh_header()
            return existing
        if existing is not None:
            self.table = TableText(name, line, line)  # scanned apart; see `_settle_again`
            self.again = (existing, line)
        else:
            self.table = self.tables[name] = TableText(name, line, line)
        self._fresh_header()
        return self.table

    def _fresh_header(self) -> None:
        self.phase, self.caption, self.group = "header", None, None
        self.appeal_groups, self.appeal_columns = [], 0

    def _close(self) -> None:
        self._end_row()
        if self.again is not None and self.table is not None:
            self._settle_again(self.table, *self.again)
        self.again = None
        self.table = None

    def _settle_again(self, later: TableText, first: TableText, line: int) -> None:
        """A table met again goes on with its rows when it prints only rows not read before
        (a page's running lines had closed it); otherwise it is printed twice, and the first
        reading stands."""
        keys = {row.key for row in first.rows}
        if later.rows and not keys & {row.key for row in later.rows}:
            first.go_on_with(later)
        elif later.rows or later.loose or later.stray:
            message = f"表{table_numeral(first.name)}再次出现，沿用前一次读取的数据"
            self.problems.append(Problem("table_repeated", message, line))

    def _end_row(self) -> None:
        if self.row and self.row.group and self.row.values > self._group_width():
            self.row.group = None  # more values than one group has: the whole table's row
        if self.row and self.table:
            if self.row.key == LOOSE_ROW:
                self.table.loose.append(self.row)
            else:
                self.table.rows.append(self.row)
        self.row = None

    def _new_row(self, table: str, key: str, item: Item, entry: LabelEntry | None = None) -> RowText:
        caption = entry.caption if entry else None
        # Only a label has a field to measure values from: a row opened by a value (table 四's
        # one row, a loose row) has none, or its first value would count as its label.
        label_field = item.field if entry is not None else -1
        return RowText(table, key, item.line, item.layout, caption=caption, label_field=label_field, seq=next(self.seq))

    def _touch(self, item: Item) -> None:
        if self.table:
            self.table.end_line = max(self.table.end_line, item.line)
            self.table.layouts[item.layout] = self.table.layouts.get(item.layout, 0) + 1

    def _preferred(self) -> list[str]:
        """Tables the context points to: the open one, then the one of the current part."""
        return [t for t in (self.table.name if self.table else None, _section_table(self.section)) if t]

    # -- label choice ---------------------------------------------------------------
    def _choose(self, entries: Iterable[LabelEntry], header_line: bool = False) -> LabelEntry | None:
        entries = list(entries)
        preferred_tables = self._preferred()
        for name in [*preferred_tables, None]:
            pool = [e for e in entries if name is None or e.table == name]
            if not pool:
                continue
            in_rows = (
                self.phase == "rows" and not header_line and self.table is not None and pool[0].table == self.table.name
            )
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

    def _header_debris(self, text: str, entries: Iterable[LabelEntry]) -> bool:
        """A piece of a broken header row: a generic column name (数据1), or a syllable of
        a header label of the table in context that is no label of that table itself."""
        if self.table is not None and any(e.table == self.table.name for e in entries):
            return False
        if _GENERIC_HEADER.match(norm(text)):
            return True
        preferred = self._preferred()
        if not preferred or any(e.table == preferred[0] for e in entries):
            return False
        # A header row's syllables a page printed apart on one line (``制发件数   数``).
        return self.index.header_fragment(text, preferred[0]) or all(
            self.index.header_fragment(word, preferred[0]) for word in text.split()
        )

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

    def _label_then_values(self, item: Item) -> bool:
        """Read a paragraph line ``label value…`` whose label names a row, perhaps after its
        group's label (``（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0``: a table copied as text)."""
        short = item.layout == "para" and len(item.text) <= ROW_LINE_MAX  # keeps the match cheap
        m = LABEL_THEN_VALUES.match(item.text.strip()) if short else None
        if m is None:
            return False
        label = m.group("label").strip()
        entry = self._row_entry(label)
        *words, tail = label.split()  # the label's words, the last one perhaps the row's
        head = " ".join(words)
        if entry is None and head and (entry := self._row_entry(tail)) is not None:
            group = self.index.lookup(head, fuzzy=False)
            group_entry = self._choose(group.entries) if group else None
            if group_entry is not None and group_entry.kind in ("group", "row", "header"):
                self._label(group_entry, replace(item, text=head))
            label = tail
        if entry is None:
            # (The rest of a group's label wrapped beside the row's: ``开其他法律行政法规 0 0 …``.)
            entry, label = next(
                ((e, rest) for rest in self.index.after_side_pieces(label) if (e := self._row_entry(rest))),
                (None, label),
            )
        if entry is None:
            return self._group_then_values(label, m.group("values"), item)
        self._label(entry, replace(item, text=label))
        self._values(m.group("values"), item)
        return True

    def _side_piece_then_row(self, item: Item) -> bool:
        """Read a text line ``group piece + row label`` with no values (a PDF table without
        rules, its group column and wrapped row labels sharing lines: ``（四）无法 2.没有现成
        信息需``): the row opens and waits for its values, as after a label of its own."""
        if item.layout != "para" or len(item.text) > _LABEL_MAX:
            return False
        for rest in self.index.after_side_pieces(item.text):
            entry = self._row_entry(rest)
            if entry is not None:
                self._label(entry, replace(item, text=rest))
                return True
        return False

    def _values(self, printed: str, item: Item) -> None:
        """The values printed after a label on its line, each in turn."""
        for found in _ONE_VALUE.finditer(printed):
            value = "".join(found.group().split())  # ``2059.2090 万元``: the value and its unit
            token = classify(value)
            if token is not None and token.state is not CellState.TEXT:
                self._value(token, replace(item, text=value))

    def _group_then_values(self, label: str, values: str, item: Item) -> bool:
        """A group label printed with one row of values (``（六）其他处理 0 0 0 0 0 0 0``, the
        2019 single row in a 2021 report): a loose row on the label's line, which
        `build._legacy_group_rows` keys as the other format's row."""
        match = self.index.lookup(label, fuzzy=False)
        entry = self._choose(match.entries) if match else None
        if entry is None or entry.kind != "group" or not self._legacy_row(entry):
            return False  # a subtotal some report prints for its group is no row of the format
        self._label(entry, replace(item, text=label))
        if self.table is None:
            return True
        self.row = self._new_row(self.table.name, LOOSE_ROW, item)
        self._values(values, item)
        return True

    def _legacy_row(self, entry: LabelEntry) -> bool:
        """Is the group a single row in the other format (（六）其他处理 in 2019's)?"""
        spec = load_template(other_format(self.index.template.format)).tables.get(entry.table)
        return spec is not None and entry.group in spec.rows

    def _labels_line(self, item: Item) -> bool:
        """A paragraph line of labels only (``结果维持 结果纠正 其他结果 尚未审结 总计``, a
        header row copied as text): each label in turn, as if on lines of their own."""
        words = item.text.split() if item.layout == "para" and len(item.text) <= ROW_LINE_MAX else []
        labels = self._joined_labels(words) if len(words) >= 2 else None
        if labels is None or len(labels) < 2:
            return False
        for label in labels:
            self._cell(replace(item, text=label))
        return True

    def _joined_labels(self, words: list[str]) -> list[str] | None:
        """The words as labels, a label's wrapped pieces joined again (a header cell printed
        "结果<br>纠正" comes out as "结果 纠正"): the longest run of words that is a label each
        time; None when some word belongs to no label."""
        labels: list[str] = []
        i = 0
        while i < len(words):
            end = next(
                (j for j in range(len(words), i, -1) if self.index.lookup("".join(words[i:j]), fuzzy=False)), None
            )
            if end is None:
                return None
            labels.append("".join(words[i:end]))
            i = end
        return labels

    def _values_line(self, item: Item) -> bool:
        """A paragraph line, or a cell, of values only (``3 0 0 1 4 0 0 …``, a row copied as
        text under its label or table 四's one row): each value in turn, as if apart."""
        if len(item.text) > ROW_LINE_MAX or not VALUES_ONLY.fullmatch(item.text):
            return False
        read = [(value, classify(value)) for value in item.text.split()]
        tokens = [(value, token) for value, token in read if token is not None and token.state is not CellState.TEXT]
        if len(tokens) < 2 or len(tokens) < len(read):
            return False
        if self.table is None and _section_table(self.section) == "appeals" and len(tokens) == self._appeals_width():
            # Table 四's one row after header lines that read as prose closed the table.
            self._open("appeals", item.line)
        for value, token in tokens:
            self._value(token, replace(item, text=value))
        return True

    def _row_entry(self, label: str) -> LabelEntry | None:
        """The row a printed label names: exactly, or as a near variant when it is long
        enough to tell (a short stem like 其他 stands for many things)."""
        match = self.index.lookup(label, fuzzy=False) or (self.index.lookup(label) if len(label) >= 6 else None)
        entry = self._choose(match.entries) if match else None
        return entry if entry is not None and entry.kind == "row" else None

    def _artefact(self, item: Item) -> bool:
        """A line a conversion left between the cells: a page number (``— 4 —``), the table's
        title restated (``## 表二：…``), a note split from its cell. It names no row."""
        text = item.text
        if is_page_mark(text) or not text.strip(" *_"):
            return True  # (an empty bold or italic a converter left: ``****``)
        if self.table is None and _section_table(self.section) is None:
            return False
        # Every table title ends in 情况; a note is all in brackets.
        return bool(_CELL_NOTE.match(text.strip())) or ("情况" in text and self.index.is_table_title(text))

    def _cell(self, item: Item) -> None:
        # Values parted by spaces in text ("3 0 0 1 4 …", "21 2") are several values, not one
        # number with its spaces dropped; in a converted page's cell (grid) only three or more
        # groups are (`classify` refuses them): a PDF may space one number's glyphs ("1 2").
        token = classify(item.text)
        several = item.layout != "grid" or token is None
        if several and len(item.text.split()) > 1 and self._values_line(item):
            return
        if token is not None and token.state is not CellState.TEXT:
            self._value(token, item)
            return
        if self._artefact(item) or self._unit_of_last_value(item.text, item.line):
            return
        near_table = self.table is not None or _section_table(self.section) is not None
        # (A line opening with its row's list number reads as text with a leading number.)
        if near_table and (self._label_then_values(item) or self._labels_line(item)):
            return
        match = self.index.lookup(item.text, fuzzy=near_table) if len(item.text) <= _LABEL_MAX else None
        if match is None and near_table and self._side_piece_then_row(item):
            return
        if match is None and "单位" in item.text:
            self._glued_units(item.text)
        # (Spaces between a header's syllables do not count towards its length.)
        short = near_table and len("".join(item.text.split())) <= 24
        if short and self._header_debris(item.text, match.entries if match else ()):
            self._touch(item)
            return
        entry = self._choose(match.entries, self._header_line(item, match.entries)) if match else None
        if entry is not None and entry.kind == "row" and self._column_word_while_waiting(item.text, match):
            # A bare column name (其他, 总计) while a row waits for its values: the header
            # printed between a label and its values (a table printed column after column).
            self._touch(item)
            return
        if entry is not None and entry.kind == "column" and not near_table and item.layout == "para":
            # A column's name alone on a line far from every table (a page footer's 其他
            # link after part 六) opens no table.
            entry = None
        if entry is not None and not near_table and item.text.rstrip().endswith("。"):
            # The end of a sentence wrapped onto its own line in the prose before the tables
            # (``结转下年度继续办理。``) names no row, and opens no table.
            entry = None
        if entry is not None:
            self._label(entry, item)
        elif token is not None:
            self._value(token, item)
        elif self.table is not None:
            if self._other_formats_row(item.text, self.table.name):
                # A row only the other format has (a 2019-format report printing table 三's
                # 2021 rows under （六）): a row this table cannot hold, not the table's end.
                self._end_row()
                self.table.unknown.append(item.text)
                self._touch(item)
            elif is_prose(item.text) and not self._rest_of_waiting_label(item):
                self._close()
            elif item.layout == "para" and set(self.table.layouts) == {"grid"}:
                # A line of text beside a table the reader saw as cells (a sub-heading after
                # it: "(二)主动公开政府信息的主要类别") is no row of that table.
                return
            elif item.layout == "para" and self._subheading(item.text, self.table.name):
                self._close()
            elif self._continues_label(item.text):
                self._touch(item)
            elif self.row is not None and not self.row.slots:
                # The rest of a label the page wrapped onto the next line: the row keeps
                # waiting for its values, which a page may print beside that rest
                # (``（二）部分公开`` + ``一情形，不计其他情  2 0 0 0 1 0 3``).
                self._touch(item)
                rest = LABEL_THEN_VALUES.match(item.text.strip()) if len(item.text) <= ROW_LINE_MAX else None
                self.last_label += rest.group("label").strip() if rest else item.text.strip()
                if rest is not None:
                    self._values(rest.group("values"), item)
            else:
                self._end_row()
                self.table.unknown.append(item.text)
                self._touch(item)

    def _subheading(self, text: str, table: str) -> bool:
        """A numbered sub-heading of the part after the table (``(二)主动公开政府信息的主要
        类别``), which no label of a table numbering none of its items that way can be."""
        numbered = BRACKET_NUMBER.match(norm(text)) is not None
        return numbered and not self.index.numbers_items_in_brackets(table)

    def _other_formats_row(self, text: str, table: str) -> bool:
        """Does ``text`` name a row of ``table`` that only the other format has?"""
        if len(text) > _LABEL_MAX:
            return False
        match = label_index(other_format(self.index.template.format)).lookup(text, fuzzy=False)
        return match is not None and any(e.kind == "row" and e.table == table for e in match.entries)

    def _glued_units(self, text: str) -> None:
        """A header row run together ("信息内容采购项目数量采购总金额（单位：万元）") still states
        the unit of the money column it names: kept, or its amounts would be read as 元."""
        unit = header_unit(text)
        if unit is None or self.table is None:
            return
        spec = self.index.template.tables[self.table.name]
        printed = norm(text)
        for block in spec.column_labels.values():
            for key, labels in block.items():
                named = any(norm(without_unit(label)) in printed for label in labels)
                if key in spec.money_columns and named:
                    self.table.units.setdefault(key, unit)

    def _header_line(self, item: Item, entries: Iterable[LabelEntry]) -> bool:
        """Does a label that may be a row or a column (其他, 总计) stand on a markdown/tab line
        repeating the header row mid-table (no value, at least three column or group labels)?"""
        if item.layout not in EXPLICIT_LAYOUTS or self.phase != "rows":
            return False
        kinds = {e.kind for e in entries}
        if "row" not in kinds or "column" not in kinds:
            return False
        if item.line not in self.header_lines:
            if self.by_line is None:
                self.by_line = {}
                for it in self.items:
                    if it.kind == "cell" and it.layout in EXPLICIT_LAYOUTS:
                        self.by_line.setdefault(it.line, []).append(it)
            self.header_lines[item.line] = _is_header_row(self.by_line.get(item.line, []), self.index)
        return self.header_lines[item.line]

    def _rest_of_waiting_label(self, item: Item) -> bool:
        """A line ``rest of the label + values`` while a row waits for its values: long enough
        to look like a sentence (``理结果  ，只计这一情形，不计其他情 181 0 6 0 6 0 193``), yet
        its words before the values are no sentence."""
        if self.row is None or self.row.slots or len(item.text) > ROW_LINE_MAX:
            return False
        rest = LABEL_THEN_VALUES.match(item.text.strip())
        return rest is not None and not is_prose(rest.group("label"))

    def _continues_label(self, text: str) -> bool:
        """The rest of the last row label, wrapped into the next table row (``…公`` + ``开申请``)."""
        joined = self.index.lookup(self.last_label + text.strip(), fuzzy=False) if self.last_label else None
        return joined is not None and any(e.kind == "row" for e in joined.entries)

    def _appeals_row_line(self, item: Item) -> bool:
        """A markdown/tab line of table 四's part printing exactly its one row's values."""
        if _section_table(self.section) != "appeals" or item.layout not in EXPLICIT_LAYOUTS:
            return False
        if self.line_values is None:
            self.line_values = _values_per_line(self.items)
        return self.line_values.get(item.line) == self._appeals_width()

    def _appeals_width(self) -> int:
        spec = self.index.template.tables["appeals"]
        return len(spec.column_groups) * len(spec.column_labels[""])

    def _value(self, token: ValueToken, item: Item) -> None:
        explicit = item.layout in EXPLICIT_LAYOUTS
        if self.table is None and self._appeals_row_line(item):
            self._open("appeals", item.line)
        table = self.table
        if table is None:
            return
        row = self.row
        if explicit and row is not None and row.line != item.line and row.layout not in EXPLICIT_LAYOUTS:
            # A markdown/tab row never takes its values from a label printed elsewhere.
            self._end_row()
        elif not explicit and table.explicit and (row is None or row.line != item.line):
            # Rows of this table are markdown/tab rows: a value on a line of its own is stray.
            table.stray.setdefault(item.line, []).append(item.text)
            return
        if self.row is None and table.name == "appeals":
            self.row = self._new_row("appeals", APPEALS_ROW, item)
            self.row.group = self._appeal_group()
            self.appeal_groups, self.appeal_columns = [], 0
        elif self.row is None and explicit:
            self.row = self._new_row(table.name, LOOSE_ROW, item)
        if self.row is None:
            table.stray.setdefault(item.line, []).append(item.text)
            return
        table.explicit = table.explicit or explicit
        if token.too_long:
            message = f"数值位数过多（{len(token.raw)} 位），超出合理范围，未作为数值读取"
            self.problems.append(Problem("number_too_long", message, item.line))
        self.row.slots.append(Slot(token, item.line, 0, item.field))
        self._touch(item)

    def _note_appeal_group(self, text: str) -> None:
        """Remember a column group of table 四 a header text names by its own label
        (行政复议, 未经复议直接起诉, 复议后起诉: the last of the group's header path)."""
        printed = norm(text)
        spec = self.index.template.tables["appeals"]
        named = [group for group, path in spec.group_labels.items() if norm(path[-1]) in printed]
        # A header naming no one group (行政诉讼 alone) belongs to the whole table's header.
        for group in named or [""]:
            if group not in self.appeal_groups:
                self.appeal_groups.append(group)
        self.appeal_columns = 0

    def _group_width(self) -> int:
        return len(self.index.template.tables["appeals"].column_labels[""])

    def _appeal_group(self) -> str | None:
        """The column group a row of table 四 stands under when the table prints one small
        table per group: exactly one group named since the last row, and no more column
        labels after it than one group has (a whole-table header names all three groups)."""
        if len(self.appeal_groups) == 1 and self.appeal_groups[0] and self.appeal_columns <= self._group_width():
            return self.appeal_groups[0]
        return None

    def _resumes(self, entry: LabelEntry) -> bool:
        """Does a row label go on with a table a stray line closed, rather than start it again?
        It does when it comes after the last row read, in the format's row order."""
        existing = self.tables.get(entry.table)
        if self.table is not None or existing is None or entry.kind != "row" or not existing.rows:
            return False
        order = {key: n for n, key in enumerate(self.index.template.tables[entry.table].rows)}
        last = existing.rows[-1].key
        return last in order and entry.key in order and order[entry.key] > order[last]

    def _label(self, entry: LabelEntry, item: Item) -> None:
        if self._resumes(entry):
            # A line of text inside the table closed it ("理结果，只计这一情形…" from a wrapped
            # label): the table goes on, nothing is printed twice.
            self.table = self.tables[entry.table]
            self.phase = "rows"
        table = self._open(entry.table, item.line)
        first = table.rows[0] if table.rows else None
        if entry.kind == "row" and first and first.key == entry.key and any(s.value for s in first.slots):
            # The table's first row, read with its values, again: the whole table is printed a second time.
            self._close()
            table = self._open(entry.table, item.line)
        table.labels.append(item.text)
        self._touch(item)
        if table.name == "appeals" and entry.kind != "column":
            self._note_appeal_group(item.text)
        if entry.kind == "row":
            self._end_row()
            if entry.group and entry.group != self.group:
                self.group = entry.group
            self.phase = "rows"
            self.row = self._new_row(entry.table, entry.key, item, entry)
            self.last_label = item.text.strip()
            return
        if entry.kind == "group" and self._waiting_in(entry.group):
            # The group's label printed in its own column beside the row's wrapped label
            # (``（六）其`` / ``2.申请人逾期未按…`` / ``他处理`` / ``纳费用… 2 0 0 …``): the row
            # still waits for its values.
            return
        waiting = self._waiting_row()
        if entry.kind == "header" and self.phase == "rows" and waiting is not None and waiting.table == entry.table:
            # Likewise a header spanning the rows in their side column (``三、本年度办理`` between
            # ``部分公开（区分处理的，只`` and ``计这一情形，不计其他情形 11 0 …``).
            return
        self._end_row()
        if entry.kind == "caption":
            self.caption, self.phase = entry.key, "header"
        elif entry.kind == "group":
            self.group = entry.group
            if entry.group:
                table.group_lines.setdefault(entry.group, item.line)
        elif entry.kind == "column":
            self.appeal_columns += 1
            if entry.table != "requests" or self.phase != "rows":
                self.phase = "header"
            unit = header_unit(item.text)
            if unit:
                table.units[entry.key] = unit
            if item.field >= 0:
                table.column_fields.setdefault((self.caption or "", entry.key), (item.field, item.width))
        elif entry.kind == "header" and entry.table != "requests":
            self.phase = "header"

    def _unit_of_last_value(self, text: str, line: int) -> bool:
        """A unit printed on a line of its own under its number (``2059.2090`` / ``万元``):
        the number's, as if glued to it."""
        row = self.row
        last = row.slots[-1] if row is not None and row.slots else None
        if row is None or last is None or last.value is None or line - last.line > 1:
            return False
        if not _BARE_UNIT.fullmatch(text.strip()):
            return False
        token = last.value
        joined = classify(token.raw + text.strip()) if token.state is CellState.NUMBER and not token.unit else None
        if joined is None or joined.state is not CellState.NUMBER:
            return False
        row.slots[-1] = replace(last, value=joined)
        return True

    def _waiting_row(self) -> RowText | None:
        """The open row of a paragraph line whose label was seen and no value yet."""
        row = self.row
        return row if row is not None and not row.slots and row.layout == "para" else None

    def _column_word_while_waiting(self, text: str, match: Match | None) -> bool:
        row = self._waiting_row()
        if row is None or match is None:
            return False
        bare = strip_numbering(norm(text)) == norm(text)
        return bare and any(e.kind == "column" and e.table == row.table for e in match.entries)

    def _waiting_in(self, group: str | None) -> bool:
        """Does a row of ``group`` wait for its values?"""
        row = self._waiting_row()
        spec = self.index.template.tables.get(row.table) if row is not None else None
        return bool(group) and row is not None and spec is not None and row.key in spec.members(str(group))


# Kinds of the labels a header row prints: column names and the group headers above them
# (表三's second header row is 自然人 · 法人或其他组织 · 总计).
_HEADER_KINDS = frozenset({"column", "group", "header"})


def _is_header_row(cells: list[Item], index: LabelIndex) -> bool:
    """A row printing no value and at least three column or column-group labels."""
    columns = 0
    for item in cells:
        token = classify(item.text)
        if token is not None and token.state is not CellState.TEXT:
            return False
        match = index.lookup(item.text, fuzzy=False)
        columns += bool(match and any(e.kind in _HEADER_KINDS for e in match.entries))
    return columns >= 3


def _values_per_line(items: list[Item]) -> dict[int, int]:
    """How many values each markdown/tab line prints."""
    out: dict[int, int] = {}
    for item in items:
        if item.kind == "cell" and item.layout in EXPLICIT_LAYOUTS:
            token = classify(item.text)
            if token is not None and token.state is not CellState.TEXT:
                out[item.line] = out.get(item.line, 0) + 1
    return out


def set_displaced_apart(table: TableText, spec: TableSpec) -> None:
    """Rows whose label was read but whose cells were not, for their values were printed
    apart from it, are displaced: printed but not read (`model/reattach.py`), never blank.

    - A label on a line of its own that got no value: in a table of markdown/tab rows
      always; in lines of text when values enough to fill the row attached to no row (a
      converter printed the labels and then the values, column after column). So is a
      markdown/tab line holding a label and no cell at all (a converter's header line).
    - A markdown/tab row short of values and ending in an empty field, with values no row
      took on its next lines (a converter broke a cell's text onto a new line:
      ``四、结转下年度继续办理 | 0|`` + ``| 0| 0| 0| 0| 0``), or on the line before when it
      printed no value at all: its fields no longer say its columns.
    """

    def width(row: RowText) -> int:
        return len(spec.rows[row.key].columns) if row.key in spec.rows else 0

    # Values no row can hold: stray ones, loose rows, and a row's values beyond its columns.
    surplus = sum(max(0, row.values - (width(row) or row.values)) for row in table.rows)
    unattached = sum(map(len, table.stray.values())) + sum(row.values for row in table.loose) + surplus
    unattached_lines = set(table.stray) | {row.line for row in table.loose}

    def label_apart(row: RowText) -> bool:
        if row.values:
            return False
        if row.layout in EXPLICIT_LAYOUTS:
            # A markdown/tab line holding the label only, not even an empty cell (the empty
            # fields opening the next line are that line's, not this row's).
            return not any(slot.line == row.line for slot in row.slots)
        return table.explicit or 0 < width(row) <= unattached

    def cut(row: RowText) -> bool:
        if row.layout not in EXPLICIT_LAYOUTS or not row.slots or row.slots[-1].value is not None:
            return False
        first = row.line + 1 if row.values else row.line - _CUT_ROW_REACH
        near = any(first <= line <= row.line + _CUT_ROW_REACH and line != row.line for line in unattached_lines)
        return row.values < width(row) and near

    kept: list[RowText] = []
    for row in table.rows:
        (table.displaced if label_apart(row) or cut(row) else kept).append(row)
    table.rows = kept


def stray_problems(table: TableText) -> list[Problem]:
    """One problem per run of nearby lines whose values attached to no row (a converter
    printing a table column after column leaves one value per line, a hundred lines long)."""
    runs: list[tuple[int, int, list[str]]] = []
    for line, values in sorted(table.stray.items()):
        if runs and line - runs[-1][1] <= _STRAY_RUN_GAP:
            first, _, run = runs[-1]
            runs[-1] = (first, line, run + values)
        else:
            runs.append((line, line, list(values)))
    out = []
    for first, last, values in runs:
        shown = "、".join(values[:8]) + ("等" if len(values) > 8 else "")
        where = f"（第{first}—{last}行）" if last > first else ""
        message = f"{len(values)} 个数值（{shown}）前没有可识别的行标签，已忽略{where}"
        out.append(Problem("stray_value", message, first))
    return out


def scan(items: Iterable[Item], index: LabelIndex) -> ScanResult:
    """Collect the rows of every table the items contain."""
    listed = join_wrapped(list(items), index)
    scanner = _Scanner(index, listed)
    for item in listed:
        scanner.feed(item)
    scanner._close()
    for table in scanner.tables.values():
        set_displaced_apart(table, index.template.tables[table.name])
        scanner.problems.extend(stray_problems(table))
    return ScanResult(scanner.tables, scanner.problems)
