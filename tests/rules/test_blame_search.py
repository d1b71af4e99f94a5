"""Blame's pair search forms only the pairs that can explain every failing identity."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from auditor.findings.blame import _explaining_pairs

CELLS = [f"t.r{n}.c" for n in range(12)]


@given(st.lists(st.sets(st.sampled_from(CELLS), max_size=6), min_size=1, max_size=5))
def test_same_pairs_in_the_same_order_as_every_pair_filtered(needed: list[set[str]]) -> None:
    cells = sorted(set().union(*needed))
    every = [p for p in itertools.combinations(cells, 2) if all(cs & set(p) for cs in needed)]
    assert _explaining_pairs(cells, needed) == every


def test_pairs_go_through_the_smallest_failing_identity() -> None:
    wide = set(CELLS)
    narrow = {CELLS[3]}
    pairs = _explaining_pairs(CELLS, [wide, narrow])
    assert pairs
    assert all(CELLS[3] in pair for pair in pairs)
    assert len(pairs) == len(CELLS) - 1
