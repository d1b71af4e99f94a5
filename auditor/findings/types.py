"""Findings and the audit result: what renderers and records are built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# 国办公开办函〔2021〕30号 names four failure modes; 不准确 and 不全面 are split here.
# Chinese names of the finding categories (canonical-model spec), for messages and outputs.
CATEGORY_LABELS = {
    "parse": "文本解析",
    "structure": "结构",
    "template": "表格模板",
    "identity": "勾稽关系",
    "value": "数值",
    "period": "统计期限",
    "deadline": "发布时限",
    "narrative": "文字内容",
    "cross_year": "跨年度比对",
}

# The official failure types of 国办公开办函〔2021〕30号, in the order rectification lists use.
OFFICIAL_FAILURE_TYPES = ("不按时发布", "发布内容不准确", "发布内容不全面", "内容雷同", "敷衍塞责")

FAILURE_TYPES = {
    "deadline": "不按时发布",
    "identity": "发布内容不准确",
    "value": "发布内容不准确",
    "period": "发布内容不准确",
    "parse": "发布内容不准确",
    "cross_year": "发布内容不准确",
    "structure": "发布内容不全面",
    "template": "发布内容不全面",
    "narrative": "发布内容不全面",
}


@dataclass(frozen=True)
class Location:
    """Where a finding points: part (1–6), table, row and column keys, source line (and PDF page)."""

    part: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Correction:
    """One cell to correct and the value it should hold."""

    cell: str
    actual: Any
    expected: Any


@dataclass(frozen=True)
class Evidence:
    """A rule result merged into a finding with the same root cause (shown as its evidence)."""

    rule: str
    name: str
    severity: str
    message: str
    instance: str | None = None


@dataclass(frozen=True)
class Finding:
    """One defect of a report, stamped with its rule."""

    rule: str
    name: str
    severity: str
    category: str
    failure_type: str
    message: str
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    line: int | None = None
    location: Location = field(default_factory=Location)
    corrections: tuple[Correction, ...] = ()
    remediation: str = ""
    reference: str = ""
    deduction: float = 0.0
    instance: str | None = None
    blanks: tuple[str, ...] = ()
    alternatives: bool = False  # corrections are alternatives (any one fixes it)
    evidence: tuple[Evidence, ...] = ()  # every finding merged into this one (root cause), itself first
    title: str = ""  # the rule's short Chinese name (charts, statistics)

    def sort_key(self) -> tuple[bool, int, str, str]:
        """Order by line (unknown last), then rule id, then instance."""
        return (self.line is None, self.line or 0, self.rule, self.instance or "")


@dataclass(frozen=True)
class Deduction:
    """One line of the score computation (caps appear as negative lines)."""

    rule: str
    category: str
    points: float
    note: str


@dataclass(frozen=True)
class NotEvaluated:
    """A rule instance that could not be judged, and why."""

    rule: str
    instance: str | None
    reason: str
    internal: bool = False  # the check crashed (our fault, not the report's)


@dataclass(frozen=True)
class AuditResult:
    """The outcome of auditing one report with one pack."""

    pack: str
    findings: tuple[Finding, ...]
    score: float
    band: str
    veto: bool
    deductions: tuple[Deduction, ...]
    not_evaluated: tuple[NotEvaluated, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out
