"""Reading numbers out of report cells: the one cell-value policy and comparator of every check.

`read_cell` decides, for identities, narrative sums and cross-year comparisons alike, what
a cell contributes: a number (money with half a unit of its last printed decimal as
tolerance), 0 for a blank (marked blank), or nothing with the reason — absent, unplaced,
or text (a cell such as "3（含2件转办）" is never read as 3). `compare` is the one
comparison with slack.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from auditor.model.template import Template
from auditor.model.types import Cell, CellRef, CellState, Report

BLANK_TEXT = "空白"
"""How a blank cell is named wherever a value is shown (arithmetic counts it as 0)."""


def table_of(key: str) -> str:
    """Table name of a cell key (or of a ``table.row`` key)."""
    return key.partition(".")[0]


def row_of(key: str) -> str:
    """``table.row`` part of a cell key (rows may hold a dot)."""
    return key.rpartition(".")[0]


def column_of(key: str) -> str:
    """Column part of a cell key."""
    return CellRef.parse(key).column


def is_money(key: str, template: Template | None) -> bool:
    """Whether the key is an amount column (元 / 万元) rather than a count."""
    if template is None or table_of(key) not in template.tables:
        return column_of(key).startswith("amount")
    return column_of(key) in template.tables[table_of(key)].money_columns


def is_signed(key: str, template: Template | None) -> bool:
    """Whether the column may carry a sign (the 2019 本年增/减 column)."""
    if template is None or table_of(key) not in template.tables:
        return column_of(key) == "change"
    return column_of(key) in template.tables[table_of(key)].signed_columns


def printed_tolerance(cell: Cell) -> float:
    """Half a unit of the last printed decimal, in the cell's (converted) unit."""
    if cell.value is None or cell.amount is None:
        return 0.0
    factor = abs(cell.value / float(cell.amount)) if cell.amount else 1.0
    return 0.5 * 10.0 ** (-cell.decimals) * factor


def unplaced_row_key(report: Report, key: str) -> str | None:
    """The ``unplaced_rows`` entry a cell belongs to (table 四 is one row named ``appeals``)."""
    for candidate in (row_of(key), table_of(key)):
        if candidate in report.unplaced_rows:
            return candidate
    return None


def is_unplaced(report: Report, key: str) -> bool:
    """An unplaced cell: flagged so, or absent from a row whose values were printed unplaced."""
    cell = report.cells.get(key)
    if cell is not None:
        return cell.state is CellState.UNPLACED
    return unplaced_row_key(report, key) is not None


def row_keys(template: Template | None, entry: str) -> tuple[str, ...]:
    """Cell keys of an ``unplaced_rows`` entry: one row, or the whole table for ``appeals``."""
    if template is None:
        return ()
    if "." not in entry:
        return template.keys(entry)
    return template.row_keys(entry)


@dataclass(frozen=True)
class Reading:
    """What one cell contributes to a comparison."""

    value: float | None  # None: not evaluable (see ``why``)
    why: str = ""  # follows the cell's name: "缺失", "未能定位到列", "不是数值（约3件）"
    blank: bool = False  # printed blank: ``value`` is 0
    tolerance: float = 0.0  # money: half a unit of the last printed decimal
    unplaced: bool = False


class _Readings(threading.local):
    """The readings of the report being audited: every identity reads the same cells again."""

    report: Report | None = None  # held, so its id cannot be reused while the memo is kept
    template: Template | None = None
    by_key: dict[str, Reading]

    def of(self, report: Report, template: Template | None) -> dict[str, Reading]:
        if self.report is not report or self.template is not template:
            self.report, self.template, self.by_key = report, template, {}
        return self.by_key


_READINGS = _Readings()


def read_cell(report: Report, key: str, template: Template | None) -> Reading:
    """The one policy for reading a cell's value (blank = 0; absent, unplaced or text: not evaluable)."""
    return _memoised(_READINGS.of(report, template), report, key, template)


def cell_reader(report: Report, template: Template | None) -> Callable[[str], Reading]:
    """`read_cell` for many cells of one report: the memo is looked up once."""
    memo = _READINGS.of(report, template)
    return lambda key: _memoised(memo, report, key, template)


def _memoised(memo: dict[str, Reading], report: Report, key: str, template: Template | None) -> Reading:
    reading = memo.get(key)
    if reading is None:
        reading = memo[key] = _read(report, key, template)
    return reading


def _read(report: Report, key: str, template: Template | None) -> Reading:
    if is_unplaced(report, key):
        return Reading(None, "未能定位到列", unplaced=True)
    cell = report.cells.get(key)
    if cell is None:
        return Reading(None, "缺失")
    if cell.state is CellState.BLANK:
        return Reading(0.0, blank=True)
    if cell.state is not CellState.NUMBER or cell.value is None:
        return Reading(None, f"不是数值（{cell.raw}）")
    return Reading(float(cell.value), tolerance=printed_tolerance(cell) if is_money(key, template) else 0.0)


def compare(left: float, op: str, right: float, slack: float = 0.0) -> bool:
    """``left op right`` within ``slack`` (the one comparison of every check)."""
    eps = slack + 1e-9
    if op == "=":
        return abs(left - right) <= eps
    if op == "!=":
        return abs(left - right) > eps
    if op == ">":
        return left > right + eps
    if op == ">=":
        return left >= right - eps
    if op == "<":
        return left < right - eps
    return left <= right + eps
