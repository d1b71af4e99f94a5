"""Crawler text that prints every HTML cell of a table on a line of its own, an empty cell
too: ``text |`` lines with each row padded by a run of pipes to the widest row, ``|text``
lines, or the text then a pipe on the next line (trafilatura 1.x, several provincial CMS
exports). Empty cells print as a line holding only ``|``, so a row's empty cells before
its last value say where its values sit; the runs after it are padding.
"""

from __future__ import annotations

import pytest

from auditor.model.types import CellState, Report
from auditor.pipeline import parse_text
from tests.reportgen import CRAWLER_LAYOUTS, Generated, make_report


def _misread(report: Report, truth: Generated) -> dict[str, tuple[object, object]]:
    """Cells read as something other than the truth (unplaced cells are not read at all)."""
    out: dict[str, tuple[object, object]] = {}
    for key, value in truth.cells.items():
        cell = report.cells.get(key)
        if cell is None or cell.state is CellState.UNPLACED:
            continue
        got = cell.value if cell.state in (CellState.NUMBER, CellState.BLANK) else cell.state.value
        if got != value:
            out[key] = (value, got)
    return out


def _unplaced(report: Report) -> set[str]:
    return {k for k, c in report.cells.items() if c.state is CellState.UNPLACED}


@pytest.mark.parametrize("layout", CRAWLER_LAYOUTS)
@pytest.mark.parametrize("seed", range(8))
def test_every_cell_of_a_table_without_empty_cells_is_read(layout: str, seed: int) -> None:
    truth = make_report(seed, layout=layout)
    report = parse_text(truth.text)
    assert _misread(report, truth) == {}
    assert _unplaced(report) == set()


@pytest.mark.parametrize("layout", CRAWLER_LAYOUTS)
@pytest.mark.parametrize("seed", range(12))
def test_empty_cells_place_the_values_and_nothing_is_misread(layout: str, seed: int) -> None:
    truth = make_report(seed, layout=layout, blanks=True)
    report = parse_text(truth.text)
    assert _misread(report, truth) == {}
    # Only a row whose last cells are empty stays unplaced: there its runs after the last
    # value are empty cells and padding at once. (Table 四's row has no label, so the
    # empty cells before its first value are not known to be its own either.)
    for key in _unplaced(report):
        columns = [k for k in truth.cells if _row(k) == _row(key)]
        ends = (columns[-1], columns[0]) if _row(key) == "appeals" else (columns[-1],)
        assert any(truth.cells[k] is None for k in ends), key


def _row(key: str) -> str:
    """The printed row a cell is on: table 四 prints all its cells on one row."""
    return "appeals" if key.startswith("appeals.") else key.rsplit(".", 1)[0]


REQUESTS_ROWS = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |
申请人情况 |
||||||||
自然人 |
法人或其他组织 |
总计 |
|||||||
商业企业 |
科研机构 |
社会公益组织 |
法律服务机构 |
其他 |
|||||
一、本年新收政府信息公开申请数量 |
|
|
|
|
|
|
3 |
||
二、上年结转政府信息公开申请数量 |
2 |
|
|
1 |
|
|
3 |
||
四、政府信息公开行政复议、行政诉讼情况
"""


def test_a_row_of_empty_cells_and_a_total_is_placed_its_padding_ignored() -> None:
    report = parse_text("某县统计局2023年政府信息公开工作年度报告\n" + REQUESTS_ROWS)
    received = [report.cells[f"requests.received.{c}"] for c in ("natural_person", "other_org", "total")]
    assert [(c.state, c.value) for c in received] == [
        (CellState.BLANK, None),
        (CellState.BLANK, None),
        (CellState.NUMBER, 3),
    ]
    carried = [report.cells[f"requests.carried_in.{c}"].value for c in ("natural_person", "research", "social_welfare")]
    assert carried == [2, None, 1]


def test_a_cell_printed_after_its_leading_pipe_is_a_value_not_text() -> None:
    # ``|21`` lines: read as text, the row got no value and every cell of it read blank.
    truth = make_report(5, layout="leadpipe")
    report = parse_text(truth.text)
    key = "requests.received.total"
    assert (report.cells[key].state, report.cells[key].value) == (CellState.NUMBER, truth.cells[key])


def _row_lines(label: str, cells: list[str], pad: str) -> str:
    return f"{label} |\n" + "".join(f"{c} |\n" if c else "|\n" for c in cells) + pad + "\n"


def test_cells_closed_on_their_own_line_are_not_taken_for_cells_closed_on_the_next() -> None:
    # Every value is followed by a pipe line, as in text whose pipes close the cell above
    # them; but ``3 |`` closed its cell itself, so each pipe line after it is an empty cell.
    header = REQUESTS_ROWS.split("一、本年新收")[0]
    body = _row_lines("一、本年新收政府信息公开申请数量", ["3", "", "", "", "", "", "3"], "||")
    body += _row_lines("二、上年结转政府信息公开申请数量", ["1", "", "", "", "", "", "1"], "||")
    title, part_four = "某县统计局2023年政府信息公开工作年度报告\n", "四、政府信息公开行政复议、行政诉讼情况\n"
    report = parse_text(title + header + body + part_four)
    for key, value in (("received", 3), ("carried_in", 1)):
        got = [report.cells[f"requests.{key}.{c}"].value for c in ("natural_person", "commercial", "total")]
        assert got == [value, None, value], key


def test_lead_pipe_rows_whose_values_never_stand_side_by_side_are_read() -> None:
    # Each value is followed by an empty cell's bare pipe, as with pipes that close the cell
    # above them; but no row prints more cells than it has, so the pipes are empty cells.
    header = REQUESTS_ROWS.split("（本列数据")[0]
    rows = {
        "一、本年新收政府信息公开申请数量": ["3", "", "", "", "", "", "3"],
        "二、上年结转政府信息公开申请数量": ["", "1", "", "", "", "", "1"],
    }
    body = "".join(f"|{label}\n" + "".join(f"|{c}\n" for c in cells) for label, cells in rows.items())
    report = parse_text(
        "某县统计局2023年政府信息公开工作年度报告\n" + header + body + "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    assert [report.cells[f"requests.received.{c}"].value for c in ("natural_person", "commercial", "total")] == [
        3,
        None,
        3,
    ]
    assert [report.cells[f"requests.carried_in.{c}"].value for c in ("natural_person", "commercial", "total")] == [
        None,
        1,
        1,
    ]
