"""PDF-converted markdown and other broken tables (issue 7, item 3).

The inputs under ``broken_tables/`` are invented reports printed the way PDF-to-markdown
converters print real ones: table 三 cut into tiny tables, row labels displaced into
paragraph lines (wrapped over several lines) with their value rows elsewhere, header rows
broken into syllables or named 数据1…数据N, a stray single value line, table 四 as a broken
header plus one 15-value row, a table printed twice. Every cell is asserted exactly, and
shapes whose pairing is not forced must be left unplaced — never misplaced.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.model.template import load_template
from auditor.model.types import CellState, Report
from auditor.pipeline import read_report
from tests.parse.printed import printed_cells, rewritten

HERE = Path(__file__).parent / "broken_tables"

# Table 三 of jiangyu2023.md as printed (natural, commercial, research, social, legal, other, total).
JIANGYU_REQUESTS = {
    "received": (20, 3, 1, 0, 0, 1, 25),
    "carried_in": (2, 0, 0, 0, 0, 0, 2),
    "granted": (6, 1, 0, 0, 0, 0, 7),
    "partially_granted": (2, 0, 0, 0, 0, 0, 2),
    "denied.third_party_rights": (1, 0, 0, 0, 0, 0, 1),
    "denied.process_information": (1, 0, 0, 0, 0, 0, 1),
    "unable.not_held": (5, 1, 1, 0, 0, 0, 7),
    "unable.needs_creation": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.petition": (1, 0, 0, 0, 0, 0, 1),
    "other.no_correction": (2, 0, 0, 0, 0, 1, 3),
    "other.misc": (1, 1, 0, 0, 0, 0, 2),
    "results_total": (20, 3, 1, 0, 0, 1, 25),
    "carried_over": (2, 0, 0, 0, 0, 0, 2),
}
JIANGYU_OTHER = {
    "disclosure.regulations.issued": 0,
    "disclosure.regulations.repealed": 0,
    "disclosure.regulations.in_force": 0,
    "disclosure.normative_documents.issued": 2,
    "disclosure.normative_documents.repealed": 1,
    "disclosure.normative_documents.in_force": 14,
    "disclosure.licensing.decisions": 132,
    "disclosure.penalty.decisions": 41,
    "disclosure.coercion.decisions": 3,
    "disclosure.fees.amount_wan": 0,
}
JIANGYU_APPEALS = {"review": (2, 1, 0, 0, 3), "litigation_direct": (1, 0, 0, 1, 2), "litigation_after_review": (0,) * 5}
# Value rows printed without a label, and the row each belongs to.
JIANGYU_LOOSE = {
    39: "partially_granted",
    52: "denied.prohibited_by_law",
    59: "denied.internal_affairs",
    71: "unable.not_held",
    73: "unable.needs_creation",
    93: "other.no_correction",
    95: "other.unpaid_fee",
}


def _truth() -> dict[str, int | float]:
    return printed_cells(JIANGYU_OTHER, JIANGYU_REQUESTS, JIANGYU_APPEALS)


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Report:
    return rewritten(HERE / "jiangyu2023.md", tmp_path / name, old, new)


def _values(report: Report) -> dict[str, int | float | None]:
    return {k: c.value for k, c in report.cells.items()}


def _assert_never_misplaced(report: Report, truth: dict[str, int | float]) -> None:
    for key, cell in report.cells.items():
        if cell.state is CellState.NUMBER:
            assert cell.value == truth[key], key


def test_pdf_markdown_is_read_exactly() -> None:
    report = read_report(HERE / "jiangyu2023.md")
    assert _values(report) == _truth()
    assert report.meta.format == "2021"


def test_loose_rows_are_reattached_and_said_so() -> None:
    report = read_report(HERE / "jiangyu2023.md")
    said = {p.line: p.message for p in report.problems if p.code == "row_reattached"}
    assert set(said) == set(JIANGYU_LOOSE)
    template = load_template("2021").tables["requests"]
    for line, row in JIANGYU_LOOSE.items():
        assert template.rows[row].labels[0] in said[line]
        assert report.cells[f"requests.{row}.total"].line == line


def test_stray_single_value_is_not_read() -> None:
    report = read_report(HERE / "jiangyu2023.md")
    stray = [p for p in report.problems if p.code == "stray_value"]
    assert [(p.line, "（3）" in p.message) for p in stray] == [(92, True)]


def test_broken_and_glued_header_rows_are_not_unknown_labels() -> None:
    report = read_report(HERE / "jiangyu2023.md")
    for name in ("disclosure", "requests", "appeals"):
        assert report.tables[name].unknown_labels == ()


def test_appeals_row_of_fifteen_values_under_a_broken_header() -> None:
    report = read_report(HERE / "jiangyu2023.md")
    assert report.cells["appeals.review.total"].value == 3
    assert report.cells["appeals.litigation_direct.pending"].value == 1
    assert "appeals" in report.tables


def test_count_mismatch_leaves_rows_unplaced(tmp_path: Path) -> None:
    # One value row lost in conversion: two labels wait, one row is printed.
    report = read_report(HERE / "lanxi2022.md")
    for row in ("denied.internal_affairs", "denied.process_information"):
        for column in load_template("2021").tables["requests"].rows[row].columns:
            assert report.cells[f"requests.{row}.{column}"].state is CellState.UNPLACED
        assert row in report.tables["requests"].rows  # its label was seen: the row is not missing
    loose = [p for p in report.problems if p.code == "row_loose"]
    assert [p.line for p in loose] == [20]
    assert report.cells["requests.unable.not_held.total"].value == 2
    assert report.cells["requests.results_total.total"].value == 9


def test_identity_failure_leaves_rows_unplaced(tmp_path: Path) -> None:
    # The not_held row still adds up to its own total, but the column no longer adds up to （七）总计.
    report = _variant(tmp_path, "bad_sum.md", "| 5 | 1 | 1 | 0 | 0 | 0 | 7 |", "| 6 | 1 | 1 | 0 | 0 | 0 | 8 |")
    truth = _truth()
    _assert_never_misplaced(report, truth)
    for line, row in JIANGYU_LOOSE.items():
        assert report.cells[f"requests.{row}.total"].state is CellState.UNPLACED, line
    assert not [p for p in report.problems if p.code == "row_reattached"]
    assert {p.line for p in report.problems if p.code == "row_loose"} == set(JIANGYU_LOOSE)
    assert report.cells["requests.granted.total"].value == 7


def test_row_that_does_not_add_up_is_not_reattached(tmp_path: Path) -> None:
    report = _variant(tmp_path, "bad_row.md", "| 5 | 1 | 1 | 0 | 0 | 0 | 7 |", "| 5 | 1 | 1 | 0 | 0 | 0 | 9 |")
    _assert_never_misplaced(report, _truth())
    assert report.cells["requests.unable.not_held.total"].state is CellState.UNPLACED


def test_extra_value_row_in_a_gap_is_not_paired(tmp_path: Path) -> None:
    # A third value row between 4.保护第三方合法权益 and 6.属于四类过程性信息, where only one row waits.
    zeros, sep, after = "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n", "|---|---|---|---|---|---|---|\n", "| 6.属于四类过程性信息"
    report = _variant(tmp_path, "extra.md", zeros + sep + after, zeros + zeros + sep + after)
    _assert_never_misplaced(report, _truth())
    assert report.cells["requests.denied.internal_affairs.total"].state is CellState.UNPLACED


def test_label_next_to_a_value_row_is_not_paired_by_proximity(tmp_path: Path) -> None:
    # The loose rows removed: the paragraph labels right above markdown value rows must not
    # take those rows (the old reading placed 1.本机关不掌握… = the 5.属于三类… row).
    report = _variant(
        tmp_path,
        "no_identities.md",
        "| （七）总计 | 20 | 3 | 1 | 0 | 0 | 1 | 25 |\n",
        "",
    )
    _assert_never_misplaced(report, _truth())
    assert report.cells["requests.unable.not_held.total"].state is CellState.UNPLACED


@pytest.mark.parametrize("name", ["jiangyu2023.md", "lanxi2022.md", "huaiyin2021.md"])
def test_no_cell_is_ever_misplaced(name: str) -> None:
    report = read_report(HERE / name)
    if name == "jiangyu2023.md":
        _assert_never_misplaced(report, _truth())
    assert not [p for p in report.problems if p.code == "row_surplus"]


def test_generic_headers_wrapped_label_and_table_printed_twice() -> None:
    report = read_report(HERE / "huaiyin2021.md")
    values = _values(report)
    assert len(values) == 200
    nonzero = {k: v for k, v in values.items() if v != 0}
    assert nonzero == {
        "disclosure.normative_documents.issued": 1,
        "disclosure.normative_documents.in_force": 6,
        "disclosure.penalty.decisions": 2,
        "requests.received.natural_person": 4,
        "requests.received.other_org": 1,
        "requests.received.total": 5,
        "requests.granted.natural_person": 2,  # the first printing, not the second's 3
        "requests.granted.other_org": 1,
        "requests.granted.total": 3,
        "requests.unable.not_held.natural_person": 1,
        "requests.unable.not_held.total": 1,
        "requests.other.no_correction.natural_person": 1,
        "requests.other.no_correction.total": 1,
        "requests.results_total.natural_person": 4,
        "requests.results_total.other_org": 1,
        "requests.results_total.total": 5,
        "appeals.litigation_direct.upheld": 1,
        "appeals.litigation_direct.total": 1,
    }
    # Said once for the whole second printing, not once per row; the fragment ends with
    # table 四, where no whole report ends.
    assert [(p.code, p.line) for p in report.problems] == [("table_repeated", 56), ("truncated", 65)]
    for name in ("disclosure", "requests", "appeals"):
        assert report.tables[name].unknown_labels == (), name


PARAGRAPH_TABLE = """郁林县档案馆 2022 年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量
3
0
0
0
0
0
3
（五）不
予处理
1.信访举
报投诉类申请
1
0
0
0
0
0
1
"""


def test_label_wrapped_over_paragraph_lines_is_joined(tmp_path: Path) -> None:
    # Paragraph layout: "1.信访举" alone is too short to be taken for a row label.
    path = tmp_path / "yulin.txt"
    path.write_text(PARAGRAPH_TABLE, encoding="utf-8")
    report = read_report(path)
    assert report.cells["requests.not_processed.petition.natural_person"].value == 1
    assert report.cells["requests.not_processed.petition.total"].value == 1
    assert report.tables["requests"].unknown_labels == ()
    # The text is a fragment of table 三: that it stops there is the only thing to say.
    assert [p.code for p in report.problems] == ["truncated"]


def test_header_row_repeated_mid_table_opens_no_row(tmp_path: Path) -> None:
    # A page break repeats the column header inside table 三: its 其他 and 总计 are columns,
    # not the rows 3.其他 and （七）总计 (which would then be read blank and their real rows dropped).
    generic = "| 项目 | 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |\n|  | 1.信访"
    real = "| 项目 | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|  | 1.信访"
    text = (HERE / "huaiyin2021.md").read_text(encoding="utf-8")
    assert text.count(generic) == 1
    path = tmp_path / "header_again.md"
    path.write_text(text.replace(generic, real), encoding="utf-8")
    report = read_report(path)
    assert report.cells["requests.other.misc.total"].value == 0
    assert report.cells["requests.other.misc.total"].state is CellState.NUMBER
    assert report.cells["requests.results_total.total"].value == 5
    assert [p.code for p in report.problems] == ["table_repeated", "truncated"]  # it ends with table 四


def test_label_printed_both_as_paragraph_and_in_its_row(tmp_path: Path) -> None:
    # The text layer repeats a row label above the table: the row with values is the row,
    # and the table is not taken for a second printing of itself.
    path = tmp_path / "twice_label.md"
    path.write_text(
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n"
        "| 一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |\n"
        "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n",
        encoding="utf-8",
    )
    report = read_report(path)
    assert report.cells["requests.received.total"].value == 5
    assert report.cells["requests.carried_in.total"].value == 1
    assert [p.code for p in report.problems] == ["truncated"]  # a fragment of table 三


def test_rows_waiting_where_unpaired_values_were_printed_are_unplaced_not_missing(tmp_path: Path) -> None:
    # No label of the two rows survives the conversion, only one of their value rows does.
    text = (HERE / "lanxi2022.md").read_text(encoding="utf-8")
    labels = "5.属于三类内部事务信\n息\n6.属于四类过程性信息\n"
    assert text.count(labels) == 1
    path = tmp_path / "no_labels.md"
    path.write_text(text.replace(labels, ""), encoding="utf-8")
    report = read_report(path)
    for row in ("denied.internal_affairs", "denied.process_information"):
        assert report.cells[f"requests.{row}.total"].state is CellState.UNPLACED
        assert row in report.tables["requests"].rows
    assert [p.code for p in report.problems] == ["row_loose"]


@pytest.mark.parametrize(
    "strip",
    [r"^\s*\|(.*)\|\s*$", r"^\s*\|(.*)$", r"^(.*)\|\s*$"],
    ids=["no outer pipes", "no leading pipe", "no trailing pipe"],
)
def test_markdown_tables_without_outer_pipes_read_the_same(tmp_path: Path, strip: str) -> None:
    # GitHub-flavoured markdown lets a table leave out its outer pipes; a row's leading pipe
    # then stands for an empty first cell.
    text = (HERE / "jiangyu2023.md").read_text(encoding="utf-8")
    lines = [re.sub(strip, r"\1", line) if line.lstrip().startswith("|") else line for line in text.split("\n")]
    path = tmp_path / "jiangyu_pipes.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "\n".join(lines) != text
    assert _values(read_report(path)) == _values(read_report(HERE / "jiangyu2023.md")) == _truth()
