"""Hand-built audit records (docs/architecture.md) shared by the renderer tests."""

from __future__ import annotations

import copy
from typing import Any

from auditor.model.template import load_template

SECTIONS = [
    {"number": 1, "title": "总体情况", "line": 5, "end_line": 60, "printed": 1},
    {"number": 2, "title": "主动公开政府信息情况", "line": 61, "end_line": 110, "printed": 2},
    {"number": 3, "title": "收到和处理政府信息公开申请情况", "line": 111, "end_line": 170, "printed": 3},
    {"number": 4, "title": "政府信息公开行政复议、行政诉讼情况", "line": 171, "end_line": 190, "printed": 4},
    {"number": 5, "title": "存在的主要问题及改进情况", "line": 191, "end_line": 230, "printed": 5},
    {"number": 6, "title": "其他需要报告的事项", "line": 231, "end_line": 240, "printed": 6},
]


def _cells(fmt: str, overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A number in every cell of the format (a small pattern), then the given overrides."""
    cells = {}
    for line, key in enumerate(load_template(fmt).keys(), 62):
        value = 0 if key.startswith("requests.") and not key.endswith(".total") else (line % 7) + 1
        cells[key] = {"value": value, "raw": str(value), "state": "number", "line": line}
    cells.update(overrides)
    return cells


def _counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    return {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}


def _finding(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": None,
        "cells": [],
        "expected": None,
        "actual": None,
        "line": None,
        "location": {},
        "corrections": [],
        "remediation": None,
        "reference": None,
        "deduction": 0.0,
    }
    base.update(fields)
    return base


def record_2019() -> dict[str, Any]:
    """岳阳市人民政府 2020 (2019 format): an identity error on 三（七）总计 printed 46, expected 333."""
    findings = [
        _finding(
            rule="PUB-001",
            name="publication.deadline",
            severity="error",
            category="deadline",
            failure_type="不按时发布",
            message="报告发布日期 2021-04-15 晚于法定期限 2021-03-31",
            expected="2021-03-31",
            actual="2021-04-15",
            line=3,
            location={"part": None, "table": None, "row": None, "column": None, "line": 3},
            remediation="按《条例》第四十九条规定，于每年3月31日前公布本机关上一年度报告",
            reference="《中华人民共和国政府信息公开条例》第四十九条",
            deduction=10.0,
        ),
        _finding(
            rule="COL-002",
            name="requests.outcomes_sum",
            severity="error",
            category="identity",
            failure_type="发布内容不准确",
            message="三（七）总计【总计】应为各办理结果之和 333，实际填报 46",
            cells=["requests.results_total.total"],
            expected=333,
            actual=46,
            line=158,
            location={"part": 3, "table": "requests", "row": "results_total", "column": "total", "line": 158},
            corrections=[{"cell": "requests.results_total.total", "actual": 46, "expected": 333}],
            remediation="核对三（一）至（六）各项办理结果，更正三（七）总计",
            reference="国办公开办函〔2019〕60号 表三勾稽关系",
            deduction=5.0,
        ),
        _finding(
            rule="VAL-006",
            name="disclosure.procurement_unit",
            severity="warning",
            category="value",
            failure_type="发布内容不准确",
            message="政府集中采购总金额 8204813178 元，数量级异常，疑似单位填写错误",
            cells=["disclosure.procurement.amount_yuan"],
            actual=8204813178,
            line=101,
            location={"part": 2, "table": "disclosure", "row": "procurement", "column": "amount_yuan", "line": 101},
            remediation="核实采购总金额的计量单位（元/万元）并更正",
            reference="国办公开办函〔2019〕60号 表二",
            deduction=2.0,
        ),
        _finding(
            rule="SEC-004",
            name="sections.fees_reported",
            severity="warning",
            category="structure",
            failure_type="发布内容不全面",
            message="第六部分未报告收取信息处理费的情况",
            line=231,
            location={"part": 6, "table": None, "row": None, "column": None, "line": 231},
            remediation="在第六部分补充收取信息处理费的情况",
            reference="国办函〔2020〕109号",
            deduction=2.5,
        ),
        _finding(
            rule="YOY-004",
            name="cross_year.similarity",
            severity="info",
            category="cross_year",
            failure_type="内容雷同",
            message="第五部分与上一年度报告相似度 0.96",
            line=191,
            location={"part": 5, "line": 191},
            remediation="结合本年度实际情况撰写存在的主要问题及改进情况",
            reference="国办公开办函〔2021〕30号",
        ),
    ]
    cells = _cells(
        "2019",
        {
            "requests.results_total.total": {"value": 46, "raw": "46", "state": "number", "line": 158},
            "requests.received.total": {"value": 338, "raw": "338", "state": "number", "line": 120},
            "disclosure.procurement.amount_yuan": {
                "value": 8204813178,
                "raw": "820481.3178万元",
                "state": "number",
                "line": 101,
            },
            "disclosure.regulations.total_published": {"value": None, "raw": "/", "state": "blank", "line": 70},
            "disclosure.fees.change": {"value": -3, "raw": "-3", "state": "number", "line": 95},
            "requests.other.total": {"value": 3, "raw": "3（含2件转办）", "state": "text", "line": 150},
            **{
                f"requests.granted.{col}": {"value": None, "raw": "", "state": "unplaced", "line": 131}
                for col in ("natural_person", "commercial", "research", "total")
            },
        },
    )
    del cells["appeals.litigation_after_review.pending"]  # a cell the report does not print
    return {
        "source": {
            "path": "examples/岳阳市人民政府2020年政府信息公开工作年度报告.txt",
            "sha256": "97623f781dbd24e0" * 4,
            "layout": "pipe",
            "encoding": "utf-8",
        },
        "meta": {
            "title": "岳阳市人民政府2020年政府信息公开工作年度报告",
            "agency": "岳阳市人民政府",
            "year": 2020,
            "format": "2019",
            "period": {"start": "2020-01-01", "end": "2020-12-31", "line": 8, "raw": "2020年1月1日至12月31日"},
            "published": "2021-04-15",
            "published_source": "page",
            "signed": None,
            "body_kind": "government",
            "year_source": "period",
        },
        "pack": "2020",
        "status": "ok",
        "error": None,
        "score": 80.5,
        "band": "良好",
        "veto": False,
        "deductions": [
            {"rule": f["rule"], "category": f["category"], "points": f["deduction"], "note": f["message"]}
            for f in findings
            if f["deduction"]
        ],
        "counts": _counts(findings),
        "findings": findings,
        "not_evaluated": [{"rule": "ROW-001", "instance": "requests.granted", "reason": "本行数值无法对应到列"}],
        "sections": SECTIONS,
        "cells": cells,
        "unplaced_rows": {"requests.granted": {"values": [266, 7, 1, 2, 5, 281], "line": 131}},
        "problems": [
            {"code": "row-short", "message": "（一）予以公开 一行只有 6 个数值", "line": 131, "severity": "warning"}
        ],
    }


def record_2021() -> dict[str, Any]:
    """长沙市岳麓区司法局 2022 (2021 format): a 行政复议 identity error and a stray 2019 row."""
    findings = [
        _finding(
            rule="COL-010",
            name="appeals.review_sum",
            severity="error",
            category="identity",
            failure_type="发布内容不准确",
            message="四、行政复议【总计】应为各结果之和 4，实际填报 3",
            cells=["appeals.review.total"],
            expected=4,
            actual=3,
            line=180,
            location={"part": 4, "table": "appeals", "row": "review", "column": "total", "line": 180},
            corrections=[{"cell": "appeals.review.total", "actual": 3, "expected": 4}],
            remediation="核对行政复议各项结果并更正总计",
            reference="国办公开办函〔2021〕30号 表四",
            deduction=5.0,
        ),
        _finding(
            rule="TPL-003",
            name="template.stale_rows",
            severity="warning",
            category="template",
            failure_type="发布内容不全面",
            message="2022年度报告仍填报2019版表格的“政府集中采购”行",
            cells=["disclosure.procurement.items"],
            line=100,
            location={"part": 2, "table": "disclosure", "row": "procurement", "line": 100},
            remediation="按国办公开办函〔2021〕30号规定的格式填报表二",
            reference="国办公开办函〔2021〕30号",
            deduction=2.0,
        ),
        _finding(
            rule="SEC-008",
            name="sections.perfunctory",
            severity="warning",
            category="narrative",
            failure_type="敷衍塞责",
            message="第五部分仅写“无”，未说明存在的主要问题及改进情况",
            line=192,
            location={"part": 5, "line": 192},
            remediation="如实查找本机关政府信息公开工作存在的问题并提出改进措施",
            reference="《中华人民共和国政府信息公开条例》第五十条",
            deduction=2.5,
        ),
    ]
    cells = _cells(
        "2021",
        {
            "appeals.review.upheld": {"value": 2, "raw": "2", "state": "number", "line": 180},
            "appeals.review.corrected": {"value": 1, "raw": "1", "state": "number", "line": 180},
            "appeals.review.other": {"value": 1, "raw": "1", "state": "number", "line": 180},
            "appeals.review.pending": {"value": 0, "raw": "0", "state": "number", "line": 180},
            "appeals.review.total": {"value": 3, "raw": "3", "state": "number", "line": 180},
            "disclosure.fees.amount_wan": {"value": 12.5, "raw": "12.5", "state": "number", "line": 99},
            "disclosure.procurement.items": {"value": 12, "raw": "12", "state": "number", "line": 100},
        },
    )
    return {
        "source": {"path": "inbox/2022/岳麓区司法局.html", "sha256": "ab" * 32, "layout": "html", "encoding": "utf-8"},
        "meta": {
            "title": "长沙市岳麓区司法局2022年政府信息公开工作年度报告",
            "agency": "长沙市岳麓区司法局",
            "year": 2022,
            "format": "2021",
            "period": None,
            "published": "2023-01-20",
            "published_source": "page",
            "signed": None,
            "body_kind": "department",
            "year_source": "title",
        },
        "pack": "2021",
        "status": "ok",
        "error": None,
        "score": 90.5,
        "band": "优秀",
        "veto": False,
        "deductions": [
            {"rule": f["rule"], "category": f["category"], "points": f["deduction"], "note": f["message"]}
            for f in findings
        ],
        "counts": _counts(findings),
        "findings": findings,
        "not_evaluated": [],
        "sections": SECTIONS,
        "cells": cells,
        "unplaced_rows": {},
        "problems": [],
    }


def record_failed() -> dict[str, Any]:
    """A file that could not be read at all."""
    return {
        "source": {"path": "inbox/损坏的报告.doc", "sha256": None, "layout": None, "encoding": None},
        "meta": None,
        "pack": None,
        "status": "failed",
        "error": "无法识别文件格式：不是文本、HTML、DOCX 或 PDF",
        "score": None,
        "band": None,
        "veto": False,
        "deductions": [],
        "counts": {"error": 0, "warning": 0, "info": 0},
        "findings": [],
        "not_evaluated": [],
        "sections": [],
        "cells": {},
        "unplaced_rows": {},
        "problems": [],
    }


SCRIPT_AGENCY = '<script>alert("agency")</script>某县人民政府'
SCRIPT_MESSAGE = '<script>alert("finding")</script>数据有误 <img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://example.invalid","点击")'


def record_script() -> dict[str, Any]:
    """Hostile report text: markup in agency, message, cell text and section title; a formula."""
    record = copy.deepcopy(record_2021())
    record["source"]["path"] = "inbox/<b>x</b>报告.txt"
    record["meta"]["agency"] = SCRIPT_AGENCY
    record["meta"]["year"] = 2021
    record["sections"] = [dict(SECTIONS[2], title="<script>alert(3)</script>")]
    record["cells"]["requests.received.total"] = {
        "value": 12,
        "raw": "<i>12</i>",
        "state": "text",
        "line": 120,
    }
    record["findings"] = [
        _finding(
            rule="COL-001",
            name="requests.balance",
            severity="error",
            category="identity",
            failure_type="发布内容不准确",
            message=SCRIPT_MESSAGE,
            cells=["requests.received.total"],
            expected=13,
            actual=12,
            line=120,
            location={"part": 3, "table": "requests", "row": "received", "column": "total", "line": 120},
            remediation=FORMULA,
            reference="<b>依据</b>",
            deduction=5.0,
        )
    ]
    record["counts"] = _counts(record["findings"])
    record["deductions"] = [{"rule": "COL-001", "category": "identity", "points": 5.0, "note": SCRIPT_MESSAGE}]
    return record


def batch() -> list[dict[str, Any]]:
    """The four records in a run's order."""
    return [record_2019(), record_2021(), record_failed(), record_script()]
