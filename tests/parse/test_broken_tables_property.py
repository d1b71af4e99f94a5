"""Property: generated reports broken the way PDF conversions break table 三 are read back
exactly where the pairing is forced, and never misplaced where it is not.

A markdown report from the generator has runs of table 三's rows taken apart: their labels
become paragraph lines (some wrapped over two lines) printed before the run's values, which
become label-less tiny markdown tables. Optionally one of those value rows is lost, which
leaves the pairing ambiguous.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.model.types import CellState
from auditor.model.values import classify
from auditor.pipeline import parse_text

reportgen = pytest.importorskip("tests.reportgen", reason="report generator not available")

WIDTH = 7  # value columns of table 三
SEP = "|" + "---|" * WIDTH


def _value_row(line: str) -> tuple[list[str], list[str]] | None:
    """(label fields, values) of a markdown row of table 三, or None."""
    if not line.startswith("|"):
        return None
    fields = [f.strip() for f in line.strip().strip("|").split("|")]
    if len(fields) <= WIDTH:
        return None
    values = fields[-WIDTH:]
    tokens = [classify(v) for v in values]
    if any(t is None or t.state is not CellState.NUMBER for t in tokens):
        return None
    labels = [f for f in fields[:-WIDTH] if f]
    if any(classify(f) is not None for f in labels):
        return None  # a wider row of values (table 四), not a labelled row of table 三
    return (labels, values) if labels else None


def _wrapped(label: str, rng: random.Random) -> list[str]:
    if len(label) < 8 or rng.random() < 0.5:
        return [label]
    cut = rng.randrange(4, len(label) - 1)
    return [label[:cut], label[cut:]]


def _break(text: str, rng: random.Random, drop: bool) -> tuple[str, bool]:
    lines = text.split("\n")
    # Table 三 is the only table whose labelled rows print 7 values.
    rows = {i: r for i, line in enumerate(lines) if (r := _value_row(line)) is not None}
    chosen = {i for i in rows if rng.random() < 0.4}
    dropped = rng.choice(sorted(chosen)) if drop and chosen else None
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i not in chosen:
            out.append(lines[i])
            i += 1
            continue
        run = []
        while i in chosen:
            run.append(i)
            i += 1
        out.append("")
        for j in run:
            for label in rows[j][0]:
                out.extend(_wrapped(label, rng))
        for j in run:
            if j != dropped:
                out.extend(["| " + " | ".join(rows[j][1]) + " |", SEP])
        out.append("")
    return "\n".join(out), dropped is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    fmt=st.sampled_from(("2019", "2021")),
    drop=st.booleans(),
)
def test_displaced_rows_read_back_or_left_unplaced(seed: int, fmt: str, drop: bool) -> None:
    generated = reportgen.make_report(seed, fmt=fmt, layout="markdown", label_noise=True)
    text, dropped = _break(generated.text, random.Random(seed), drop)
    report = parse_text(text, f"broken-{seed}.md")
    for key, cell in report.cells.items():
        if cell.state is CellState.NUMBER:
            assert cell.value is not None
            assert abs(float(cell.value) - float(generated.cells[key] or 0)) < 1e-6, key
    if not dropped:
        for key, expected in generated.cells.items():
            if key.startswith("requests."):
                assert report.cells[key].value == expected, key
