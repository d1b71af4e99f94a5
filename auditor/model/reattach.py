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

If any of this fails nothing is re-attached: the loose rows stay unplaced and are reported,
and rows whose labels were seen get unplaced cells (so rules say "not evaluated").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.model.tables import RowText, TableText
from auditor.model.template import TableSpec
from auditor.model.types import Cell, CellState, Problem
from auditor.model.values import ValueToken, to_number


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


def _pairs(spec: TableSpec, table: TableText, anchored: Sequence[str]) -> tuple[list[tuple[str, RowText]], str | None]:
    """The forced pairing of loose rows with template rows, or the reason there is none."""
    order = list(spec.rows)
    events: list[tuple[int, str, RowText | None]] = [(r.seq, r.key, None) for r in table.rows if r.key in anchored]
    events += [(r.seq, "", r) for r in table.loose]
    events.sort(key=lambda e: e[0])
    # A table printed twice: keep what comes before the first repeated row.
    seen: set[str] = set()
    for i, (_, key, loose) in enumerate(events):
        if loose is None:
            if key in seen:
                events = events[:i]
                break
            seen.add(key)
    pairs: list[tuple[str, RowText]] = []
    previous = -1
    run: list[RowText] = []
    for _, key, loose in [*events, (0, "", None)]:
        if loose is not None:
            run.append(loose)
            continue
        index = order.index(key) if key else len(order)
        if index <= previous:
            return [], "有标签的行与表格行序不一致"
        missing = [k for k in order[previous + 1 : index] if k not in seen]
        if run and len(run) != len(missing):
            return [], f"{len(run)} 个无标签的数值行与 {len(missing)} 个待填行数目不符"
        pairs.extend(zip(missing, run, strict=False) if run else ())
        previous, run = index, []
    return pairs, None


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


def reattach(spec: TableSpec, table: TableText, known: Mapping[str, Cell]) -> Reattached:
    """Pair the table's loose value rows with its rows when forced; see the module docstring."""
    out = Reattached()
    anchored = [r.key for r in table.rows if any(s.value is not None for s in r.slots) and r.key in spec.rows]
    pairs: list[tuple[str, RowText]] = []
    reason: str | None = None
    if table.loose:
        if not spec.identities:
            reason = "该表没有可用于核对的勾稽关系"
        else:
            pairs, reason = _pairs(spec, table, anchored)
    tentative: dict[str, list[ValueToken]] = {}
    for key, loose in pairs:
        columns = spec.rows[key].columns
        values = _row_values(loose, len(columns))
        if values is None or not _row_sum_holds(values, columns):
            reason = f"第 {loose.line} 行的数值不是完整且自洽的一行"
            break
        tentative[key] = values
    if reason is None and tentative and not _identities_hold(spec, known, tentative):
        reason = "按顺序归位后表格勾稽关系不成立"
    if reason is None:
        for key, loose in pairs:
            columns = spec.rows[key].columns
            for column, token in zip(columns, tentative[key], strict=True):
                cell_key = f"{spec.name}.{key}.{column}"
                value = None if token.state is CellState.BLANK else to_number(_amount(token))
                out.cells[cell_key] = Cell(cell_key, value, token.raw, token.state, loose.line)
            out.rows.append(key)
            out.problems.append(
                Problem(
                    "row_reattached",
                    f"第 {loose.line} 行的数值没有行标签，按行序和勾稽关系确认属于“{spec.rows[key].labels[0]}”",
                    loose.line,
                    severity="info",
                )
            )
    else:
        for loose in table.loose:
            shown = "、".join(s.value.raw for s in loose.slots if s.value is not None)
            out.problems.append(
                Problem("row_loose", f"数值行（{shown}）没有行标签，无法确定所属行（{reason}），未读取", loose.line)
            )
    # Labels printed apart from their values: the row is printed, its cells were not read.
    for row in table.displaced:
        if row.key in out.rows or row.key in anchored or row.key not in spec.rows:
            continue
        out.rows.append(row.key)
        for column in spec.rows[row.key].columns:
            cell_key = f"{spec.name}.{row.key}.{column}"
            if cell_key not in known:
                out.cells[cell_key] = Cell(cell_key, None, "", CellState.UNPLACED, row.line)
    return out
