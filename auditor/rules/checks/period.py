"""The stated statistical period (DATE-001) and year consistency (DATE-002)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.model.meta import PERIOD_WORDS
from auditor.model.types import Report
from auditor.rules.types import NO_YEAR, SKIP, CheckContext, Result
from auditor.rules.wording import lint_wording, say, wording_schema

KIND = "period"
WORDING = {
    "missing": "报告未说明数据统计期限",
    "range": "统计期限为{period}",
    "late_start": "统计期限为{period}，不是全年（年中新设或职能调整的机构请在报告中说明起算原因）",
}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["range", "years"],
            "default": "range",
            "description": "range：统计期限恰为 N-01-01 至 N-12-31；years：标题年份与统计期限年份一致",
        },
        # Level of the finding when no period is stated at all (DB51 practice, not 30号).
        "missing_severity": {"enum": ["error", "warning", "info"], "description": "完全未说明统计期限时的级别"},
        # A period from a day in the year to 31 December is what a body set up mid-year (an
        # institutional reform) reports: not plainly wrong, so it may be softer.
        "late_start_severity": {
            "enum": ["error", "warning", "info"],
            "description": "统计期限止于12月31日但起于年中（如年中新设机构）时的级别",
        },
        "wording": wording_schema(WORDING),
    },
}
PLACEHOLDERS = frozenset({"detail"})
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")


def _fmt(start: date, end: date) -> str:
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result for a missing or wrong period, or for disagreeing years."""
    year = report.meta.year
    period = report.meta.period
    if params.get("mode", "range") == "years":
        found: dict[str, int] = {}
        m = _TITLE_YEAR.search(report.meta.title or "")
        if m:
            found["标题"] = int(m.group(1))
        if period is not None and period.start.year == period.end.year:
            found["统计期限"] = period.start.year
        # Without a title, the opening "N年，<organ>…" of part 一 is the other witness.
        opening = report.meta.year_evidence.get("narrative")
        if "标题" not in found and "title" not in report.meta.year_evidence and opening is not None:
            found["正文开头"] = opening
        if len(set(found.values())) > 1 or (year is not None and any(v != year for v in found.values())):
            detail = "，".join(f"{k}为{v}年" for k, v in found.items())
            yield Result(expected=year, actual=detail, line=period.line if period else None, vars={"detail": detail})
        return
    if period is None:
        if any(PERIOD_WORDS.search(line) for line in report.lines):
            # The report names its period, but no dates could be read there (a conversion
            # scattered them): not the body's omission.
            yield Result(SKIP, reason="报告提到数据统计期限，但未能读出其起止日期，需人工核对")
            return
        if params.get("missing_severity"):  # missing whether or not the year is known
            yield Result(
                expected=_fmt(date(year, 1, 1), date(year, 12, 31)) if year else "报告年度1月1日至12月31日",
                actual=None,
                severity=params["missing_severity"],
                vars={"detail": say(params, WORDING, "missing")},
            )
        return
    if year is None:
        yield Result(SKIP, reason=NO_YEAR)
        return
    want = (date(year, 1, 1), date(year, 12, 31))
    if (period.start, period.end) != want:
        late_start = period.end == want[1] and want[0] < period.start <= want[1] and "late_start_severity" in params
        yield Result(
            expected=_fmt(*want),
            actual=_fmt(period.start, period.end),
            line=period.line,
            severity=params["late_start_severity"] if late_start else None,
            vars={
                "detail": say(
                    params, WORDING, "late_start" if late_start else "range", period=_fmt(period.start, period.end)
                )
            },
        )


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: rewritten sentences with placeholders they do not fill."""
    return lint_wording(params, WORDING)
