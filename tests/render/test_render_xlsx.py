"""summary.xlsx read back with openpyxl, cell by cell."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from auditor.render import ReportEntry
from auditor.render.formats import summary_xlsx
from tests.render import render_records


def _workbook(records: list[dict[str, Any]]) -> Any:
    data = summary_xlsx.render([ReportEntry(r, {}) for r in records])
    return load_workbook(BytesIO(data))


def _rows(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_findings_sheet_has_one_row_per_finding(records: list[dict[str, Any]]) -> None:
    wb = _workbook(records)
    assert wb.sheetnames == ["报告汇总", "问题明细"]
    ws = wb["问题明细"]
    rows = _rows(ws)
    assert rows[0] == [
        "文件", "单位", "年度", "格式", "规则", "规则名称", "级别", "问题类别", "问题类型", "问题描述", "位置",
        "单元格", "填报值", "应为", "行号", "扣分", "整改要求", "依据", "复核", "核实决定", "问题指纹",
    ]  # fmt: skip
    assert len(rows) == 1 + 5 + 3 + 1  # failed report has no findings
    assert rows[2][:18] == [
        "岳阳市人民政府2020年政府信息公开工作年度报告.txt",
        "岳阳市人民政府",
        2020,
        "2019版",
        "COL-002",
        "requests.outcomes_sum",
        "错误",
        "勾稽关系",
        "发布内容不准确",
        "三（七）总计【总计】应为各办理结果之和 333，实际填报 46",
        "第三部分（收到和处理政府信息公开申请情况），行「（七）总计」，列「总计」，第158行",
        "表三 行「（七）总计」 列「总计」",
        46,
        333,
        158,
        5,
        "核对三（一）至（六）各项办理结果，更正三（七）总计",
        "国办公开办函〔2019〕60号 表三勾稽关系",
    ]
    assert rows[1][12:14] == ["2021-04-15", "2021-03-31"]  # non-numeric values stay text
    assert [r[8] for r in rows[1:6]] == ["不按时发布", "发布内容不准确", "发布内容不准确", "发布内容不全面", "内容雷同"]
    assert ws.freeze_panes == "A2"
    assert rows[2][18:20] == [None, None]  # no store: neither 复核 nor a decision
    assert ws.auto_filter.ref == "A1:U10"


def test_report_sheet_includes_failed_reports_with_reason(records: list[dict[str, Any]]) -> None:
    ws = _workbook(records)["报告汇总"]
    rows = _rows(ws)
    assert rows[0] == [
        "文件", "路径", "单位", "年度", "格式", "状态", "得分", "等级", "错误", "警告", "提示", "问题总数", "失败原因",
    ]  # fmt: skip
    assert rows[1] == [
        "岳阳市人民政府2020年政府信息公开工作年度报告.txt",
        "examples/岳阳市人民政府2020年政府信息公开工作年度报告.txt",
        "岳阳市人民政府",
        2020,
        "2019版",
        "已审计",
        80.5,
        "良好",
        2,
        2,
        1,
        5,
        None,
    ]
    assert rows[3] == [
        "损坏的报告.doc",
        "inbox/损坏的报告.doc",
        None,
        None,
        None,
        "读取失败",
        None,
        "无法审计（需人工核对）",
        None,
        None,
        None,
        None,
        "无法识别文件格式：不是文本、HTML、DOCX 或 PDF",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M5"


def test_report_text_never_becomes_a_formula(rec_script: dict[str, Any]) -> None:
    rec_script["findings"][0]["message"] += "\x07"  # XML cannot hold it: dropped, not a crash
    rec_script["meta"]["agency"] = "#N/A"
    ws = _workbook([rec_script])["问题明细"]
    remediation = ws.cell(row=2, column=17)
    assert remediation.value == render_records.FORMULA
    assert remediation.data_type == "s"
    assert ws.cell(row=2, column=2).value == "#N/A" and ws.cell(row=2, column=2).data_type == "s"
    assert ws.cell(row=2, column=10).value == render_records.SCRIPT_MESSAGE
