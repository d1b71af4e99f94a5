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


@pytest.mark.parametrize(("extra", "read"), [("| — | 3 |", True), ("| / |", True), ("| 无 | 0 | 0 |", False)])
def test_a_surplus_row_holding_a_blank_is_a_warning_not_a_crash(extra: str, read: bool) -> None:
    # A markdown row of table 三 with more cells than columns, one of them a blank mark:
    # placement once raised StopIteration looking for the row's unsplit digits. The row
    # (``19 0 0 0 0 0 19``) is read when only one way of dropping one or two extra cells
    # leaves it adding up to its 总计 (a blank adds up to nothing); three extra cells are too
    # many to trust a sum, so nothing is placed.
    generated = make_report(2, fmt="2021", layout="markdown", blanks=False, label_noise=False)
    lines = generated.text.split("\n")
    row = next(n for n, line in enumerate(lines) if "（一）予以公开" in line and line.startswith("|"))
    lines[row] = lines[row].rstrip().rstrip("|") + extra
    report = parse_text("\n".join(lines), "surplus.md")
    assert "row_surplus" in [p.code for p in report.problems]
    total = report.cells["requests.granted.total"]
    if read:
        assert total.value == generated.cells["requests.granted.total"]
    else:
        assert total.state.value == "unplaced"


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


# A real page flattened to text, one table row per line (the page's chrome around it).
PAGE = """首页 政务公开 政府信息公开 领导之窗 政府机构 要闻 政府会议 最新文件 政策文件库 政府工作报告 公示公告 规划信息
政府信息公开年报
名称 青川县水利局2019年政府信息公开工作年度报告
一、总体情况
2019年，我局全年主动公开政府信息1356条，发布现行有效行政规范性文件393件，动态更新目录。
二、主动公开政府信息情况
第二十条第（八）项
信息内容 上一年项目数量 本年增/减
行政事业性收费 16 减12
第二十条第（九）项
信息内容 采购项目数量 采购总金额
政府集中采购 {procurement}
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况
自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
三、本年度办理结果 （一）予以公开 3 0 0 0 0 0 3
五、存在的主要问题及改进情况
信息公开的及时性有待提高。
六、其他需要报告的事项
本年度未收取信息处理费。
友情链接
新华网
其他
信用中国
"""


@pytest.mark.parametrize(("procurement", "expected"), [("3 147230元", (3, 147230)), ("1个 246900元", (1, 246900))])
def test_a_flattened_page_keeps_its_title_values_with_units_and_ignores_its_footer(
    procurement: str, expected: tuple[int, int]
) -> None:
    report = parse_text(PAGE.format(procurement=procurement), "page.txt")
    # Counts in prose ("信息1356条，") are no glued table rows: the page is no dump to re-line.
    assert report.meta.title == "青川县水利局2019年政府信息公开工作年度报告"  # its 名称 field dropped
    assert report.meta.agency == "青川县水利局"
    cells = report.cells
    assert (cells["disclosure.procurement.items"].value, cells["disclosure.procurement.amount_yuan"].value) == expected
    assert (cells["disclosure.fees.prior_items"].value, cells["disclosure.fees.change"].value) == (16, -12)
    assert cells["requests.granted.total"].value == 3
    # The footer's 其他 link, after part 六, is no column of table 三 printed a second time.
    assert not [p for p in report.problems if p.code == "table_repeated"]


def test_header_labels_wrapped_in_their_cells_are_joined_again() -> None:
    # A page's header cells print "结果<br>纠正": flattened, a label comes out in pieces.
    generated = make_report(4, fmt="2021", year=2022, layout="tab", blanks=False, label_noise=False)
    text = _row_lines(generated.text, " ")
    for label in ("结果维持", "结果纠正", "其他结果", "尚未审结"):
        text = text.replace(label, f"{label[:2]} {label[2:]}")
    report = parse_text(text, "rows.txt")
    appeals = [k for k in generated.cells if k.startswith("appeals.")]
    assert {k: report.cells[k].value for k in appeals} == {k: generated.cells[k] for k in appeals}
    assert not [p for p in report.problems if "表四" in p.message]
