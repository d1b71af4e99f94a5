"""Decide which column each printed value of a row belongs to — only when that is certain.

Web-page text often drops blank cells, so a row may print fewer values than it has
columns. We never guess: a value is placed when its column follows from the text (all
values present, explicit blank markers whose positions are known) or from arithmetic
that cannot be a coincidence (the last value of a row equals the sum of the others, so it
is the 总计). Everything else is left unplaced, with the row's values kept in order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.model.types import CellState
from auditor.model.values import ValueToken


@dataclass(frozen=True)
class Slot:
    """A row entry: a printed value, or a run of ``gap`` empty cells."""

    value: ValueToken | None
    line: int
    gap: int = 0
    field: int = -1  # tab/markdown: position of the field on its line


@dataclass
class Placement:
    """Where a row's values went. ``unplaced`` is None when every column is known."""

    cells: dict[int, tuple[ValueToken, int]] = field(default_factory=dict)  # column index -> (value, line)
    blank: set[int] = field(default_factory=set)
    unplaced: list[ValueToken] | None = None
    problem: str | None = None


_BLANK = ValueToken(CellState.BLANK, "", None, None)


def _amount(v: ValueToken) -> Decimal:
    return v.amount if v.amount is not None else Decimal(0)


def _positional(values: Sequence[tuple[ValueToken, int]]) -> Placement:
    p = Placement()
    for i, (v, line) in enumerate(values):
        if v.state is CellState.BLANK:
            p.blank.add(i)
        p.cells[i] = (v, line)
    return p


def _expand(slots: Sequence[Slot], counts: Sequence[int]) -> list[tuple[ValueToken, int]]:
    """Values with each gap replaced by ``counts[i]`` blanks (i = index among gaps)."""
    out: list[tuple[ValueToken, int]] = []
    gap_no = 0
    for s in slots:
        if s.value is None:
            out.extend((_BLANK, s.line) for _ in range(counts[gap_no]))
            gap_no += 1
        else:
            out.append((s.value, s.line))
    return out


def _trim_gaps(slots: Sequence[Slot]) -> list[Slot]:
    start, end = 0, len(slots)
    while start < end and slots[start].value is None:
        start += 1
    while end > start and slots[end - 1].value is None:
        end -= 1
    return list(slots[start:end])


def _surplus(values: list[tuple[ValueToken, int]], ncols: int) -> Placement:
    """More values than columns: place only if every way of dropping the surplus agrees."""
    extra = len(values) - ncols
    problem = f"该行填报了 {len(values)} 个数值，多于 {ncols} 列"
    if extra <= 4 and len(values) <= 24:
        outcomes = {
            tuple(v.raw for i, (v, _) in enumerate(values) if i not in drop)
            for drop in itertools.combinations(range(len(values)), extra)
        }
        if len(outcomes) == 1:
            placed = _positional(values[:ncols])
            placed.problem = problem + "，多出的数值相同，已按顺序填入"
            return placed
    return Placement(unplaced=[v for v, _ in values], problem=problem + "，无法确定各列")


def _total_rule(values: list[tuple[ValueToken, int]], ncols: int, total_col: int | None) -> Placement:
    """Place a row's 总计 when its last value equals the sum of the others."""
    p = Placement(unplaced=[v for v, _ in values])
    if total_col is not None and len(values) >= 2:
        *rest, (last, line) = values
        # A zero total proves nothing: a row of zeros fits any columns.
        if (
            last.state is CellState.NUMBER
            and _amount(last) > 0
            and _amount(last) == sum((_amount(v) for v, _ in rest), Decimal(0))
        ):
            p.cells[total_col] = (last, line)
    return p


def _group_rule(values: list[tuple[ValueToken, int]], group_size: int, groups: int) -> Placement:
    """Table 四: place a whole group at either end of the row when its own total checks."""
    p = Placement(unplaced=[v for v, _ in values])

    def checks(chunk: Sequence[tuple[ValueToken, int]]) -> bool:
        *parts, (total, _) = chunk
        return (
            total.state is CellState.NUMBER
            and _amount(total) > 0
            and _amount(total) == sum((_amount(v) for v, _ in parts), Decimal(0))
        )

    n = len(values)
    head = n >= group_size and checks(values[:group_size])
    tail = n >= 2 * group_size and checks(values[-group_size:])
    if head:
        for i in range(group_size):
            p.cells[i] = values[i]
    if tail:
        offset = (groups - 1) * group_size
        for i in range(group_size):
            p.cells[offset + i] = values[n - group_size + i]
    return p


def _by_field(slots: Sequence[Slot], ncols: int, start: int) -> Placement | None:
    """Explicit rows with a known first value field: each value's field is its column."""
    p = Placement()
    for s in slots:
        if s.value is None:
            continue
        column = s.field - start
        if s.field < 0 or not 0 <= column < ncols or column in p.cells:
            return None
        p.cells[column] = (s.value, s.line)
        if s.value.state is CellState.BLANK:
            p.blank.add(column)
    p.blank.update(c for c in range(ncols) if c not in p.cells)
    return p


def place_row(
    slots: Sequence[Slot],
    ncols: int,
    *,
    explicit_rows: bool,
    gaps_reliable: bool,
    exact_cells: bool = False,
    start_field: int | None = None,
    total_col: int | None = None,
    group_size: int | None = None,
) -> Placement:
    """Place one row. See the module docstring for what counts as certain."""
    values = [(s.value, s.line) for s in slots if s.value is not None]
    if not values:
        return Placement(blank=set(range(ncols)))
    if len(values) == ncols:
        return _positional(values)
    if len(values) > ncols:
        return _surplus(values, ncols)
    # Fewer values than columns.
    if exact_cells:
        # Converted HTML/DOCX rows hold exactly the row's own cells: every empty one is a
        # blank. Empty cells past the last column pad a narrow block to the table's width.
        expanded = _expand(slots, [s.gap for s in slots if s.value is None])
        if len(expanded) >= ncols and all(v.state is CellState.BLANK for v, _ in expanded[ncols:]):
            return _positional(expanded[:ncols])
    if explicit_rows and start_field is not None:
        by_field = _by_field(slots, ncols, start_field)
        if by_field is not None:
            return by_field
    if explicit_rows:
        # A tab or markdown row prints one field per cell; fields before the first and after
        # the last value may be spanned label columns, so only trust the inner ones.
        trimmed = _trim_gaps(slots)
        if sum(s.gap if s.value is None else 1 for s in trimmed) == ncols:
            return _positional(_expand(trimmed, [s.gap for s in trimmed if s.value is None]))
    elif gaps_reliable:
        gaps = [s for s in slots if s.value is None]
        needed = ncols - len(values)
        if len(gaps) == 1:
            return _positional(_expand(slots, [needed]))
        if gaps and sum(g.gap for g in gaps) == needed:
            return _positional(_expand(slots, [g.gap for g in gaps]))
    if group_size:
        return _group_rule(values, group_size, ncols // group_size)
    return _total_rule(values, ncols, total_col)
