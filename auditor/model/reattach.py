"""Re-attach value rows printed apart from their labels — only when order and arithmetic force it.

PDF-to-markdown conversions print some rows of table 三 as a label on a paragraph line and
the values as a markdown row without a label, often several labels first and their value
rows after. Proximity says nothing about which values belong to which label, so the scanner
keeps such rows *loose* (`model/tables.py`). Here they are paired with template rows when
the pairing is forced:

1. the rows read with their own labels (anchors) follow the template's row order;
2. between two anchors, the loose rows are exactly as many as the template rows that have
   no values yet, so keeping the printed order pairs them in only one way;
3. each re-attached row prints every column, its parts add up to its 总计, and every
   column identity of the table (template data: （七）总计 = the outcome rows, 一+二 =
   三总计+四) that involves a re-attached row can be checked in some column and holds in
   every column where it can.

Printed order is the one assumption: two loose rows swapped within a gap would pass the
sums. If any check fails nothing is re-attached: the loose rows are reported (``row_loose``),
and the rows waiting where they were printed, or whose labels were seen, get unplaced cells
— printed but not read, so rules say "not evaluated" instead of "missing".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.model.tables import RowText, TableText
from auditor.model.template import TableSpec
from auditor.model.types import Cell, CellState, Problem
from auditor.model.values import ValueToken, to_number, value_cell


@dataclass
class Reattached:
    """Cells of re-attached rows, unplaced cells of displaced labels, and what was said."""

    cells: dict[str, Cell] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)  # row keys now known to be printed
    problems: list[Problem] = field(default_factory=list)


def _row_values(row: RowText, ncols: int) -> list[ValueToken] | None:
    """The row's values if it prints exactly one per column and no gap between them."""
    inner = list(row.slots)
    while inner and inner[-1].value is None:
        inner.pop()
    while inner and inner[0].value is None:
        inner.pop(0)
    values = [s.value for s in inner if s.value is not None]
    if len(values) != ncols or len(inner) != ncols:
        return None
    if any(v.state not in (CellState.NUMBER, CellState.BLANK) for v in values):
        return None
    if any(v.state is CellState.NUMBER and v.amount is None for v in values):
        return None
    return values


def _amount(v: ValueToken) -> Decimal:
    return v.amount if v.amount is not None else Decimal(0)


def _row_sum_holds(values: Sequence[ValueToken], columns: Sequence[str]) -> bool:
    if "total" not in columns:
        return False
    total = columns.index("total")
    parts = sum((_amount(v) for i, v in enumerate(values) if i != total), Decimal(0))
    return parts == _amount(values[total])


@dataclass
class _Gap:
    """Template rows without values between two anchors, and the loose rows printed there."""

    missing: list[str]
    loose: list[RowText]


def _gaps(spec: TableSpec, table: TableText, anchored: Sequence[str]) -> tuple[list[_Gap], str | None]:
    """The gaps between anchors, or why there are none (anchors out of order). Loose rows
    after a repeated anchor belong to a second printing of the table and are in no gap."""
    order = list(spec.rows)
    events: list[tuple[int, str, RowText | None]] = [(r.seq, r.key, None) for r in table.rows if r.key in anchored]
    events += [(r.seq, "", r) for r in table.loose]
    events.sort(key=lambda e: e[0])
    seen: set[str] = set()
    for i, (_, key, loose) in enumerate(events):
        if loose is None:
            if key in seen:
                # The table printed twice: keep what comes before the first repeated row.
                return _gaps_of(order, events[:i], seen)
            seen.add(key)
    return _gaps_of(order, events, seen)


def _gaps_of(
    order: list[str], events: list[tuple[int, str, RowText | None]], anchored: set[str]
) -> tuple[list[_Gap], str | None]:
    gaps: list[_Gap] = []
    previous = -1
    run: list[RowText] = []
    for _, key, loose in [*events, (0, "", None)]:
        if loose is not None:
            run.append(loose)
            continue
        index = order.index(key) if key else len(order)
        if index <= previous:
            return [], "有标签的行与表格行序不一致"
        gaps.append(_Gap([k for k in order[previous + 1 : index] if k not in anchored], run))
        previous, run = index, []
    return gaps, None


def _column_value(
    key: str, column: int, known: Mapping[str, Cell], tentative: Mapping[str, list[ValueToken]], spec: TableSpec
) -> Decimal | None:
    if key in tentative:
        return _amount(tentative[key][column])
    cell = known.get(f"{spec.name}.{key}.{spec.rows[key].columns[column]}")
    if cell is None or cell.state in (CellState.UNPLACED, CellState.TEXT):
        return None
    return Decimal(str(cell.value)) if cell.value is not None else Decimal(0)


def _identities_hold(spec: TableSpec, known: Mapping[str, Cell], tentative: Mapping[str, list[ValueToken]]) -> bool:
    """Every identity involving a tentative row is checkable somewhere and holds wherever checkable."""
    for left, right in spec.identities:
        sides = [[k for name in side for k in spec.members(name)] for side in (left, right)]
        if not any(k in tentative for side in sides for k in side):
            continue
        checked = False
        ncols = len(spec.rows[sides[0][0]].columns)
        for column in range(ncols):
            sums: list[Decimal] = []
            for side in sides:
                values = [_column_value(k, column, known, tentative, spec) for k in side]
                if any(v is None for v in values):
                    break
                sums.append(sum((v for v in values if v is not None), Decimal(0)))
            else:
                if sums[0] != sums[1]:
                    return False
                checked = True
        if not checked:
            return False
    return True


def _tentative(spec: TableSpec, gaps: Sequence[_Gap]) -> tuple[dict[str, tuple[RowText, list[ValueToken]]], str | None]:
    """Loose rows paired in printed order with the rows waiting in their gap, if forced."""
    out: dict[str, tuple[RowText, list[ValueToken]]] = {}
    for gap in gaps:
        if gap.loose and len(gap.loose) != len(gap.missing):
            return {}, f"{len(gap.loose)} 个无标签的数值行与 {len(gap.missing)} 个待填行数目不符"
        for key, loose in zip(gap.missing, gap.loose, strict=False):
            columns = spec.rows[key].columns
            values = _row_values(loose, len(columns))
            if values is None or not _row_sum_holds(values, columns):
                return {}, f"第 {loose.line} 行的数值不是完整且自洽的一行"
            out[key] = (loose, values)
    return out, None


def _unplaced(spec: TableSpec, key: str, line: int, known: Mapping[str, Cell], out: Reattached) -> None:
    """The row is printed but its cells were not read."""
    if key in out.rows:
        return
    out.rows.append(key)
    for column in spec.rows[key].columns:
        cell_key = f"{spec.name}.{key}.{column}"
        if cell_key not in known:
            out.cells[cell_key] = Cell(cell_key, None, "", CellState.UNPLACED, line)


def reattach(spec: TableSpec, table: TableText, known: Mapping[str, Cell]) -> Reattached:
    """Pair the table's loose value rows with its rows when forced; see the module docstring."""
    out = Reattached()
    anchored = [r.key for r in table.rows if any(s.value is not None for s in r.slots) and r.key in spec.rows]
    gaps: list[_Gap] = []
    reason: str | None = None
    tentative: dict[str, tuple[RowText, list[ValueToken]]] = {}
    if table.loose:
        if not spec.identities:
            reason = "该表没有可用于核对的勾稽关系"
        else:
            gaps, reason = _gaps(spec, table, anchored)
        if reason is None:
            tentative, reason = _tentative(spec, gaps)
        values = {key: v for key, (_, v) in tentative.items()}
        if reason is None and not _identities_hold(spec, known, values):
            reason = "按顺序归位后表格勾稽关系不成立"
    paired: set[int] = set()
    if reason is None:
        for key, (loose, tokens) in tentative.items():
            for column, token in zip(spec.rows[key].columns, tokens, strict=True):
                cell_key = f"{spec.name}.{key}.{column}"
                value = None if token.state is CellState.BLANK else to_number(_amount(token))
                out.cells[cell_key] = value_cell(cell_key, token, value, loose.line)
            out.rows.append(key)
            paired.add(id(loose))
            label = spec.rows[key].labels[0]
            message = f"第 {loose.line} 行的数值没有行标签，按行序和勾稽关系确认属于“{label}”"
            out.problems.append(Problem("row_reattached", message, loose.line, severity="info"))
    else:
        # Rows waiting where value rows were printed are there, only not read.
        for gap in gaps:
            for key in gap.missing if gap.loose else ():
                _unplaced(spec, key, gap.loose[0].line, known, out)
    why = reason or "属于重复打印的表格"
    for loose in table.loose:
        if id(loose) not in paired:
            shown = "、".join(s.value.raw for s in loose.slots if s.value is not None)
            message = f"数值行（{shown}）没有行标签，无法确定所属行（{why}），未读取"
            out.problems.append(Problem("row_loose", message, loose.line))
    # Labels printed apart from their values: the row is printed, its cells were not read.
    for row in table.displaced:
        if row.key not in anchored and row.key in spec.rows:
            _unplaced(spec, row.key, row.line, known, out)
    return out
