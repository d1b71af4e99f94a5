"""Crawler text dumps: a report on one line, its tables run together (issue 7, item 2)."""

from __future__ import annotations

import functools
import itertools
import operator
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.findings import audit
from auditor.model.digits import RowShape, readings, row_shape, split_values
from auditor.model.dump import split_headings
from auditor.model.template import TableSpec, load_template
from auditor.model.values import classify
from auditor.pipeline import parse_text
from auditor.rules.loader import pack_for
from tests.examplegen import crawler_dump

reportgen = pytest.importorskip("tests.reportgen", reason="report generator not available")

HEADER = "标题: 青川县水利局2023年政府信息公开工作年度报告\n发布时间: 2024-01-20 09:30\n"


def _dump(body: str) -> str:
    return HEADER + body.replace("\n", "") + "\n"


def test_inline_part_headings_are_cut_out() -> None:
    text = "前言。一、总体情况2023年，我局…二、主动公开政府信息情况 第二十条第（一）项…四、结转下年度继续办理 0 0"
    assert split_headings(text) == [
        "前言。",
        "一、总体情况",
        "2023年，我局…",
        "二、主动公开政府信息情况",
        "第二十条第（一）项…四、结转下年度继续办理 0 0",  # a row label is no part heading
    ]


ROW = RowShape(7, ((0, 6),))


def test_glued_row_with_exactly_one_split_that_adds_up() -> None:
    # 20 0 | 0 0 0 1 21: the only seven-number reading whose parts add up to the total.
    assert split_values("200 000121", ROW) == ["20", "0", "0", "0", "0", "1", "21"]


def test_one_digit_per_column_needs_no_sum() -> None:
    # A wrong total is the report's defect, not a reason to refuse the only reading.
    assert split_values("1000000", ROW) == ["1", "0", "0", "0", "0", "0", "0"]


def test_glued_row_with_several_readings_is_refused() -> None:
    assert split_values("396442278", RowShape(3, ())) is None
    # 1 2 3 | 12 3 | 1 23 all fit two columns of a row without a total.
    assert split_values("123", RowShape(2, ())) is None


def test_no_number_with_a_leading_zero() -> None:
    assert split_values("007", RowShape(3, ())) == ["0", "0", "7"]


def test_signed_and_decimal_tokens() -> None:
    assert split_values("35-15", RowShape(2, ())) == ["35", "-15"]
    assert split_values("9116.36", RowShape(1, ())) == ["9116.36"]


DUMP_2019 = """
青川县水利局2020年政府信息公开工作年度报告 根据《条例》要求编制本报告。
本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。
一、总体情况2020年，我局认真贯彻落实政务公开工作部署，全年主动公开政府信息312条。
二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件22 15
第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可396442278其他对外管理服务事项000
第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚000行政强制000
第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费0 0
第二十条第（九）项信息内容采购项目数量采购总金额（元）政府集中采购5120000
三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他
一、本年新收政府信息公开申请数量120 000113二、上年结转政府信息公开申请数量0000000
三、本年度办理结果（一）予以公开6000006（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000
（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000
4.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息0000000
7.属于行政执法案卷00000008.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息4000004
2.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请0000000
2.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请0000000
5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理2000103（七）总计120 000 1 13四、结转下年度继续办理0000000
四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉
结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000
五、存在的主要问题及改进情况 信息公开的及时性有待提高。六、其他需要报告的事项 本年度未收取信息处理费。
"""


def test_one_line_dump_reads_every_certain_cell() -> None:
    report = parse_text(_dump(DUMP_2019), "dump.txt")
    assert report.meta.format == "2019"
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    value = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert value["requests.received.natural_person"] == 12
    assert value["requests.received.total"] == 13
    assert value["requests.results_total.other_org"] == 1
    assert value["disclosure.regulations.total_published"] == 0
    assert value["appeals.litigation_after_review.total"] == 0
    # 396442278 and 22 15 have several readings; 5120000 two columns: none is guessed.
    for key in (
        "disclosure.licensing.decisions",
        "disclosure.normative_documents.new_made",
        "disclosure.procurement.items",
    ):
        assert report.cells[key].state.value == "unplaced"
    unsplit = [p for p in report.problems if p.code == "digits_unsplit"]
    assert len(unsplit) == 3 and any("396442278" in p.message for p in unsplit)


def test_units_glued_to_values_stay_with_them() -> None:
    assert split_values("1个246900元", RowShape(2, ())) == ["1个", "246900元"]
    assert split_values("2笔 984361元", RowShape(2, ())) == ["2笔", "984361元"]
    assert split_values("3000元", RowShape(3, ())) == ["30", "0", "0元"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [("1个246900元", (1, 246900)), (" 2笔 984361元 ", (2, 984361)), (" 8 2059.2090 万元 ", (8, 20592090))],
)
def test_the_last_rows_values_keep_their_units(values: str, expected: tuple[int, int]) -> None:
    # The last row of table 二 is followed by part 三: its units are no prose, no row name.
    body = DUMP_2019.replace("采购总金额（元）政府集中采购5120000", "采购总金额政府集中采购" + values)
    report = parse_text(_dump(body), "dump.txt")
    items, amount = (report.cells[f"disclosure.procurement.{c}"] for c in ("items", "amount_yuan"))
    assert (items.value, amount.value) == expected
    assert amount.raw.endswith("元")
    assert not report.unplaced_rows


@pytest.mark.parametrize(("printed", "expected"), [("16减12", (16, -12)), ("3 增加2", (3, 2)), ("5减少 1", (5, -1))])
def test_a_change_signed_in_words_is_a_signed_value(printed: str, expected: tuple[int, int]) -> None:
    # 本年增/减 printed as 减12 (seen in a real 2019 dump): 16 items last year, 12 fewer.
    body = DUMP_2019.replace("行政事业性收费0 0", "行政事业性收费" + printed)
    report = parse_text(_dump(body), "dump.txt")
    fees = (report.cells[f"disclosure.fees.{c}"] for c in ("prior_items", "change"))
    assert tuple(c.value for c in fees) == expected
    assert not report.unplaced_rows
    assert classify("减12") is not None and classify("减12").amount == -12  # type: ignore[union-attr]


def test_table_3_rows_of_the_2021_format_in_a_2019_format_dump_do_not_end_the_table() -> None:
    # A real 2021 report printed table 二 the 2019 way (so it reads as 2019) and table 三 the
    # 2021 way, with （六）'s three sub-rows: the rows after them are still table 三's.
    sub_rows = (
        "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0 0 0 0 0 00"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请0 0 0 0 0 00其他2 0 0 0 1 03"
    )
    report = parse_text(_dump(DUMP_2019.replace("（六）其他处理2000103", sub_rows)), "dump.txt")
    assert report.meta.format == "2019"
    assert not [p for p in report.problems if p.code == "table_repeated"]
    assert report.cells["requests.results_total.other_org"].value == 1
    assert report.cells["requests.carried_over.total"].value == 0
    assert report.cells["requests.other.total"].state.value not in ("number", "blank")  # not read, not guessed


def _readings(digits: str, columns: int, total: bool) -> int:
    """How many readings of a glued row fit its columns (and its total): an independent oracle."""
    tokens = digits.split()

    def ways(token: str) -> list[list[int]]:
        found = []
        for k in range(1, len(token) + 1):
            for cuts in itertools.combinations(range(1, len(token)), k - 1):
                parts = [token[a:b] for a, b in itertools.pairwise((0, *cuts, len(token)))]
                if all(p == "0" or not p.startswith("0") for p in parts):
                    found.append([int(p) for p in parts])
        return found

    fits = [functools.reduce(operator.iadd, combo, []) for combo in itertools.product(*map(ways, tokens))]
    fits = [f for f in fits if len(f) == columns]
    if len(fits) > 1 and total:
        fits = [f for f in fits if sum(f[:-1]) == f[-1]]
    return len(fits)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**6), fmt=st.sampled_from(("2019", "2021")))
def test_generated_dumps_never_misplace_and_read_what_is_unique(seed: int, fmt: str) -> None:
    generated = reportgen.make_report(seed, fmt=fmt, layout="tab", blanks=False)
    dump = crawler_dump(generated.text, random.Random(seed), generated.text.split("\n")[0] + "\n")
    report = parse_text(dump, "dump.txt")
    for key, truth in generated.cells.items():
        cell = report.cells.get(key)
        if cell is not None and cell.state.value in ("number", "blank"):
            assert cell.value == pytest.approx(truth), key  # never a wrong value
    # Every table-三 row whose glued digits have one reading is read.
    for line in dump.split("\n"):
        for label, digits in re.findall(r"(（七）总计|四、结转下年度继续办理)([\d ]+)", line):
            row = "results_total" if "总计" in label else "carried_over"
            if _readings(digits.strip(), 7, True) == 1:
                assert report.cells[f"requests.{row}.total"].state.value == "number", (label, digits)


DUMP_2021 = """
南屿县司法局2021年政府信息公开工作年度报告 本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。
一、总体情况2021年，我局全年主动公开政府信息418条。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000
行政规范性文件101第二十条第（五）项信息内容本年处理决定数量行政许可88第二十条第（六）项信息内容本年处理决定数量行政处罚12行政强制0
第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0
三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他
一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000
三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）5000005
（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000
4.保护第三方合法权益00000005.属于三类内部事务信息10000016.属于四类过程性信息00000007.属于行政执法案卷6000006
8.属于行政查询事项1000001（四）无法提供1.本机关不掌握相关政府信息2200003252.没有现成信息需要另行制作0000000
3.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请00000003.要求提供公开出版物0000000
4.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000
（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001
（七）总计630020469四、结转下年度继续办理1000001
四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉
结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000
五、存在的主要问题及改进情况 政策解读形式还不够丰富。六、其他需要报告的事项 本年度未收取信息处理费。
"""


def test_a_year_opening_the_sentence_after_a_tables_last_row_is_no_value() -> None:
    # Real dumps with no heading between a table and the next paragraph: "行政事业性收费0" +
    # "2021年，我局…" and "四、结转下年度继续办理1000001" + "2021年，我局…".
    body = DUMP_2021.replace("行政事业性收费0\n", "行政事业性收费02021年，我局严格按照条例公开信息。\n").replace(
        "四、结转下年度继续办理1000001\n", "四、结转下年度继续办理10000012021年，我局共收到申请64件。\n"
    )
    report = parse_text(_dump(body), "dump.txt")
    assert report.cells["disclosure.fees.amount_wan"].value == 0
    assert [report.cells[f"requests.carried_over.{c}"].value for c in ("natural_person", "total")] == [1, 1]


def test_a_number_with_a_leading_zero_is_no_single_value() -> None:
    assert readings("02025", RowShape(1, ())) == []
    assert readings("0", RowShape(1, ())) == [["0"]]


@pytest.mark.parametrize(
    "closing",
    [
        " 南屿县司法局 2022年1月3日",
        " 南屿县司法局2022年1月3日 附件下载",
        " 南屿县司法局 2022年1月3日 抄送：县纪委监委驻县司法局纪检监察组。 南屿县司法局办公室 2022年1月3日印发",
    ],
)
def test_a_dumps_signature_is_read(closing: str) -> None:
    # Real dumps run the 落款 on after the last sentence: its date is the report's signing date.
    report = parse_text(_dump(DUMP_2021.rstrip("\n") + closing + "\n"), "dump.txt")
    assert report.meta.signed is not None and report.meta.signed.isoformat() == "2022-01-03"
    assert report.section(6) is not None


@pytest.mark.parametrize(
    ("closing", "signed"),
    [
        (" 附件：1.南屿县交通运输局2014年政府信息公开情况统计表 南屿县交通运输局 2015年2月4日", "2015-02-04"),
        # Real 2011–2014 reports: Chinese numerals (元月 is January), then what follows a 落款.
        (" 南屿县交通运输局 二○一二年元月二十日 附件下载", "2012-01-20"),
        (" 南屿县交通运输局 2013年3月8日 附件 南屿县交通运输局2012年政府信息公开情况统计表 指标名称", "2013-03-08"),
        (" 二○一四年三月十七日 七、需要说明的事项与附表 指标名称 计量单位", "2014-03-17"),
        (" 南屿县科技文体局 二0一三年三月十三日 附件下载", "2013-03-13"),  # a Latin 0 for 〇
        (" 南屿县交通运输局 2015年1月11日 指 标 名 称计量单位本年数上年数", "2015-01-11"),  # a table, no label
        (" 南屿县交通运输局 2022年1月7日 南屿县交通运输局办公室 2022年1月9日印发", "2022-01-07"),  # not the 版记
    ],
)
def test_a_one_line_report_without_tables_still_has_its_signature_read(closing: str, signed: str) -> None:
    # A report crawled onto one line, no table of either format to re-line.
    body = "南屿县交通运输局2014年政府信息公开工作年度报告 " + "本局认真贯彻落实条例，主动公开政府信息。" * 30
    report = parse_text(body + closing + "\n", "dump.txt")
    assert report.meta.signed is not None and report.meta.signed.isoformat() == signed


def test_column_sums_settle_rows_whose_own_sum_does_not() -> None:
    requests = load_template("2021").tables["requests"]
    shape = row_shape(requests, requests.rows["granted"].columns)
    assert len(readings("270020130", shape) or []) > 1  # 27 0 0 2 0 1 30, 2 7 0 0 20 1 30, …
    assert len(readings("220000325", shape) or []) > 1
    report = parse_text(_dump(DUMP_2021), "dump.txt")
    value = {k: c.value for k, c in report.cells.items() if c.state.value == "number"}
    assert [value[f"requests.granted.{c}"] for c in shape_columns(requests)] == [27, 0, 0, 2, 0, 1, 30]
    assert [value[f"requests.unable.not_held.{c}"] for c in shape_columns(requests)] == [22, 0, 0, 0, 0, 3, 25]
    settled = [p for p in report.problems if p.code == "digits_settled"]
    assert len(settled) == 2 and "按表内各列合计关系唯一拆分" in settled[0].message
    assert report.cells["disclosure.normative_documents.issued"].state.value == "number"  # 1 0 1: one digit each
    assert [p.code for p in report.problems if p.code == "digits_unsplit"] == []


def shape_columns(spec: TableSpec) -> tuple[str, ...]:
    return spec.rows["granted"].columns


def test_variant_row_labels_inside_a_run_are_read() -> None:
    # Printed labels that differ from the format's (和 added, 受理 for 处理) still name their
    # rows; 其他 inside 其他法律… is no label of its own.
    body = DUMP_2019.replace("2.其他法律行政法规禁止公开", "2.其他法律和行政法规禁止公开")
    report = parse_text(_dump(body), "dump.txt")
    assert report.cells["requests.denied.prohibited_by_law.total"].value == 0
    assert report.cells["requests.denied.state_secret.total"].value == 0
    assert report.cells["requests.other.total"].value == 3
    assert len([p for p in report.problems if p.code == "digits_unsplit"]) == 3  # DUMP_2019's own three
    assert not [p for p in report.problems if p.code == "stray_value"]


@pytest.mark.parametrize("seed", range(3))
def test_variant_labels_of_the_2021_format_rows(seed: int) -> None:
    generated = reportgen.make_report(seed, fmt="2021", layout="tab", blanks=False, label_noise=False)
    dump = crawler_dump(generated.text, random.Random(seed), generated.text.split("\n")[0] + "\n")
    text = dump.replace("不再处理其政府信息公开申请", "不再受理其政府信息公开申请")
    assert text != dump
    report = parse_text(text, "dump.txt")
    for key in ("requests.other.no_correction.total", "requests.other.unpaid_fee.total"):
        assert report.cells[key].value == generated.cells[key], key


def test_a_label_word_inside_prose_is_no_row() -> None:
    body = DUMP_2019.replace("信息公开的及时性有待提高。", "信息公开的及时性有待提高，规章制度有待完善。")
    report = parse_text(_dump(body), "dump.txt")
    assert report.cells["disclosure.regulations.total_published"].value == 0
    assert not report.unplaced_rows


def test_a_2021_dump_printing_the_2019_other_row_is_read_as_that_row() -> None:
    # （六）其他处理 with its values and no sub-rows: the 2019 table's single row, read as such
    # (VER-002 reports the missing sub-rows; no row is 'missing', no value stray).
    start = DUMP_2021.index("（六）其他处理")
    end = DUMP_2021.index("（七）总计")
    report = parse_text(_dump(DUMP_2021[:start] + "（六）其他处理1000001" + DUMP_2021[end:]), "dump.txt")
    columns = shape_columns(load_template("2021").tables["requests"])
    assert [report.cells[f"requests.other.{c}"].value for c in columns] == [1, 0, 0, 0, 0, 0, 1]
    assert [p.code for p in report.problems if p.code in ("legacy_row", "stray_value")] == ["legacy_row"]


@pytest.mark.parametrize(
    ("printed", "variant", "key", "value"),
    [
        # The first row after the header labels, the last row of the table.
        ("一、本年新收政府信息公开申请数量640020470", "一、本年新收政府信息公开申请数640020470", "received", 70),
        ("四、结转下年度继续办理1000001", "四、结转下年度办理1000001", "carried_over", 1),
    ],
)
def test_variant_labels_at_either_end_of_a_run(printed: str, variant: str, key: str, value: int) -> None:
    assert printed in DUMP_2021
    report = parse_text(_dump(DUMP_2021.replace(printed, variant)), "dump.txt")
    assert report.cells[f"requests.{key}.total"].value == value


def _wrapped(text: str, width: int) -> str:
    """The text hard-wrapped about every ``width`` characters, never between two digits."""
    out, run = [], 0
    for ch in text:
        out.append(ch)
        run += 1
        if run >= width and not ch.isdigit():
            out.append("\n")
            run = 0
    return "".join(out)


def _read(report_text: str) -> dict[str, object]:
    report = parse_text(report_text, "dump.txt")
    return {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}


@pytest.mark.parametrize("body", [DUMP_2019, DUMP_2021], ids=["2019", "2021"])
def test_a_dump_kept_on_a_few_lines_reads_as_on_one(body: str) -> None:
    # Line breaks where the page had them (DUMP_*'s own), before every numbered heading or
    # label, or every 60 characters: the same cells as the one-line dump, all six parts.
    one_line = _read(_dump(body))
    assert len(one_line) >= 190
    for variant in (body, re.sub(r"(?=[一二三四五六]、)", "\n", body.replace("\n", "")), _wrapped(body, 60)):
        report = parse_text(HEADER + variant + "\n", "dump.txt")
        assert {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")} == one_line
        assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("seed", range(4))
def test_generated_dumps_wrapped_to_a_width_read_as_on_one_line(seed: int) -> None:
    generated = reportgen.make_report(seed, fmt="2021", layout="tab", blanks=False, label_noise=False)
    header = generated.text.split("\n")[0] + "\n"
    dump = crawler_dump(generated.text, random.Random(seed), header)
    body = dump[len(header) :]
    assert _read(header + _wrapped(body, 40 + 20 * seed)) == _read(dump)


def test_one_reading_chosen_only_by_the_leading_zero_rule_is_not_taken_when_its_sums_fail() -> None:
    shape = RowShape(7, ((0, 6),))
    assert readings("5100000", shape) == [["5", "1", "0", "0", "0", "0", "0"]]  # the report's own 总计 0
    assert readings("40000002", shape) == []  # 40 … 2: a glued list number would read the same


@pytest.mark.parametrize("separator", ["|", " | ", "｜"])
def test_a_dump_whose_text_nodes_are_joined_with_pipes(separator: str) -> None:
    # Some crawlers join a page's text nodes with pipes: all six parts and every cell read.
    generated = reportgen.make_report(3, fmt="2021", layout="tab", blanks=False, label_noise=False)
    lines = [separator.join(f for f in line.split("\t") if f.strip()) for line in generated.text.split("\n")]
    report = parse_text(lines[0] + "\n" + separator.join(lines[1:]) + "\n", "dump.txt")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == {k: v for k, v in generated.cells.items() if k in read} and len(read) == len(generated.cells)
    assert report.meta.agency == generated.agency and report.meta.year == generated.year


def test_a_pipe_joined_dump_row_missing_a_cell_is_not_split_to_fill_it() -> None:
    # A converter dropped a row's 总计 (``| 一、本年新收… | 55 | 0 | 0 | 0 | 0 | 0 |``), then
    # the page was run onto one line. ``55`` is a whole cell: read as 5 and 5 it filled
    # seven columns and blamed the body for a total of 0.
    generated = reportgen.make_report(2, fmt="2021", layout="tab", blanks=False, label_noise=False)
    assert generated.cells["requests.received.natural_person"] == 55  # ``55 0 0 0 0 0``: 5 5 0 0 0 0 0?
    lines = []
    for line in generated.text.split("\n"):
        fields = [f for f in line.split("\t") if f.strip()]
        if "本年新收政府信息公开申请数量" in line:
            fields = fields[:-1]
        lines.append(" | ".join(fields))
    report = parse_text(lines[0] + "\n" + " | ".join(lines[1:]) + "\n", "dump.txt")
    row = [report.cells[f"requests.received.{c}"] for c in ("natural_person", "commercial", "total")]
    assert all(c.state.value == "unplaced" for c in row), row
    findings = audit(report, pack_for(report)).findings
    assert not [f for f in findings if f.severity == "error" and "requests.received.total" in f.cells]


def test_a_unit_glued_to_digits_the_column_sums_settle_is_no_crash() -> None:
    # 270020130件: several readings, settled by the table's column sums, each with the unit.
    report = parse_text(_dump(DUMP_2021.replace("（一）予以公开270020130", "（一）予以公开270020130件")), "dump.txt")
    requests = load_template("2021").tables["requests"]
    assert [report.cells[f"requests.granted.{c}"].value for c in shape_columns(requests)] == [27, 0, 0, 2, 0, 1, 30]


def test_qi_ta_is_qi_ta() -> None:
    # 其它 and 其他 are one word; reports print both.
    text = DUMP_2021.replace("3.其他1000001", "3.其它1000001").replace("法律服务机构其他", "法律服务机构其它")
    report = parse_text(_dump(text), "dump.txt")
    assert report.cells["requests.other.misc.total"].value == 1
    assert report.cells["requests.received.other_org"].value == 4


def test_a_label_wrapped_around_its_centred_values_in_a_flattened_pdf_text() -> None:
    # A PDF cell wraps a long label over lines and centres the values on a middle one; the
    # page's text flattened onto one line prints the label's first words, the values, then
    # its last words. The list number and first words name the row; the last words are the
    # label's, not prose after the table.
    generated = reportgen.make_report(5, fmt="2021", year=2023, layout="tab", label_noise=False)
    text = generated.text
    for label, cut in (("3.危及“三安全一稳定”", 7), ("8.属于行政查询事项", 6)):
        line = next(ln for ln in text.split("\n") if label in ln)
        values = line.split(label, 1)[1].split("\t")
        head, rest = label[:cut], label[cut:]
        text = text.replace(line, line.split(label, 1)[0] + head + " ".join(values) + " " + rest)
    flat = re.sub(r"\s*\n\s*|\t", " ", text)
    report = parse_text(flat, "flat.txt")
    for row in ("denied.three_safeties", "denied.administrative_inquiry"):
        keys = [k for k in generated.cells if k.startswith(f"requests.{row}.")]
        assert keys and {k: report.cells[k].value for k in keys} == {k: generated.cells[k] for k in keys}
    result = audit(report, pack_for(report))
    assert not [f for f in result.findings if f.rule.startswith("TBL-")]
