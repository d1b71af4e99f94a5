"""Tables a PDF-to-markdown conversion cut into small tables, one per row group or column
group, with made-up headers between them (``| 类别 | 数据1 | … | 总计 |``)."""

from __future__ import annotations

import re

import pytest

from auditor.pipeline import parse_text
from tests.reportgen import make_report

PART_FOUR = re.compile(r"(?m)^[#\s]*四、[^\n]*行政复议[^\n]*$")
PART_FIVE = re.compile(r"(?m)^[#\s]*五、")
GROUP_HEADINGS = ("### 行政复议", "### 行政诉讼（未经复议直接起诉）", "### 行政诉讼（复议后起诉）")
COLUMNS = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|"


def _with_appeals(text: str, table: str) -> str:
    """The report with its table 四 replaced by ``table``."""
    four = PART_FOUR.search(text)
    five = PART_FIVE.search(text)
    assert four and five
    start, end = four.end(), five.start()
    return text[:start] + "\n\n" + table + "\n\n" + text[end:]


def _appeals(report_cells: dict[str, int | float | None]) -> list[list[str]]:
    keys = [k for k in report_cells if k.startswith("appeals.")]
    values = [str(report_cells[k]) for k in keys]
    return [values[i : i + 5] for i in range(0, 15, 5)]


@pytest.mark.parametrize("seed", range(6))
def test_one_small_table_per_column_group(seed: int) -> None:
    generated = make_report(seed, fmt="2021", layout="markdown")
    groups = _appeals(generated.cells)
    table = "\n\n".join(
        f"{heading}\n{COLUMNS}\n| {' | '.join(values)} |"
        for heading, values in zip(GROUP_HEADINGS, groups, strict=True)
    )
    report = parse_text(_with_appeals(generated.text, table), "split.md")
    for key, truth in generated.cells.items():
        if key.startswith("appeals."):
            assert report.cells[key].value == truth, key
    assert not [p for p in report.problems if p.code == "row_repeated"]


def test_one_labelled_row_per_column_group() -> None:
    generated = make_report(1, fmt="2021", layout="markdown")
    groups = _appeals(generated.cells)
    rows = [f"| {h.lstrip('# ')} | {' | '.join(v)} |" for h, v in zip(GROUP_HEADINGS, groups, strict=True)]
    table = "| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n" + "\n".join(rows)
    report = parse_text(_with_appeals(generated.text, table), "rows.md")
    assert [
        [str(report.cells[k].value) for k in generated.cells if k.startswith(f"appeals.{g}.")]
        for g in (
            "review",
            "litigation_direct",
            "litigation_after_review",
        )
    ] == groups


def test_a_whole_table_header_naming_one_group_keeps_the_row_whole() -> None:
    # 行政复议 and 行政诉讼 over generic column names: the one row is the whole table's.
    generated = make_report(2, fmt="2021", layout="markdown")
    values = [v for group in _appeals(generated.cells) for v in group]
    table = (
        "| 行政复议 |  |  |  |  | 行政诉讼 |" + " |" * 9 + "\n|" + "---|" * 15 + "\n"
        "| " + " | ".join(f"数据{i}" for i in range(1, 16)) + " |\n| " + " | ".join(values) + " |"
    )
    report = parse_text(_with_appeals(generated.text, table), "whole.md")
    assert [str(report.cells[k].value) for k in generated.cells if k.startswith("appeals.")] == values


def test_a_made_up_header_ending_in_a_row_label_reads_no_row() -> None:
    # ``| 类别 | 数据1 | … | 总计 |`` mid-table ends in 总计, a row label of table 三 too:
    # the real （七）总计 row after it is read, not a row of blanks from the header.
    generated = make_report(4, fmt="2021", layout="markdown")
    header = "| 类别 | " + " | ".join(f"数据{i}" for i in range(1, 7)) + " | 总计 |\n|" + "---|" * 8
    text = re.sub(r"(?m)^(\|[^\n]*（七）总计)", header + r"\n\1", generated.text, count=1)
    assert header in text
    report = parse_text(text, "header.md")
    for key, truth in generated.cells.items():
        if key.startswith("requests.results_total."):
            assert report.cells[key].value == truth, key
    assert not [p for p in report.problems if p.code == "row_repeated"]
