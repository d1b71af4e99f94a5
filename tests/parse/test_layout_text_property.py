"""Property: rewriting the pdftotext-layout fixture without changing what it says never
makes a cell read wrong or blank.

The rewrites are the ones pdftotext and browsers make: a row's label wrapped at any point
with its values beside either piece, and a page turning anywhere in a table (its number, a
form feed, a browser's margins a line each). A cell may go unread; none may be misread.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.model.types import CellState
from auditor.pipeline import parse_text
from tests.parse.test_layout_text import FIXTURE, _truth

LINES = FIXTURE.read_text(encoding="utf-8").split("\n")
TABLES = range(
    next(i for i, line in enumerate(LINES) if "二、主动公开" in line) + 1,
    next(i for i, line in enumerate(LINES) if "五、存在的主要问题" in line),
)
# A row printed as one label (no column gap inside it) and its values.
ROW = re.compile(r"^(?P<indent>\s*)(?P<label>\S+)(?P<values>(?:\s{2,}[\d.]+)(?:\s+[\d.]+)*)$")
PAGE_TURNS = (
    ["-3-"],
    ["\f"],
    ["第 2 页 共 5 页"],
    [
        "file:///x/a.html",
        "",
        "3/10",
        "",
        "11/30/26, 10:10 PM",
        "",
        "新河县自然资源局2023年政府信息公开工作年度报告_政府信息公开年报_新河县门户网站",
    ],
)
WRAPPABLE = [i for i in TABLES if (m := ROW.match(LINES[i])) and len(m.group("label")) >= 4]
TRUTH = _truth()


def _wrap(line: str, at: float, values_first: bool) -> list[str]:
    m = ROW.match(line)
    assert m is not None
    label, indent, values = m.group("label"), m.group("indent"), m.group("values")
    k = 2 + int(at * (len(label) - 3))
    head, tail = label[:k], label[k:]
    return [indent + head + values, indent + tail] if values_first else [indent + head, indent + tail + values]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    wraps=st.lists(
        st.tuples(st.sampled_from(WRAPPABLE), st.floats(0, 1), st.booleans()), max_size=4, unique_by=lambda w: w[0]
    ),
    turns=st.lists(st.tuples(st.sampled_from(list(TABLES)), st.sampled_from(range(len(PAGE_TURNS)))), max_size=3),
)
def test_rewritten_layout_text_is_never_misread(
    wraps: list[tuple[int, float, bool]], turns: list[tuple[int, int]]
) -> None:
    edits: dict[int, list[str]] = {i: _wrap(LINES[i], at, first) for i, at, first in wraps}
    out: list[str] = []
    for i, line in enumerate(LINES):
        out.extend(edits.get(i, [line]))
        for at, turn in turns:
            if at == i:
                out.extend(PAGE_TURNS[turn])
    report = parse_text("\n".join(out), "layout.txt")
    misread = {
        k: (c.value, TRUTH.get(k))
        for k, c in report.cells.items()
        if c.state is CellState.NUMBER and c.value != TRUTH.get(k)
    }
    blank = sorted(k for k, c in report.cells.items() if c.state is CellState.BLANK)
    assert not misread and not blank
