"""A PDF's text as `pdftotext -layout` prints it: columns kept by spaces, labels wrapped
over several lines with the values beside any one of them, a form feed opening each page,
header rows broken into syllables, and (for a web page printed to PDF) the browser's print
margins on every page.

``broken_tables/xinhe2023_layout.txt`` is an invented report printed that way. Every cell
is asserted exactly; a row whose label a conversion lost is said not to be evaluated rather
than blamed.
"""

from __future__ import annotations

from pathlib import Path

from auditor.findings import audit
from auditor.model.tables import TableText, stray_problems
from auditor.model.types import CellState, Report
from auditor.pipeline import read_report
from auditor.rules.loader import pack_for
from tests.parse.printed import printed_cells, rewritten

HERE = Path(__file__).parent / "broken_tables"
FIXTURE = HERE / "xinhe2023_layout.txt"

# Table 三 as printed (natural, commercial, research, social, legal, other, total); rows not
# listed print seven zeros.
REQUESTS = {
    "received": (16, 2, 0, 0, 1, 0, 19),
    "carried_in": (2, 0, 0, 0, 0, 0, 2),
    "granted": (9, 1, 0, 0, 0, 0, 10),
    "partially_granted": (2, 0, 0, 0, 1, 0, 3),
    "denied.third_party_rights": (1, 0, 0, 0, 0, 0, 1),
    "unable.not_held": (4, 1, 0, 0, 0, 0, 5),
    "not_processed.duplicate": (1, 0, 0, 0, 0, 0, 1),
    "other.no_correction": (1, 0, 0, 0, 0, 0, 1),
    "results_total": (18, 2, 0, 0, 1, 0, 21),
}
# （六）其他 2.申请人逾期未按收费通知要 / 处理 求缴纳… 0 0 0 … / 理其…: the group's label
# wrapped in its own column beside the row's.
UNPAID_FEE = (
    "                                   （六）其他  2.申请人逾期未按收费通知要\n"
    "                                   处理      求缴纳费用、行政机关不再处  0    0   0     0   0   0   0\n"
    "                                             理其政府信息公开申请\n"
)
DISCLOSURE = {
    "disclosure.regulations.issued": 0,
    "disclosure.regulations.repealed": 0,
    "disclosure.regulations.in_force": 0,
    "disclosure.normative_documents.issued": 3,
    "disclosure.normative_documents.repealed": 1,
    "disclosure.normative_documents.in_force": 11,
    "disclosure.licensing.decisions": 214,
    "disclosure.penalty.decisions": 17,
    "disclosure.coercion.decisions": 2,
    "disclosure.fees.amount_wan": 36.25,
}
APPEALS = {"review": (1, 0, 0, 0, 1), "litigation_direct": (0,) * 5, "litigation_after_review": (0,) * 5}


def _truth() -> dict[str, int | float]:
    return printed_cells(DISCLOSURE, REQUESTS, APPEALS)


def _read(tmp_path: Path, old: str = "", new: str = "") -> Report:
    return rewritten(FIXTURE, tmp_path / "layout.txt", old, new)


def test_every_cell_is_read_exactly() -> None:
    report = read_report(FIXTURE)
    assert {k: c.value for k, c in report.cells.items()} == _truth()
    assert report.problems == ()
    assert report.meta.format == "2021" and report.meta.year == 2023


def test_values_beside_any_line_of_a_wrapped_label_go_to_its_row() -> None:
    report = read_report(FIXTURE)
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")  # a form feed ends no line

    def printed_at(key: str) -> str:
        return lines[report.cells[key].line - 1].strip()

    # The label's first piece, then ``rest-of-label values`` on the next line.
    assert printed_at("requests.received.total") == "一、本年新收政府信息公开申"
    # Label, rest, ``rest values``, rest: the values on a middle line of the label.
    assert printed_at("requests.partially_granted.total").startswith("一情形，不计其他情  ")
    # ``label value`` then the rest of the label.
    assert printed_at("requests.denied.prohibited_by_law.total").startswith("2.其他法律行政法 0")
    # The label's first piece, then ``rest values`` beside another column's text.
    assert printed_at("requests.unable.not_held.total").startswith("（四）无法 关政府信息  ")


def test_a_page_opened_by_a_form_feed_keeps_its_heading_and_line_numbers() -> None:
    report = read_report(FIXTURE)
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    part4 = next(s for s in report.sections if s.number == 4)
    assert lines[part4.line - 1].startswith("\f")
    assert report.cells["appeals.review.upheld"].line == next(
        i for i, line in enumerate(lines, 1) if line.strip().startswith("1    0    0")
    )


def test_a_sentence_end_before_the_tables_opens_no_table() -> None:
    # ``结转下年度继续办理。`` wrapped onto its own line in part 一 names table 三's last row:
    # read as that row, the real table after it would be dropped as "printed twice".
    report = read_report(FIXTURE)
    assert report.cells["requests.carried_over.total"].value == 0
    assert report.cells["requests.carried_over.total"].line > report.tables["requests"].line
    assert "table_repeated" not in {p.code for p in report.problems}


def test_a_row_whose_label_was_lost_is_not_evaluated_and_nothing_is_blamed(tmp_path: Path) -> None:
    report = _read(tmp_path, UNPAID_FEE, "                                             0    0   0     0   0   0   0\n")
    assert not any(key.startswith("requests.other.unpaid_fee.") for key in report.cells)
    result = audit(report, pack_for(report))
    assert [f.rule for f in result.findings if f.severity in ("error", "warning")] == ["PARSE-001"]
    unread = [n for n in result.not_evaluated if n.rule == "TBL-005"]
    assert unread and "2.申请人逾期未按收费通知要求缴纳费用" in unread[0].reason


def test_browser_print_margins_inside_a_table_are_skipped(tmp_path: Path) -> None:
    # A web page printed to PDF carries its print margins on every page; between two of
    # table 二's sub-tables they once closed the table and dropped the rest as a repeat.
    margins = (
        "file:///C:/Users/x/report.html                                                3/10\n"
        "11/30/26, 10:10 PM             新河县自然资源局2023年政府信息公开工作年度报告_政府信息公开年报\n"
    )
    report = _read(tmp_path, "                                                                       -1-\n", margins)
    assert {k: c.value for k, c in report.cells.items()} == _truth()
    assert report.problems == ()


def test_a_list_number_on_a_line_of_its_own_is_part_of_the_label(tmp_path: Path) -> None:
    # A browser's print puts a label's list number a little lower than its first line; the
    # row's values come beside two of the label's lines. ``1.`` is no cell value.
    report = _read(
        tmp_path,
        "                                             1.本机关不掌握相\n"
        "                                   （四）无法 关政府信息         4    1   0     0   0   0   5\n",
        "                                   （四）无法提供\n"
        "                                              本机关不掌握相关政 4\n"
        "                                             1.\n"
        "                                             府信息              1   0     0   0   0   5\n",
    )
    assert {k: c.value for k, c in report.cells.items()} == _truth()
    assert report.problems == ()


def test_a_numbered_subheading_after_table_two_ends_it(tmp_path: Path) -> None:
    # The print lost the sub-heading's opening bracket; table 二 numbers no row that way.
    report = _read(
        tmp_path,
        "                行政事业性收费                    36.25\n",
        "                行政事业性收费                    36.25\n"
        "    二)主动公开政府信息的主要类别\n"
        "    全年主动公开规划信息42条、用地审批信息77条。\n",
    )
    assert report.tables["disclosure"].unknown_labels == ()
    assert {k: c.value for k, c in report.cells.items()} == _truth()


def test_a_unit_one_space_after_its_value_is_kept(tmp_path: Path) -> None:
    report = _read(
        tmp_path,
        "                行政事业性收费                    36.25\n",
        "                行政事业性收费                    362500 元\n",
    )
    fee = report.cells["disclosure.fees.amount_wan"]
    assert (fee.value, fee.raw) == (36.25, "362500元")
    assert report.tables["disclosure"].unknown_labels == ()


def test_a_table_met_again_after_a_pages_running_lines_goes_on(tmp_path: Path) -> None:
    # pdftotext without -layout prints a browser's print margins a line each; the page's
    # title closed table 二, whose next sub-table then looked like the table printed twice.
    running = (
        "file:///C:/Users/x/report.html\n\n3/10\n\n11/30/26, 10:10 PM\n\n"
        "新河县自然资源局2023年政府信息公开工作年度报告_政府信息公开年报_新河县人民政府门户网站\n"
    )
    report = _read(tmp_path, "                                                                       -1-\n", running)
    assert {k: c.value for k, c in report.cells.items()} == _truth()
    assert "table_repeated" not in {p.code for p in report.problems}


def test_labels_printed_before_their_values_column_by_column_are_not_blank(tmp_path: Path) -> None:
    # A converter printed table 三's first rows as their labels, then the values one per
    # line: the rows are printed but not read, never blank (VAL-003 would blame the body).
    old = (
        "                         一、本年新收政府信息公开申\n"
        "                       请数量                           16   2   0     0   1   0   19\n"
        "\n"
        "                         二、上年结转政府信息公开申\n"
        "                       请数量                           2    0   0     0   0   0   2\n"
    )
    new = "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n" + "".join(
        f"{v}\n\n" for v in (16, 2, 0, 0, 1, 0, 19, 2, 0, 0, 0, 0, 0, 2)
    )
    report = _read(tmp_path, old, new)
    for row in ("received", "carried_in"):
        states = {report.cells[f"requests.{row}.{c}"].state for c in ("natural_person", "total")}
        assert states == {CellState.UNPLACED}
    assert [p.code for p in report.problems] == ["row_surplus"]  # the values went to the last label
    result = audit(report, pack_for(report))
    assert not [f for f in result.findings if f.rule in ("VAL-003", "COL-001")]


def test_values_attached_to_no_row_on_nearby_lines_are_reported_once() -> None:
    # A table printed column after column leaves a value per line, a hundred lines long.
    table = TableText("requests", 1, 60, stray={10: ["4"], 12: ["0"], 14: ["0", "1"], 40: ["7"]})
    problems = stray_problems(table)
    assert [(p.line, p.message) for p in problems] == [
        (10, "4 个数值（4、0、0、1）前没有可识别的行标签，已忽略（第10—14行）"),
        (40, "1 个数值（7）前没有可识别的行标签，已忽略"),
    ]


def test_a_bare_column_name_between_a_label_and_its_values_is_no_row(tmp_path: Path) -> None:
    # Printed column after column, the header's words come between a row's label and its
    # values: ``其他`` there is the column, not the row 3.其他, and the values stay with the row.
    old = (
        "                         一、本年新收政府信息公开申\n"
        "                       请数量                           16   2   0     0   1   0   19\n"
    )
    new = "一、本年新收政府信息公开申请数量\n社会\n组织\n总计\n其他\n" + "".join(
        f"{v}\n" for v in (16, 2, 0, 0, 1, 0, 19)
    )
    report = _read(tmp_path, old, new)
    assert {k: c.value for k, c in report.cells.items()} == _truth()


def test_a_list_number_with_the_rows_values_above_the_rest_of_its_label(tmp_path: Path) -> None:
    report = _read(
        tmp_path,
        "                                             3.其他               0    0   0     0   0   0   0\n",
        "                                             3.               0    0   0     0   0   0   0\n"
        "                                             其他\n",
    )
    assert {k: c.value for k, c in report.cells.items()} == _truth()


def test_a_pages_number_and_margins_between_the_lines_of_a_wrapped_label(tmp_path: Path) -> None:
    # The page turned inside a label: its number, then a browser's margins a line each.
    report = _read(
        tmp_path,
        "                         一、本年新收政府信息公开申\n",
        "                         一、本年新收政府信息公开申\n-3-\nfile:///x/a.html\n\n3/10\n\n11/30/26, 10:10 PM\n\n"
        "新河县自然资源局2023年政府信息公开工作年度报告_政府信息公开年报_新河县门户网站\n",
    )
    assert {k: c.value for k, c in report.cells.items()} == _truth()
