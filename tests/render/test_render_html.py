"""Report pages and the index page, parsed (no browser): layout, cross-links, escaping."""

from __future__ import annotations

import time
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # python-docx depends on lxml; it ships no stubs

from auditor.render import ReportEntry
from auditor.render.formats import index_html, report_html
from tests.render import render_records

Tree = Any


def _page(record: dict[str, Any]) -> Tree:
    return lxml.html.fromstring(report_html.render(record))


def _cell(tree: Tree, key: str) -> Tree:
    found = tree.xpath(f'//td[@id="cell-{key}"]')
    assert len(found) == 1, key
    return found[0]


def test_blamed_cell_is_highlighted_with_expected_value_and_links_back(rec2019: dict[str, Any]) -> None:
    tree = _page(rec2019)
    cell = _cell(tree, "requests.results_total.total")
    assert "blamed" in cell.get("class").split()
    assert cell.xpath('string(span[@class="exp"])') == "应为 333"
    assert cell.text == "46"
    assert [a.get("href") for a in cell.xpath(".//a")] == ["#finding-2"]
    finding = tree.xpath('//li[@id="finding-2"]')[0]
    assert finding.get("data-severity") == "error"
    assert "#cell-requests.results_total.total" in [a.get("href") for a in finding.xpath(".//a")]
    # Only blamed cells are marked.
    blamed = {td.get("data-key") for td in tree.xpath('//td[contains(concat(" ", @class, " "), " blamed ")]')}
    assert blamed == {"requests.results_total.total", "disclosure.procurement.amount_yuan"}
    # Every finding link lands on an element of the page.
    ids = set(tree.xpath("//@id"))
    assert all(a.get("href")[1:] in ids for a in tree.xpath('//a[starts-with(@href, "#")]'))


def test_tables_follow_the_template_of_the_format(rec2019: dict[str, Any], rec2021: dict[str, Any]) -> None:
    old, new = _page(rec2019), _page(rec2021)
    assert [h.text for h in old.xpath("//h2[starts-with(@id, 'table-')]")] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert "采购总金额" in old.xpath("string(//table[@class='grid'][1])")
    assert "本年收费金额（单位：万元）" in new.xpath("string(//table[@class='grid'][1])")
    other, other_misc = '//td[@id="cell-requests.other.total"]', '//td[@id="cell-requests.other.misc.total"]'
    assert old.xpath(other) and not old.xpath(other_misc)
    assert new.xpath(other_misc) and not new.xpath(other)
    # Table 三 has its row labels and grouped sub-rows.
    labels = [td.text for td in old.xpath("//table[@class='grid'][2]//td[contains(@class, 'label')]")]
    assert labels[:4] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
                          "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]  # fmt: skip
    assert "（三）不予公开" in labels and "8.属于行政查询事项" in labels
    # Table 四: three groups of five columns in one row.
    appeals = old.xpath("//table[@class='grid'][3]")[0]
    assert [th.text for th in appeals.xpath(".//tr[1]/th")] == ["行政复议", "行政诉讼"]
    assert len(appeals.xpath(".//td[starts-with(@id, 'cell-appeals.')]")) == 15


def test_cell_states_and_unplaced_rows_are_shown(rec2019: dict[str, Any]) -> None:
    tree = _page(rec2019)
    assert _cell(tree, "disclosure.regulations.total_published").text == "/"
    assert "st-blank" in _cell(tree, "disclosure.regulations.total_published").get("class")
    assert _cell(tree, "requests.other.total").text == "3（含2件转办）"
    assert "absent" in _cell(tree, "appeals.litigation_after_review.pending").get("class")
    assert "st-unplaced" in _cell(tree, "requests.granted.total").get("class")
    note = tree.xpath('//li[@id="row-requests.granted"]')[0].text_content()
    assert "266、7、1、2、5、281" in note and "第131行" in note


def test_stray_blamed_cell_gets_its_own_table(rec2021: dict[str, Any]) -> None:
    tree = _page(rec2021)
    stray = _cell(tree, "disclosure.procurement.items")
    assert "blamed" in stray.get("class")
    assert stray.xpath("ancestor::table/preceding-sibling::h2[1]")[0].text == "表外单元格"
    expected = _cell(tree, "appeals.review.total")
    assert expected.xpath('string(span[@class="exp"])') == "应为 4"


def test_score_and_deductions(rec2019: dict[str, Any]) -> None:
    tree = _page(rec2019)
    assert tree.xpath('string(//*[@id="score"])') == "80.5"
    rows = tree.xpath("//div[@class='score']//table//tr")[1:]
    assert [r.xpath("string(td[1])") for r in rows] == ["PUB-001", "COL-002", "VAL-006", "SEC-004"]
    assert rows[0].xpath("string(td[3])") == "-10"


def test_report_text_is_escaped(rec_script: dict[str, Any]) -> None:
    html = report_html.render(rec_script).decode()
    assert "<script>" not in html  # the page has no script of its own
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath("string(//h1)").startswith(render_records.SCRIPT_AGENCY)
    assert tree.xpath('string(//li[@id="finding-1"]/div[@class="msg"])') == render_records.SCRIPT_MESSAGE
    assert _cell(tree, "requests.received.total").text == "<i>12</i>"


def test_page_is_self_contained(rec2019: dict[str, Any]) -> None:
    tree = _page(rec2019)
    assert not tree.xpath("//script[@src] | //link[@rel='stylesheet'] | //img | //iframe")
    refs = tree.xpath("//@href | //@src")
    assert all(r.startswith(("#", "data:")) for r in refs), refs


def _index(records: list[dict[str, Any]]) -> Tree:
    entries = [
        ReportEntry(r, {} if r["status"] == "failed" else {"html": f"reports/r{i}.html", "docx": f"reports/r{i}.docx"})
        for i, r in enumerate(records)
    ]
    return lxml.html.fromstring(index_html.render(entries))


def test_index_lists_every_report_with_failures_and_charts(records: list[dict[str, Any]]) -> None:
    tree = _index(records)
    assert [th.text for th in tree.xpath("//table[@id='reports']//th")][:8] == [
        "文件", "单位", "年度", "格式", "得分", "等级", "错误", "警告",
    ]  # fmt: skip
    rows = tree.xpath("//table[@id='reports']/tbody/tr")
    assert len(rows) == 4
    assert rows[0].xpath("string(td[1]/a[1]/@href)") == "reports/r0.html"
    assert [td.text_content() for td in rows[0].xpath("td")][1:9] == [
        "岳阳市人民政府", "2020", "2019版", "80.5", "良好", "2", "2", "1",
    ]  # fmt: skip
    failed = rows[2]
    assert "failed" in failed.get("class").split()
    assert "读取失败" in failed.text_content() and "无法识别文件格式" in failed.text_content()
    assert failed.xpath("td[5]/@data-v") == [""]  # sorts after every score
    assert tree.xpath("string(//table[@id='reports']/tbody/tr[4]/td[2])") == render_records.SCRIPT_AGENCY
    charts = tree.xpath("//svg")
    assert len(charts) == 2
    assert len(charts[0].xpath(".//rect[@class='bar']")) == 10
    histogram = {r.xpath("string(title)") for r in charts[0].xpath(".//rect[@class='bar']")}
    assert {"80–90分：1份", "90–100分：2份", "0–10分：0份"} <= histogram


def test_rule_chart_puts_the_most_frequent_rule_first(rec2019: dict[str, Any], rec2021: dict[str, Any]) -> None:
    rec2021["findings"].append(dict(rec2021["findings"][0]))
    chart = _index([rec2019, rec2021]).xpath("//svg")[1]
    labels = [t.text for t in chart.xpath(".//text[@text-anchor='end']")]
    assert labels[0] == "COL-010"
    rules = ["COL-010", "PUB-001", "COL-002", "VAL-006", "SEC-004", "YOY-004", "TPL-003", "SEC-008"]
    assert sorted(labels) == sorted(rules)
    assert chart.xpath("string(.//rect[@class='bar'][1]/title)") == "COL-010：2"


def test_index_has_no_markup_from_reports(records: list[dict[str, Any]]) -> None:
    html = index_html.render([ReportEntry(r, {}) for r in records]).decode()
    assert html.count("<script>") == 1  # the sorting script only
    assert "&lt;script&gt;alert(&#34;agency&#34;)" in html  # escaped by the template (markupsafe)


def test_pages_render_fast_enough_for_a_500_report_batch(rec2019: dict[str, Any]) -> None:
    start = time.perf_counter()
    pages = [report_html.render(rec2019) for _ in range(500)]
    index_html.render([ReportEntry(rec2019, {"html": "reports/x.html"})] * 500)
    # About 1 ms a page today; the bound only catches an accidental quadratic or a template engine.
    assert time.perf_counter() - start < 15
    assert len(set(pages)) == 1  # pure: the same record gives the same bytes


def test_alternative_corrections_are_marked_as_such(rec2021: dict[str, Any]) -> None:
    finding = rec2021["findings"][0]
    finding["alternatives"] = True
    finding["corrections"].append({"cell": "appeals.review.other", "actual": 1, "expected": 0})
    tree = _page(rec2021)
    assert _cell(tree, "appeals.review.total").xpath('string(span[@class="exp"])') == "或改为 4"
    assert _cell(tree, "appeals.review.other").xpath('string(span[@class="exp"])') == "或改为 0"
