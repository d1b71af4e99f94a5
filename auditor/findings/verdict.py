"""What an audit may claim about a report: scored, unauditable (无法审计) or a partial check.

Whether a report can be audited is decided here and nowhere else, from the parsed
`Report`: a problem whose code is in `UNAUDITABLE` makes it unauditable with that reason.
Readers add such problems (adding a code is one line of `UNAUDITABLE`); the few that can
only be judged on the whole report (not an annual report, predates the formats, format
not recognised) are derived by `derived_problem` and carry codes of the same catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.model.template import first_format_year
from auditor.model.types import Problem, Report

SCORED = "scored"
UNAUDITABLE_STATUS = "unauditable"
PARTIAL = "partial"

UNAUDITABLE_LABEL = "无法审计（需人工核对）"
PARTIAL_LABEL = "部分检查（不评等级）"
SCORED_LABEL = "已评分"

# Problem code → the reason an inspector reads. One line per code.
UNAUDITABLE: Mapping[str, str] = {
    "empty": "文件为空",
    "binary": "文件不是文本、网页或 Word 文档",
    "too_large": "文件过大",
    "unreadable": "文件无法读取",
    "bad_docx": "Word 文档已损坏",
    "bad_pdf": "PDF 文件已损坏或无法打开",
    "pdf_no_text": "PDF 没有文字层（可能是扫描件）",
    "pdf_undecodable": "PDF 的文字无法解码",
    "tables_unread": "统计表格未能读取",
    "tables_pictured": "统计表格为图片或未经转换，未能读取",
    "special_file": "不是普通文件",
    "archive_limit": "压缩内容超出安全上限",
    "internal": "审计程序内部错误",
    "not_report": "不是政府信息公开工作年度报告",
    "pre_format": "报告年度早于国务院办公厅印发的年度报告格式",
    "format_unknown": "未能识别报告采用的年度报告格式",
    "attachment_only": "报告全文在网页的附件中",
}

_REPORT_TITLE = re.compile(r"年度报告|工作报告|年报|工作情况")
_REPORT_WORDS = re.compile(r"政府信息公开|政务公开")


@dataclass(frozen=True)
class Verdict:
    """What the audit of one report may claim; ``reason`` says why it is not simply scored."""

    status: str
    label: str
    reason: str = ""

    def record(self) -> dict[str, Any]:
        """The ``verdict`` field of the audit record."""
        return {"status": self.status, "label": self.label, "reason": self.reason}

    @property
    def scored(self) -> bool:
        """True when score and band mean what they say."""
        return self.status == SCORED


def looks_like_report(report: Report) -> bool:
    """Conservative: anything with a report title, two part headings or a table label is a report.

    Only a text showing none of these (a meeting notice, three stray bytes) is called
    "not an annual report"; a real report missing parts or with oddly flattened tables is not.
    """
    if report.cells or report.tables or report.unplaced_rows or len(report.sections) >= 2:
        return True
    lines = (report.meta.title or "", *report.lines)
    return any(_REPORT_TITLE.search(line) and _REPORT_WORDS.search(line) for line in lines)


def derived_problem(report: Report) -> Problem | None:
    """The whole-report reason a readable text cannot be audited, if any."""
    if not report.lines:
        return None
    if not looks_like_report(report):
        return Problem("not_report", "未见年度报告标题、六部分标题或统计表格", None, "error")
    year = report.meta.year
    if report.meta.format is None and year is not None and year < first_format_year():
        return Problem("pre_format", f"{year}年度报告不适用2019年起施行的年度报告格式，需人工审阅", None, "error")
    if report.meta.format is None and not report.cells and len(report.sections) < 2:
        return Problem("format_unknown", "未读到六部分标题和统计表格", None, "error")
    return None


def unauditable_problem(report: Report) -> Problem | None:
    """The problem that makes ``report`` unauditable: a catalogued parser problem, else a derived one."""
    found = next((p for p in report.problems if p.code in UNAUDITABLE), None)
    return found or derived_problem(report)


def unauditable(problem: Problem) -> Verdict:
    """The verdict for a report that cannot be audited because of ``problem``."""
    reason = UNAUDITABLE.get(problem.code, problem.code)
    detail = problem.message.strip()
    if not detail or detail.startswith(reason):
        return Verdict(UNAUDITABLE_STATUS, UNAUDITABLE_LABEL, detail or reason)
    return Verdict(UNAUDITABLE_STATUS, UNAUDITABLE_LABEL, f"{reason}（{detail}）")


def partial(select: Sequence[str], ignore: Sequence[str]) -> Verdict:
    """The verdict of a run limited by ``--select``/``--ignore``: findings, but no band."""
    parts = []
    if select:
        parts.append(f"只检查 {'、'.join(select)}")
    if ignore:
        parts.append(f"不检查 {'、'.join(ignore)}")
    return Verdict(PARTIAL, PARTIAL_LABEL, "；".join(parts) + "，未运行全部规则，不评定等级")


def verdict_for(report: Report, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Verdict:
    """The one place that decides what an audit of ``report`` may claim."""
    problem = unauditable_problem(report)
    if problem is not None:
        return unauditable(problem)
    if select or ignore:
        return partial(select, ignore)
    return Verdict(SCORED, SCORED_LABEL)
