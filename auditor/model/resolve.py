"""Rows whose glued digits have several readings, settled by the table's column sums.

Table 三 states its own column identities (template data: 三（七）总计 = the outcome rows,
一 + 二 = 三总计 + 四). When every other row of an identity was read, a row whose digits
admit several readings can be checked against it: if exactly one combination of readings
of the unsettled rows makes every identity they take part in hold, column by column, that
combination is certain. Otherwise the rows stay unplaced. Blank or unread cells make an
identity unusable, never a reason to pick a reading.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from auditor.model.digits import amount
from auditor.model.template import TableSpec
from auditor.model.types import Cell, CellState

MAX_COMBINATIONS = 20_000

Readings = Mapping[str, Sequence[Sequence[str]]]  # row key -> its candidate value lists


def _row_values(spec: TableSpec, row: str, cells: Mapping[str, Cell]) -> list[Decimal] | None:
    values = []
    for column in spec.rows[row].columns:
        cell = cells.get(f"{spec.name}.{row}.{column}")
        if cell is None or cell.state is not CellState.NUMBER or cell.value is None:
            return None
        values.append(Decimal(str(cell.value)))
    return values


def _holds(
    spec: TableSpec, identity: tuple[Sequence[str], Sequence[str]], known: Mapping[str, list[Decimal] | None]
) -> bool | None:
    """Whether an identity holds in every column; None when a member row is not known."""
    sides = [[m for name in side for m in spec.members(name)] for side in identity]
    rows = [known.get(m) for side in sides for m in side]
    if not all(sides) or any(r is None for r in rows):
        return None
    width = len(rows[0] or ())
    left, right = ([sum((known[m] or [])[c] for m in side) for c in range(width)] for side in sides)
    return left == right


def resolve(spec: TableSpec, cells: Mapping[str, Cell], readings: Readings) -> dict[str, list[str]]:
    """The readings the column sums force, by row key ({} when they force none)."""
    rows = [r for r, options in readings.items() if options and r in spec.rows]
    if not rows or not spec.identities or math.prod(len(readings[r]) for r in rows) > MAX_COMBINATIONS:
        return {}
    base = {r: _row_values(spec, r, cells) for r in spec.rows if r not in rows}
    solutions: list[dict[str, list[str]]] = []
    for combo in itertools.product(*(readings[r] for r in rows)):
        chosen = {r: list(v) for r, v in zip(rows, combo, strict=True)}
        known = {**base, **{r: [amount(x) for x in v] for r, v in chosen.items()}}
        checked: set[str] = set()
        failed = False
        for identity in spec.identities:
            members = {m for side in identity for name in side for m in spec.members(name)}
            if not members & set(rows):
                continue
            verdict = _holds(spec, identity, known)
            if verdict is False:
                failed = True
                break
            if verdict:
                checked |= members
        if not failed and set(rows) <= checked:
            solutions.append(chosen)
            if len(solutions) > 1:
                return {}
    return solutions[0] if solutions else {}
