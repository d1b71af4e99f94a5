"""Publication timing (PUB-001/002/004/006, DATE-003) and the 落款 date (DATE-004).

Deadlines are month-day strings of year N+1 in the pack, so a province's stricter date
is a one-line override in a child pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.model.types import Report
from auditor.rules.types import NO_YEAR, SKIP, CheckContext, Result
from auditor.rules.wording import lint_wording, say, wording_schema

KIND = "deadline"
WORDING = {"unknown": "未能确定发布日期"}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["deadline", "after_period", "known", "signed"],
            "default": "deadline",
            "description": "deadline：N+1 年某日前发布；after_period：统计期结束后发布；"
            "known：能确定发布日期；signed：落款日期在 N+1 年初至发布日期之间",
        },
        "deadline": {
            "type": "string",
            "pattern": "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "mode deadline：N+1 年的截止月日，MM-DD，如 01-31",
        },
        "wording": wording_schema(WORDING),
    },
    "if": {"properties": {"mode": {"const": "deadline"}}},
    "then": {"required": ["deadline"]},
}
PLACEHOLDERS = frozenset({"published", "deadline", "count", "detail"})


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result when the report was published late, too early, or undated."""
    year = report.meta.year
    published = report.meta.published
    mode = params.get("mode", "deadline")
    if mode == "known":
        if published is None:
            yield Result(vars={"detail": say(params, WORDING, "unknown")})
        return
    if mode == "signed":
        yield from _signed(report)
        return
    if year is None:
        yield Result(SKIP, reason=NO_YEAR)
        return
    if published is None:
        return
    if mode == "after_period":
        end = date(year, 12, 31)
        if published <= end:
            yield Result(
                expected=f"{_cn(end)}之后",
                actual=_cn(published),
                vars={"published": _cn(published), "deadline": _cn(end)},
            )
        return
    month, day = (int(x) for x in str(params["deadline"]).split("-"))
    due = date(year + 1, month, day)
    if published > due:
        yield Result(
            expected=f"不晚于{_cn(due)}",
            actual=_cn(published),
            vars={"published": _cn(published), "deadline": _cn(due), "count": (published - due).days},
        )


def _signed(report: Report) -> Iterable[Result]:
    """The 落款 date lies in [N+1-01-01, publication date] (the header's date, when stated)."""
    year, signed = report.meta.year, report.meta.signed
    if year is None or signed is None:
        return
    first = date(year + 1, 1, 1)
    # A date read from the 落款 itself cannot bound the 落款.
    last = report.meta.published if report.meta.published_source == "header" else None
    if first <= signed and (last is None or signed <= last):
        return
    window = f"{_cn(first)}至{_cn(last)}" if last else f"{_cn(first)}之后"
    yield Result(
        expected=window,
        actual=_cn(signed),
        vars={"published": _cn(last) if last else None, "deadline": _cn(first), "detail": window},
    )


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: rewritten sentences with placeholders they do not fill."""
    return lint_wording(params, WORDING)
