"""Markdown from a PDF converter that writes its tables as HTML (``<table>…</table>`` among
the markdown lines, as MinerU and similar tools do): each table reads as the grid it is;
and pipe tables whose cells keep their line breaks as ``<br>``."""

from __future__ import annotations

import re

import pytest

from auditor.pipeline import AuditOptions, audit_report, parse_bytes
from tests.reportgen import make_report

_DELIMITER = re.compile(r"^\|[-| :]+\|$")


def _html_tables(markdown: str, *, one_line: bool) -> str:
    """The markdown with every pipe table written as an HTML table."""
    out: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if not table:
            return
        rows = [
            "<tr>" + "".join(f"<td>{c.strip()}</td>" for c in r.strip().strip("|").split("|")) + "</tr>"
            for r in table
            if not _DELIMITER.match(r)
        ]
        out.extend(
            ["<html><body><table>" + "".join(rows) + "</table></body></html>"]
            if one_line
            else ["<table>", *rows, "</table>"]
        )
        table.clear()

    for line in markdown.split("\n"):
        if line.startswith("|"):
            table.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


@pytest.mark.parametrize("one_line", [True, False], ids=["one line", "a row per line"])
@pytest.mark.parametrize("seed", [5, 13])
def test_html_tables_in_markdown_read_every_cell(seed: int, one_line: bool) -> None:
    generated = make_report(seed, fmt="2021", year=2023, layout="markdown", label_noise=False)
    report = parse_bytes(_html_tables(generated.text, one_line=one_line).encode("utf-8"), "converted.md")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def _wrapped_cells(markdown: str) -> str:
    """Every pipe-table cell of five characters or more broken in two by a <br>, as a
    converter keeps a cell's line break (labels, and numbers in narrow cells)."""
    out = []
    for line in markdown.split("\n"):
        if line.startswith("|") and not _DELIMITER.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cells = [c if len(c) < 5 else f"{c[: len(c) // 2]}<br>{c[len(c) // 2 :]}" for c in cells]
            line = "| " + " | ".join(cells) + " |"
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(("seed", "fmt", "year"), [(0, "2019", 2020), (3, "2021", 2023), (8, "2019", 2020)])
def test_cells_wrapped_with_br_read_as_one_text(seed: int, fmt: str, year: int) -> None:
    generated = make_report(seed, fmt=fmt, year=year, layout="markdown", label_noise=False)
    report = parse_bytes(_wrapped_cells(generated.text).encode("utf-8"), "converted.md")
    assert report.meta.format == fmt
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


@pytest.mark.parametrize("picture", ["![](images/8f3a2c1d.jpg)", '<img src="table3.png" alt="表三">'])
def test_a_table_the_converter_left_as_a_picture_is_not_evaluated_not_missing(picture: str) -> None:
    generated = make_report(3, fmt="2021", year=2023, layout="markdown", label_noise=False)
    out, part, pictured = [], None, False
    for line in generated.text.split("\n"):
        part = 3 if "三、收到和处理政府信息公开申请情况" in line else 4 if "四、政府信息公开行政复议" in line else part
        if line.startswith("|") and part == 3:
            out += [] if pictured else [picture]
            pictured = True
            continue
        out.append(line)
    record = audit_report(parse_bytes("\n".join(out).encode("utf-8"), "converted.md"), AuditOptions())
    assert not [f for f in record["findings"] if f["rule"] == "TBL-004"]
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] == "TBL-004"]
    assert reasons and "图片" in reasons[0]
