"""Pages and batch views for inspectors: the whole report on its page, index charts in Chinese,
a workbook that opens on the reports and links to their pages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import lxml.html
from openpyxl import load_workbook

from auditor.pipeline import AuditOptions, audit_file
from auditor.render import ReportEntry
from auditor.render.formats import index_html, report_html, summary_xlsx
from tests.conftest import EXAMPLES
from tests.render import render_records

DONGLING = EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"


def test_report_page_shows_parts_one_five_and_six() -> None:
    record = audit_file(DONGLING, AuditOptions())
    page = lxml.html.fromstring(report_html.render(record))
    prose = page.get_element_by_id("prose").getnext()
    headings = [h.text_content() for h in prose.findall(".//h3")]
    assert [h[:2] for h in headings] == ["一、", "五、", "六、"]
    source = DONGLING.read_text(encoding="utf-8")
    paragraphs = [p.text_content() for p in prose.findall(".//p")]
    assert len(paragraphs) > 10 and all(p in source for p in paragraphs)
    style = page.find(".//style").text
    assert "Noto Sans CJK SC" in style and "Microsoft YaHei" in style and "SimSun" in style


def test_cross_year_cell_shows_last_years_value(rec2021: dict[str, Any]) -> None:
    cell = "requests.carried_in.total"
    rec2021["cells"][cell] = {"value": 5, "raw": "5", "state": "number", "line": 80}
    rec2021["findings"].append(
        {
            "rule": "YOY-001",
            "severity": "warning",
            "category": "cross_year",
            "message": "本年度上年结转为 5，2021年度报告结转下年度为 7",
            "cells": [cell],
            "expected": 7,
            "actual": 5,
        }
    )
    td = lxml.html.fromstring(report_html.render(rec2021)).get_element_by_id(f"cell-{cell}")
    assert td.find_class("exp")[0].text_content() == "按上年报告应为 7"


def test_index_chart_names_rules_in_chinese_without_parse_notes(rec2019: dict[str, Any]) -> None:
    rec2019["findings"][1]["title"] = "办理结果之和与（七）总计不符"
    for _ in range(5):
        rec2019["findings"].append({"rule": "PARSE-002", "category": "parse", "severity": "info", "message": "x"})
    tree = lxml.html.fromstring(index_html.render([ReportEntry(rec2019, {})]))
    labels = [t.text for t in tree.xpath("//svg")[1].xpath(".//text[@text-anchor='end']")]
    assert "办理结果之和与（七）总计不符（COL-002）" in labels
    assert not any("PARSE" in (label or "") for label in labels)


def test_workbook_opens_on_reports_wraps_text_and_links_pages(tmp_path: Path) -> None:
    records = render_records.batch()
    entries = [
        ReportEntry(r, {} if r["status"] == "failed" else {"html": f"reports/r{i}.html"}) for i, r in enumerate(records)
    ]
    wb = load_workbook(BytesIO(summary_xlsx.render(entries)))
    assert wb.active is not None and wb.active.title == "报告汇总"
    reports = wb["报告汇总"]
    assert reports["A2"].hyperlink is not None and reports["A2"].hyperlink.target == "reports/r0.html"
    findings = wb["问题明细"]
    message_column = next(c.column for c in findings[1] if c.value == "问题描述")
    assert findings.cell(row=2, column=message_column).alignment.wrap_text
    assert findings["A2"].hyperlink is not None
