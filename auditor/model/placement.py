"""Decide which column each printed value of a row belongs to — only when that is certain.

Web-page text often drops blank cells, so a row may print fewer values than it has
columns. We never guess: a value is placed when its column follows from the text (all
values present, explicit blank markers whose positions are known) or from arithmetic
that cannot be a coincidence (the last value of a row equals the sum of the others, so it
is the 总计). Everything else is left unplaced, with the row's values kept in order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
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


def printed_width(slots: Sequence[Slot]) -> int:
    """How many cells a row prints: its values and the empty cells of its gaps."""
    return sum(s.gap if s.value is None else 1 for s in slots)


def terminated(rows: Sequence[Sequence[Slot]]) -> bool:
    """Whether a pipe closes every value of these rows (``26`` ``|`` ``|`` … ``26`` ``|``):
    a crawler that prints each cell, then a pipe on a line of its own, prints an empty cell
    as a pipe alone. Never so when two values of a row stand side by side. (A row's last
    value may lack its pipe: the table's last row, cut off by the next heading.)"""
    valued = [r for r in rows if any(s.value is not None for s in r)]
    closed = all(
        i + 1 == len(r) or r[i + 1].value is None for r in valued for i, s in enumerate(r) if s.value is not None
    )
    return closed and any(sum(s.value is not None for s in r) >= 2 for r in valued)


def unterminated(slots: Sequence[Slot]) -> list[Slot]:
    """A terminated row's slots without the pipe closing its label and each of its values:
    the runs left are its empty cells."""
    out: list[Slot] = []
    closes = True  # the first run after the label closes the label
    for s in slots:
        if s.value is None and closes:
            if s.gap > 1:
                out.append(replace(s, gap=s.gap - 1))
        else:
            out.append(s)
        closes = s.value is not None
    return out


def front_slots(slots: Sequence[Slot]) -> list[Slot]:
    """A row's slots up to its last value: what is left after it may be only the padding a
    crawler adds to make every row as wide as the widest."""
    last = max((i for i, s in enumerate(slots) if s.value is not None), default=-1)
    return list(slots[: last + 1])


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


def trim_gaps(slots: Sequence[Slot]) -> list[Slot]:
    start, end = 0, len(slots)
    while start < end and slots[start].value is None:
        start += 1
    while end > start and slots[end - 1].value is None:
        end -= 1
    return list(slots[start:end])


def _sums_hold(values: Sequence[ValueToken], group_size: int) -> bool:
    """Whether each group of ``group_size`` columns adds up to its last column (总计), one of
    them not 0: zeros add up whatever columns they stand in, so they prove nothing."""
    if any(v.amount is None for v in values):
        return False
    amounts = [_amount(v) for v in values]
    groups = [amounts[i : i + group_size] for i in range(0, len(amounts), group_size)]
    return all(sum(g[:-1], Decimal(0)) == g[-1] for g in groups) and any(g[-1] for g in groups)


def _surplus(values: list[tuple[ValueToken, int]], ncols: int, group_size: int | None) -> Placement:
    """More values than columns: place only if every way of dropping the surplus agrees —
    or, when the row has sums (``group_size`` columns ending in a 总计), every way that
    leaves them adding up (one or two extra values only: the more there are, the likelier a
    wrong drop adds up by chance). A converter that repeats a spanned cell in each column it
    spans (``| 22 | 0 | 0 | 0 | 0 | 0 | 3 | 25 |``, one 0 twice) thus keeps its row: dropping
    any 0 gives the same row, dropping anything else breaks its 总计."""
    extra = len(values) - ncols
    problem = f"该行填报了 {len(values)} 个数值，多于 {ncols} 列"
    if extra <= 4 and len(values) <= 24:
        rows: dict[tuple[str, ...], tuple[int, ...]] = {}  # each distinct row left, by its values
        for drop in itertools.combinations(range(len(values)), extra):
            kept = tuple(i for i in range(len(values)) if i not in drop)
            rows.setdefault(tuple(values[i][0].raw for i in kept), kept)
        how = "多出的数值相同，已按顺序填入"
        if len(rows) > 1 and group_size and extra <= 2:
            rows = {raw: kept for raw, kept in rows.items() if _sums_hold([values[i][0] for i in kept], group_size)}
            how = "仅一种读法使合计相符，已按该读法填入"
        if len(rows) == 1:
            placed = _positional([values[i] for i in next(iter(rows.values()))])
            placed.problem = f"{problem}，{how}"
            return placed
    return Placement(unplaced=[v for v, _ in values], problem=problem + "，无法确定各列")


def _splits(n: int, sizes: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Ways to share n printed values, in order, among groups of the given sizes."""
    if not sizes:
        if n == 0:
            yield ()
        return
    for k in range(min(n, sizes[0]) + 1):
        for rest in _splits(n - k, sizes[1:]):
            yield (k, *rest)


def _group_spreads(amounts: Sequence[Decimal], size: int) -> list[list[int | None]]:
    """Spreads of one group's values over its columns (order kept) whose parts add up to its total."""
    out = []
    for positions in itertools.combinations(range(size), len(amounts)):
        row: list[int | None] = [None] * size
        for index, column in enumerate(positions):
            row[column] = index
        cells = [Decimal(0) if i is None else amounts[i] for i in row]
        if sum(cells[:-1], Decimal(0)) == cells[-1]:
            out.append(row)
    return out


def _agree(a: list[int | None] | None, b: list[int | None]) -> list[int | None]:
    # -1 marks a column on which two candidates disagree.
    return list(b) if a is None else [x if x == y else -1 for x, y in zip(a, b, strict=True)]


def _arithmetic_rule(values: list[tuple[ValueToken, int]], ncols: int, group_size: int | None) -> Placement:
    """Place what the row's own sums force: every way of spreading the printed values over
    the columns (order kept, the missing cells blank) that makes each group's parts add up
    to its last column (总计) is a candidate; a column holding the same value, or the same
    blank, in every candidate is certain.

    Seed 000's ``266 7 1 2 5 281`` (one blank dropped) thus places only the 总计 281, and
    its table-四 row places the whole 行政复议 group. A row whose sums cannot hold places
    nothing; its arithmetic is checked on the row's printed values instead.
    """
    p = Placement(unplaced=[v for v, _ in values])
    if any(v.amount is None for v, _ in values):
        return p
    amounts = [_amount(v) for v, _ in values]
    sizes = [group_size] * (ncols // group_size) if group_size else [ncols]
    agreed: list[int | None] | None = None  # per column: value index, or None for a blank
    for split in _splits(len(values), sizes):
        first = 0
        spreads = []
        for k, size in zip(split, sizes, strict=True):
            candidates = _group_spreads(amounts[first : first + k], size)
            spreads.append([[None if i is None else i + first for i in row] for row in candidates])
            first += k
        if not all(spreads):
            continue
        # Groups are independent: each column agrees over its own group's candidates.
        row: list[int | None] = []
        for candidates in spreads:
            group: list[int | None] | None = None
            for candidate in candidates:
                group = _agree(group, candidate)
            row.extend(group or ())
        agreed = _agree(agreed, row)
    for column, index in enumerate(agreed or ()):
        if index is None:
            p.blank.add(column)
        elif index >= 0:
            p.cells[column] = values[index]
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
    front_reliable: bool = False,
    exact_cells: bool = False,
    start_field: int | None = None,
    total_col: int | None = None,
    group_size: int | None = None,
) -> Placement:
    """Place one row. See the module docstring for what counts as certain."""
    values = [(s.value, s.line) for s in slots if s.value is not None]
    if not values:
        return Placement(blank=set(range(ncols)))
    if any(v.state is CellState.UNPLACED for v, _ in values):
        return Placement(unplaced=[v for v, _ in values])  # digits that could not be split
    if len(values) == ncols:
        return _positional(values)
    if len(values) > ncols:
        return _surplus(values, ncols, group_size or (ncols if total_col == ncols - 1 else None))
    # Fewer values than columns.
    if exact_cells:
        # Converted HTML/DOCX rows hold exactly the row's own cells: every empty one is a
        # blank. Empty cells past the last column pad a narrow block to the table's width.
        expanded = _expand(slots, [s.gap for s in slots if s.value is None])
        if len(expanded) >= ncols and all(v.state is CellState.BLANK for v, _ in expanded[ncols:]):
            return _positional(expanded[:ncols])
    # A field holding several values (``| 0 0 |``, a converter's made-up small table) says
    # no column for any of them: neither the row's fields nor its empty ones are cells.
    fields = [s.field for s in slots if s.value is not None and s.field >= 0]
    if explicit_rows and len(set(fields)) < len(fields):
        explicit_rows = gaps_reliable = False
    if explicit_rows and start_field is not None:
        by_field = _by_field(slots, ncols, start_field)
        if by_field is not None:
            return by_field
    if explicit_rows:
        # A tab or markdown row prints one field per cell. With no full row to tell where the
        # first value field sits (`start_field`), a row printing exactly one field per column
        # after its label is read field by field ("| 二、… | | | | | | | 0 |").
        if start_field is None and printed_width(slots) == ncols:
            return _positional(_expand(slots, [s.gap for s in slots if s.value is None]))
        # Otherwise fields before the first and after the last value may be spanned label
        # columns, so only trust the inner ones.
        trimmed = trim_gaps(slots)
        if printed_width(trimmed) == ncols:
            return _positional(_expand(trimmed, [s.gap for s in trimmed if s.value is None]))
    elif gaps_reliable:
        gaps = [s for s in slots if s.value is None]
        needed = ncols - len(values)
        if len(gaps) == 1:
            return _positional(_expand(slots, [needed]))
        if gaps and sum(g.gap for g in gaps) == needed:
            return _positional(_expand(slots, [g.gap for g in gaps]))
    if front_reliable and printed_width(front := front_slots(slots)) == ncols:
        return _positional(_expand(front, [s.gap for s in front if s.value is None]))
    if group_size or total_col == ncols - 1:
        return _arithmetic_rule(values, ncols, group_size)
    return Placement(unplaced=[v for v, _ in values])
