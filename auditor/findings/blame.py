"""Blame: which cells to correct so that every failing identity holds.

Failing identity instances are grouped into clusters that share cells. For a cluster we
look for the smallest set of cells (one, then two) whose new values make every failing
instance hold while keeping every passing instance true, solving the linear identities
for those cells. Instances that used an unplaced-row aggregate are ignored: their
numbers are not attached to known cells. Single-cell candidates are the cells common to
every failing instance of the cluster; when several fix it (any cell of a table-四
group), all are returned as alternatives, 总计 cells first.

A solution is only proposed when every value is one the cell can hold (by default a
non-negative whole number; the caller says which cells are amounts or signed). A
cluster that only an impossible value would fix (a negative count) has more errors than
the cells tried: no cell is named rather than a wrong one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from auditor.rules.types import Equation

MAX_PAIRS = 4000  # pairs solved per group; past it a solution cannot be known unique: no blame
_EPS = 1e-6


@dataclass(frozen=True)
class Blame:
    """Cells to correct (ordered) and their values; ``alternatives`` when any one suffices."""

    cells: tuple[str, ...]
    values: Mapping[str, float]
    alternatives: bool = False


def _cells(eq: Equation) -> set[str]:
    return {c for c, k in eq.coefs.items() if abs(k) > _EPS}


def _clusters(failing: Sequence[int], eqs: Mapping[int, Equation]) -> list[list[int]]:
    parent = {i: i for i in failing}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i in failing:
        for c in _cells(eqs[i]):
            if c in owner:
                parent[find(i)] = find(owner[c])
            else:
                owner[c] = i
    groups: dict[int, list[int]] = {}
    for i in failing:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _rest(eq: Equation, unknowns: Sequence[str]) -> float:
    """Residual of ``eq`` with the unknown cells taken as 0."""
    return eq.residual({c: 0.0 for c in unknowns})


def _solve(unknowns: Sequence[str], eqs: Sequence[Equation]) -> dict[str, float] | None:
    """The unique solution of the equalities among ``eqs`` for two unknowns, or None."""
    rows = [([e.coefs.get(c, 0.0) for c in unknowns], -_rest(e, unknowns)) for e in eqs if e.op == "="]
    rows = [r for r in rows if any(abs(a) > _EPS for a in r[0])]
    for (a1, b1), (a2, b2) in itertools.combinations(rows, 2):
        det = a1[0] * a2[1] - a1[1] * a2[0]
        if abs(det) > _EPS:
            return {
                unknowns[0]: (b1 * a2[1] - b2 * a1[1]) / det,
                unknowns[1]: (a1[0] * b2 - a2[0] * b1) / det,
            }
    return None


Admissible = Callable[[str, float], bool]


def count_value(cell: str, value: float) -> bool:
    """Default admissible value: a non-negative whole number (a count)."""
    return value >= -_EPS and abs(value - round(value)) < _EPS


def _round(values: Mapping[str, float]) -> dict[str, float]:
    return {c: float(round(v)) if abs(v - round(v)) < _EPS else v for c, v in values.items()}


class _Solver:
    def __init__(self, eqs: Mapping[int, Equation]) -> None:
        self.eqs = eqs
        self.by_cell: dict[str, list[int]] = {}
        for i, eq in eqs.items():
            for c in _cells(eq):
                self.by_cell.setdefault(c, []).append(i)

    def touching(self, cells: Sequence[str]) -> list[Equation]:
        idx = sorted({i for c in cells for i in self.by_cell.get(c, ())})
        return [self.eqs[i] for i in idx]

    def try_set(self, cells: Sequence[str]) -> dict[str, float] | None:
        """Values for ``cells`` under which every constraint touching them holds."""
        touched = self.touching(cells)
        if len(cells) == 1:
            sol = None
            for eq in touched:
                a = eq.coefs.get(cells[0], 0.0)
                if eq.op == "=" and abs(a) > _EPS:
                    sol = {cells[0]: -_rest(eq, cells) / a}
                    break
        else:
            sol = _solve(cells, touched)
        if sol is None:
            return None
        sol = _round(sol)
        return sol if all(eq.holds(sol) for eq in touched) else None


Candidate = tuple[tuple[str, ...], dict[str, float]]


def _admissible(cands: list[Candidate], admissible: Admissible) -> list[Candidate]:
    """Keep the solutions whose every value the cell can hold (never a negative count)."""
    return [c for c in cands if all(admissible(cell, v) for cell, v in c[1].items())]


def blame(
    eqs: Mapping[int, Equation],
    order: Callable[[str], tuple[int, int]],
    admissible: Admissible = count_value,
) -> dict[int, Blame]:
    """Blame for failing equations, keyed like ``eqs``; aggregate equations are skipped.

    ``admissible(cell, value)`` says whether a corrected value is possible for the cell.
    """
    usable = {i: e for i, e in eqs.items() if not e.aggregate}
    failing = [i for i, e in usable.items() if not e.holds()]
    if not failing:
        return {}  # most reports: no search, no index of the passing equations
    solver = _Solver(usable)
    out: dict[int, Blame] = {}
    unresolved: list[list[int]] = []
    for cluster in _clusters(failing, usable):
        common = set.intersection(*(_cells(usable[i]) for i in cluster))
        cands: list[Candidate] = []
        for cell in sorted(common, key=order):
            sol = solver.try_set([cell])
            if sol is not None and all(usable[i].holds(sol) for i in cluster):
                cands.append(((cell,), sol))
        cands = _admissible(cands, admissible)
        if cands:
            cells = tuple(c for cand in cands for c in cand[0])
            values = {k: v for cand in cands for k, v in cand[1].items()}
            for i in cluster:
                out[i] = Blame(cells, values, alternatives=len(cands) > 1)
        else:
            unresolved.append(cluster)
    for group in _merge(unresolved, usable, failing):
        found = _pairs(group, usable, solver, order, admissible)
        if found is not None:
            for i in group:
                out[i] = found
    return out


def _merge(clusters: list[list[int]], eqs: Mapping[int, Equation], failing: Sequence[int]) -> list[list[int]]:
    """Join unresolved clusters that one passing equation links (it would break otherwise)."""
    if len(clusters) < 2:
        return clusters
    bad = set(failing)
    passing = [_cells(eq) for i, eq in eqs.items() if i not in bad]
    groups = [list(c) for c in clusters]
    changed = True
    while changed:
        changed = False
        cells = [set().union(*(_cells(eqs[i]) for i in g)) for g in groups]
        for linked in passing:
            hit = [n for n, cs in enumerate(cells) if cs & linked]
            if len(hit) > 1:
                merged = [i for n in hit for i in groups[n]]
                groups = [g for n, g in enumerate(groups) if n not in hit] + [merged]
                changed = True
                break
    return groups


def _explaining_pairs(cells: Sequence[str], needed: Sequence[set[str]]) -> list[tuple[str, str]]:
    """The pairs of ``cells`` (in `itertools.combinations` order) that touch every needed set.

    Every such pair holds a cell of the smallest needed set, so only pairs through those
    cells are formed: a few hundred instead of every pair of the group's cells.
    """
    position = {c: n for n, c in enumerate(cells)}
    through = min(needed, key=len)
    pairs = {tuple(sorted((a, b), key=position.__getitem__)) for a in through for b in cells if a != b}
    return [
        (a, b)
        for a, b in sorted(pairs, key=lambda p: (position[p[0]], position[p[1]]))
        if all(a in cs or b in cs for cs in needed)
    ]


def _pairs(
    group: list[int],
    eqs: Mapping[int, Equation],
    solver: _Solver,
    order: Callable[[str], tuple[int, int]],
    admissible: Admissible,
) -> Blame | None:
    cells = sorted(set().union(*(_cells(eqs[i]) for i in group)), key=order)
    needed = [_cells(eqs[i]) for i in group]
    found: Candidate | None = None
    tried = 0
    for pair in _explaining_pairs(cells, needed):
        if tried >= MAX_PAIRS:
            return None  # too many pairs to know a solution is the only one: name no cell
        tried += 1
        sol = solver.try_set(list(pair))
        if sol is None or not all(eqs[i].holds(sol) for i in group):
            continue
        if not _admissible([(pair, sol)], admissible):
            continue
        if found is not None:
            return None  # ambiguous between pairs: name no cell rather than guess
        found = (pair, sol)
    if found is None:
        return None
    cells_fixed, sol = found
    return Blame(tuple(sorted(cells_fixed, key=order)), sol)
