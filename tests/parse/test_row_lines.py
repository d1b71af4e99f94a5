"""Tables copied from a page as plain text: one table row per line, its cells parted by
spaces (``（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0``), header rows as lines of labels and
table 四's one row as a line of fifteen values."""

from __future__ import annotations

import pytest

from auditor.model.values import classify
from auditor.pipeline import parse_text
from tests.reportgen import make_report


def _row_lines(text: str, separator: str) -> str:
    """A tab-layout report with every tab row's cells joined by ``separator``."""
    return "\n".join(separator.join(f for f in line.split("\t") if f.strip()) for line in text.split("\n"))


@pytest.mark.parametrize("separator", [" ", "  ", "\u3000"], ids=["space", "two spaces", "ideographic space"])
@pytest.mark.parametrize(("seed", "fmt", "year"), [(1, "2021", 2022), (4, "2019", 2020), (7, "2021", 2023)])
def test_row_lines_read_every_cell_they_print(seed: int, fmt: str, year: int, separator: str) -> None:
    generated = make_report(seed, fmt=fmt, year=year, layout="tab", blanks=False, label_noise=False)
    report = parse_text(_row_lines(generated.text, separator), "rows.txt")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert {k: generated.cells[k] for k in read} == read  # never a wrong value
    requests_and_appeals = [k for k in generated.cells if k.startswith(("requests.", "appeals."))]
    assert all(k in read for k in requests_and_appeals)  # and every row of 三 and 四 read


def test_a_line_of_values_is_no_one_number() -> None:
    # As a cell's text, spaces inside a number are dropped (a PDF may space its digits), but
    # three or more groups that are no thousands grouping are several values, no number...
    token = classify("1 2")
    assert token is not None and token.amount == 12
    assert classify("3 0 0") is None
    thousands = classify("1 234 567")
    assert thousands is not None and thousands.amount == 1234567
    # ...but a paragraph line of values under table 四 is the fifteen values of its row.
    generated = make_report(1, fmt="2021", year=2022, layout="tab", blanks=False, label_noise=False)
    report = parse_text(_row_lines(generated.text, " "), "rows.txt")
    assert report.cells["appeals.review.total"].value == generated.cells["appeals.review.total"]
    assert not report.unplaced_rows


@pytest.mark.parametrize("extra", ["| — | 3 |", "| / |", "| 无 | 0 | 0 |"])
def test_a_surplus_row_holding_a_blank_is_a_warning_not_a_crash(extra: str) -> None:
    # A markdown row of table 三 with more cells than columns, one of them a blank mark:
    # placement once raised StopIteration looking for the row's unsplit digits.
    generated = make_report(2, fmt="2021", layout="markdown", blanks=False, label_noise=False)
    lines = generated.text.split("\n")
    row = next(n for n, line in enumerate(lines) if "（一）予以公开" in line and line.startswith("|"))
    lines[row] = lines[row].rstrip().rstrip("|") + extra
    report = parse_text("\n".join(lines), "surplus.md")
    assert "row_surplus" in [p.code for p in report.problems]
    assert report.cells["requests.granted.total"].state.value == "unplaced"


def test_the_2019_single_other_row_in_a_2021_report_as_a_row_line() -> None:
    # （六）其他处理 printed with one row of values: read as the 2019 row (VER-002 then says
    # the sub-rows are missing), no row reported missing, no value stray.
    generated = make_report(3, fmt="2021", year=2022, layout="tab", blanks=False, label_noise=False)
    lines = _row_lines(generated.text, " ").split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith("（六）其他处理"))
    values = [sum(int(line.split()[-7 + c]) for line in lines[first : first + 3]) for c in range(7)]
    text = "\n".join([*lines[:first], "（六）其他处理 " + " ".join(map(str, values)), *lines[first + 3 :]])
    report = parse_text(text, "rows.txt")
    assert report.cells["requests.other.total"].value == values[-1]
    assert [p.code for p in report.problems if p.code in ("legacy_row", "stray_value", "row_loose")] == ["legacy_row"]


@pytest.mark.parametrize("separator", ["\t", " | "], ids=["tab", "pipes"])
@pytest.mark.parametrize(("seed", "fmt", "year"), [(1, "2021", 2022), (3, "2019", 2020)])
def test_a_label_cell_then_one_cell_of_spaced_values(separator: str, seed: int, fmt: str, year: int) -> None:
    # "（一）予以公开<TAB>89 5 6 7 0 0 107": the values in one cell are the row's values,
    # never one number with the spaces dropped (was 8956700107), nor blanks.
    generated = make_report(seed, fmt=fmt, year=year, layout="tab", blanks=False, label_noise=False)
    out = []
    for line in generated.text.split("\n"):
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        values = [f for f in fields if f.lstrip("-").isdigit()]
        labels = [f for f in fields if not f.lstrip("-").isdigit()]
        if labels and len(values) >= 2 and fields[-len(values) :] == values:
            out.append(separator.join(labels) + separator + " ".join(values) + separator.rstrip())
        else:
            out.append(line)
    report = parse_text("\n".join(out), "cells.txt")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == {k: generated.cells[k] for k in read}
    assert len(read) >= len(generated.cells) - 4
