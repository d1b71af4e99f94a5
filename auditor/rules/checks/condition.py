"""If–then conditions over cells, narrative and tables (XT-003/006, VAL-008, FEE-002/005, RECT-001, SEC-007).

A case fails when all its ``when`` predicates hold (and one of ``when_any``, if given)
but a ``require`` predicate does not (or none of ``require_any`` does). Predicates:

- ``{expr, op, value}``: a cell expression compared with a constant (blank = 0; an
  absent or unplaced cell makes the case not evaluated); ``of: previous`` reads the
  previous-year report instead, when the caller paired one;
- ``{text, sections, absent}``: a regular expression found (or, with ``absent``, not
  found) in the normalised prose of the parts;
- ``{table, present}``: a statistical table read at all (cells, labels or unplaced rows).

The case ``name`` is the result's instance, so a rule may be ``suppressed_by`` another
rule failing for the same instance (SEC-007 cases are named after their table).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import Report
from auditor.rules.narrative import prose
from auditor.rules.patterns import candidate_lines, search
from auditor.rules.sums import compare, evaluate, expression, lint_expression, lint_regex
from auditor.rules.types import SKIP, CheckContext, Result
from auditor.rules.values import table_of

KIND = "condition"
_PREDICATE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "oneOf": [{"required": ["expr", "op", "value"]}, {"required": ["text"]}, {"required": ["table"]}],
    "description": "一个条件：单元格表达式比较（expr/op/value）、正文正则（text）或表格是否存在（table）",
    "properties": {
        "expr": {
            "type": "string",
            "minLength": 1,
            "x-expression": "sum",
            "description": "单元格表达式，如 requests.received.total 或 sum(requests.denied.*.total)",
        },
        "op": {"enum": ["=", "!=", ">", ">=", "<", "<="], "description": "expr 与 value 的比较"},
        "value": {"type": "number", "maximum": 1e12, "minimum": -1e12, "description": "与 expr 比较的常数"},
        "text": {"type": "string", "minLength": 1, "description": "在正文中查找的正则表达式"},
        "sections": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "description": "text 查找的部分（一…六，写作 1…6；缺省为全文）",
        },
        "absent": {"type": "boolean", "default": False, "description": "true：text 找不到时条件成立"},
        "table": {"enum": ["disclosure", "requests", "appeals"], "description": "表二/三/四的键"},
        "present": {"type": "boolean", "default": True, "description": "table：true 要求表格存在，false 要求不存在"},
        # Evaluate ``expr`` on the same body's previous-year report (false when there is none).
        "of": {
            "enum": ["report", "previous"],
            "default": "report",
            "description": "previous：按同一机关上一年度报告取值（无上年报告时条件不成立）",
        },
        "label": {"type": "string", "description": "消息中对此条件的称呼"},
    },
}
_LIST: dict[str, Any] = {"type": "array", "items": _PREDICATE, "maxItems": 50}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["cases"],
    "additionalProperties": False,
    "properties": {
        "cases": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "description": "若干情形：when 全部成立（且 when_any 之一成立）而 require 不满足时报告",
            "items": {
                "type": "object",
                "required": ["name", "detail"],
                "additionalProperties": False,
                "anyOf": [{"required": ["require"]}, {"required": ["require_any"]}],
                "properties": {
                    "name": {
                        "type": "string",
                        "pattern": "^[a-z][a-z0-9_]*$",
                        "description": "情形名（即问题实例，suppressed_by 按它匹配）",
                    },
                    "detail": {"type": "string", "minLength": 1, "description": "消息 {detail} 的文字"},
                    "part": {"type": "integer", "minimum": 1, "maximum": 6, "description": "问题指向的部分（1…6）"},
                    "when": {**_LIST, "description": "全部成立时才检查"},
                    "when_any": {**_LIST, "description": "其中之一成立时才检查"},
                    "require": {**_LIST, "description": "必须全部成立"},
                    "require_any": {**_LIST, "description": "至少一个成立"},
                },
            },
        }
    },
}
PLACEHOLDERS = frozenset({"detail", "value"})


class _Unknown(Exception):
    """A predicate that cannot be judged (a cell is missing or unplaced)."""


class _Case:
    """Evaluates the predicates of one case, remembering the cell values it read."""

    def __init__(self, report: Report, ctx: CheckContext) -> None:
        self.report, self.ctx = report, ctx
        self.cells: list[str] = []
        self.facts: list[str] = []
        self.values: list[float] = []

    def holds(self, p: Mapping[str, Any]) -> bool:
        if "table" in p:
            return _table_seen(self.report, str(p["table"])) == bool(p.get("present", True))
        if "text" in p:
            found = _search(self.report, str(p["text"]), p.get("sections"))
            if found and not p.get("absent"):
                self.facts.append(f"正文有“{found}”")
            return (found is None) if p.get("absent") else (found is not None)
        report = self.report
        if p.get("of") == "previous":
            previous = getattr(self.ctx, "previous", None)
            if not isinstance(previous, Report):
                return False
            report = previous
        expr = expression(p, report.meta.format)
        total = evaluate(str(expr), report, self.ctx)
        if total.value is None:
            raise _Unknown(total.reason)
        self.cells.extend(c for c in total.cells if c not in self.cells)
        self.values.append(total.value)
        name = str(p.get("label") or "、".join(self.ctx.cell_name(c) for c in total.cells))
        self.facts.append(f"{name}为 {_show(total.value)}")
        return compare(total.value, str(p["op"]), float(p["value"]))


def _search(report: Report, pattern: str, sections: Iterable[int] | None) -> str | None:
    lines = [line.text for line in prose(report, sections)]
    for i in candidate_lines(pattern, lines):  # the lines that may match, in order
        m = search(pattern, lines[i])
        if m:
            return m.group(0)
    return None


def _show(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _table_seen(report: Report, name: str) -> bool:
    return (
        name in report.tables
        or name in report.unplaced_rows
        or any(table_of(k) == name for k in report.cells)
        or any(table_of(k) == name for k in report.unplaced_rows)
    )


def _fails(case: Mapping[str, Any], ev: _Case) -> tuple[bool, str]:
    """Whether the case fails, and the label of the requirement it breaks."""
    if not all(ev.holds(p) for p in case.get("when") or ()):
        return False, ""
    if case.get("when_any") and not any(ev.holds(p) for p in case["when_any"]):
        return False, ""
    broken = [p for p in case.get("require") or () if not ev.holds(p)]
    if case.get("require_any") and not any(ev.holds(p) for p in case["require_any"]):
        broken += list(case["require_any"])
    return bool(broken), "、".join(str(p.get("label", "")) for p in broken if p.get("label"))


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per case whose condition holds but whose requirement fails."""
    for case in params["cases"]:
        ev = _Case(report, ctx)
        try:
            failed, missing = _fails(case, ev)
        except _Unknown as exc:
            yield Result(SKIP, instance=str(case["name"]), reason=str(exc))
            continue
        if failed:
            facts = "；".join(ev.facts)
            yield Result(
                instance=str(case["name"]),
                cells=tuple(ev.cells),
                actual=ev.values[0] if ev.values else None,
                expected=missing or None,
                part=case.get("part"),
                line=_line(report, case.get("part")),
                vars={"detail": str(case["detail"]), "value": facts or None},
            )


def _line(report: Report, part: int | None) -> int | None:
    section = report.section(part) if part else None
    return section.line if section else None


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: bad text patterns and unknown cell keys."""
    problems: list[tuple[str, str]] = []
    fmts = list(formats)
    for i, case in enumerate(params.get("cases") or ()):
        for field in ("when", "when_any", "require", "require_any"):
            for j, p in enumerate(case.get(field) or ()):
                where = f"params.cases.{i}.{field}.{j}"
                if "text" in p:
                    issue = lint_regex(str(p["text"]))
                elif "expr" in p:
                    issue = lint_expression(str(p["expr"]), fmts)
                else:
                    issue = None
                if issue:
                    problems.append((where, issue))
    return problems
