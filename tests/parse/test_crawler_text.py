"""A web page as crawlers save it as text: what html2text, inscriptis and a plain "save as
text" do to a report's tables, headings and dates, and the site's frame they keep.

Each case rewrites one part of a bundled example the way such a tool prints it (shapes
seen on real government pages) and asserts the cells or parts that must still be read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.model.placement import Slot
from auditor.model.tables import RowText, TableText, set_displaced_apart
from auditor.model.template import load_template
from auditor.model.types import CellState, Report
from auditor.model.values import classify
from auditor.pipeline import parse_text
from tests.parse.printed import rewritten
from tests.reportgen import make_report

BASE = Path(__file__).parents[2] / "examples" / "2025_tongjiang_health_markdown.txt"
TABLE_FOUR = """| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| 结果 维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |
|  |  |  |  |  | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""
APPEALS = {"review": (1, 0, 0, 0, 1), "litigation_direct": (0, 0, 0, 0, 0), "litigation_after_review": (2, 0, 0, 0, 2)}
COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def _variant(tmp_path: Path, old: str, new: str) -> Report:
    return rewritten(BASE, tmp_path / "page.txt", old, new)


def _appeals(report: Report) -> dict[str, tuple[int | float | None, ...]]:
    return {g: tuple(report.cells[f"appeals.{g}.{c}"].value for c in COLUMNS) for g in APPEALS}


def test_html2text_table_whose_wrapped_header_cells_broke_its_rows(tmp_path: Path) -> None:
    # Header cells holding a <br> start new lines: the rows after them are no markdown table.
    broken = (
        "行政复议| 行政诉讼  \n---|---  \n结果维持| 结果  \n纠正| 其他  \n结果| 尚未  \n"
        "审结| 总计| 未经复议直接起诉| 复议后起诉  \n结果  \n维持| 结果  \n纠正| 其他  \n结果| 尚未  \n"
        "审结| 总计| 结果  \n维持| 结果  \n纠正| 其他  \n结果| 尚未  \n审结| 总计  \n"
        "1| 0| 0| 0| 1| 0| 0| 0| 0| 0| 2| 0| 0| 0| 2  \n"
    )
    report = _variant(tmp_path, TABLE_FOUR, broken)
    assert _appeals(report) == APPEALS
    assert report.tables["appeals"].unknown_labels == ()


def test_inscriptis_header_rows_as_spaced_words_keep_table_four_open(tmp_path: Path) -> None:
    spaced = (
        "行政复议  行政诉讼\n\n"
        "结果维持  结果    其他  尚未  总计  未经复议直接起诉  复议后起诉\n"
        "      纠正    结果  审结\n\n"
        "结果    结果    其他  尚未  总计  结果        结果     其他  尚未  总计\n"
        "维持    纠正    结果  审结      维持        纠正     结果  审结\n\n"
        "1     0     0   0   1   0         0      0   0   0   2  0  0  0  2\n"
    )
    report = _variant(tmp_path, TABLE_FOUR, spaced)
    assert _appeals(report) == APPEALS


def test_a_year_whose_digits_a_crawler_set_apart(tmp_path: Path) -> None:
    # The page printed the year in two inline runs (``202<span>5</span>``).
    report = _variant(tmp_path, "统计期限为2025年1月1日至2025年12月31日", "统计期限为202 5 年1月1日至202 5 年12月31日")
    assert report.meta.period is not None
    assert (report.meta.period.start, report.meta.period.end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_bold_heading_with_spaces_inside_its_marks(tmp_path: Path) -> None:
    report = _variant(tmp_path, "## 一、总体情况\n", "**  一、总体情况** \n")
    part1 = next(s for s in report.sections if s.number == 1)
    assert part1.title == "一、总体情况"


def test_an_empty_bold_mark_is_no_row_label(tmp_path: Path) -> None:
    report = _variant(
        tmp_path, "## 三、收到和处理政府信息公开申请情况", "****\n\n## 三、收到和处理政府信息公开申请情况"
    )
    assert report.tables["disclosure"].unknown_labels == ()


def test_the_sites_frame_after_part_six_is_not_part_of_it(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    frame = "\n附件下载\n扫一扫在手机上查看当前页面\n【打印本页】 \n网站标识码：3501000001\n闽ICP备05012345号-1\n"
    report = _variant(tmp_path, last, last + frame)
    part6 = next(s for s in report.sections if s.number == 6)
    assert part6.text.rstrip().endswith(last.strip())
    assert "附件下载" not in part6.text


def test_a_cell_html2text_broke_onto_a_new_line_leaves_its_row_unread(tmp_path: Path) -> None:
    # ``<td>0<br></td>`` ends the row's line early; the rest of its cells follow on the next
    # line. Where each value stood is no longer known: unplaced, never blank.
    report = _variant(
        tmp_path,
        "| 四、结转下年度继续办理 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        "| 四、结转下年度继续办理 |  |  | 0 |  |\n|  | 0 | 0 | 0 | 0 | 0 | 0 |\n",
    )
    cells = [report.cells[f"requests.carried_over.{c}"] for c in ("natural_person", "commercial", "total")]
    assert {c.state for c in cells} == {CellState.UNPLACED}


def test_a_unit_on_a_line_of_its_own_under_its_number(tmp_path: Path) -> None:
    # A cell of two inline runs (``<span>82</span><span>元</span>``) as one line each.
    source = BASE.parent / "2024_nanhu_district_market_paragraph.txt"
    report = rewritten(source, tmp_path / "page.txt", "行政事业性收费\n\n0.0082\n", "行政事业性收费\n\n82\n元\n")
    fee = report.cells["disclosure.fees.amount_wan"]
    assert (fee.value, fee.raw) == (0.0082, "82元")


def test_a_values_row_above_its_label_row_is_reattached_not_blank(tmp_path: Path) -> None:
    # A PDF-to-markdown converter's made-up table: the values come as a row of their own
    # above their label's row, whose fields are empty.
    report = _variant(
        tmp_path,
        "| 三、本年度办理结果 | （一）予以公开 |  | 32 | 0 | 0 | 3 | 0 | 0 | 35 |\n",
        "|  |  |  | 32 | 0 | 0 | 3 | 0 | 0 | 35 |\n| 三、本年度办理结果 | （一）予以公开 |  |  |  |  |  |  |  |  |\n",
    )
    states = {report.cells[f"requests.granted.{c}"].state for c in ("natural_person", "total")}
    assert CellState.BLANK not in states


def test_a_label_row_of_empty_fields_next_to_values_no_row_took_is_displaced() -> None:
    # Where order and sums cannot pair them, the label row is printed but not read: its
    # empty fields are no blank cells. The rest of a cut row comes after it; the values of
    # a row printing none may come on the line before.
    empty = [Slot(None, 10, 1, f) for f in range(2, 9)]
    for loose_line, row_slots, displaced in ((9, empty, True), (9, [Slot(classify("1"), 10, 0, 2), *empty[1:]], False)):
        table = TableText("requests", 1, 20)
        table.rows = [RowText("requests", "granted", 10, "markdown", list(row_slots))]
        table.loose = [RowText("requests", "", loose_line, "markdown", [Slot(classify("0"), loose_line, 0, 3)])]
        set_displaced_apart(table, load_template("2021").tables["requests"])
        assert [r.key for r in table.displaced] == (["granted"] if displaced else [])


def test_a_sub_tables_own_header_says_where_its_values_sit(tmp_path: Path) -> None:
    # A converter's made-up block of table 二 puts its columns one field further than the
    # other blocks' full rows do, and prints one of its two values: its own header row says
    # which column that value is in.
    text = make_report(3, fmt="2019", layout="markdown", label_noise=False).text
    old = "| 信息内容 | 采购项目数量 | 采购总金额 |  |\n| 政府集中采购 | 1 | 306156元 |  |\n"
    new = "| 信息内容 |  | 采购项目数量 |  | 采购总金额 |\n| 政府集中采购 |  | 1 |  |  |\n"
    assert text.count(old) == 1
    report = parse_text(text.replace(old, new), "block.md")
    cells = (report.cells["disclosure.procurement.items"], report.cells["disclosure.procurement.amount_yuan"])
    assert [c.value for c in cells] == [1, None]
