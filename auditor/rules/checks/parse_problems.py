"""Problems the parser noticed, reported as findings so the user still gets a report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import Report
from auditor.rules.types import CheckContext, Result

KIND = "parse_problems"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "codes": {"type": "array", "items": {"type": "string"}, "description": "只报告这些解析问题代码"},
        "ignore_codes": {"type": "array", "items": {"type": "string"}, "description": "不报告这些解析问题代码"},
        # Parse problems are never errors of the report itself: cap their level.
        "max_severity": {
            "enum": ["warning", "info"],
            "default": "warning",
            "description": "最高级别（解析问题不是报告本身的错误）",
        },
    },
}
PLACEHOLDERS = frozenset({"detail", "value"})


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per parser problem."""
    codes = params.get("codes")
    ignore = set(params.get("ignore_codes") or ())
    cap = params.get("max_severity", "warning")
    for p in report.problems:
        if (codes is not None and p.code not in codes) or p.code in ignore:
            continue
        severity = "info" if p.severity == "info" or cap == "info" else "warning"
        yield Result(instance=p.code, line=p.line, severity=severity, vars={"detail": p.message, "value": p.code})
