"""Sanity of single cells (VAL-001/002/004/005/007/009).

Modes: ``negative`` (a count below 0), ``plus_sign`` (an explicit ``+`` outside the 2019
本年增/减 column; negatives are left to ``negative``), ``decimal`` (a fraction in a count
cell), ``text`` (a cell holding more than one number), ``unit`` (an amount printed in a
unit other than the column's, or implausibly large), ``unit_explicit`` (an amount with no
unit at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import Cell, CellState, Report
from auditor.rules.types import CheckContext, Result
from auditor.rules.values import is_money, is_signed, table_of
from auditor.rules.wording import lint_wording, say, wording_schema

KIND = "value"
WORDING = {"no_unit": "{cell}未注明金额单位"}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["mode"],
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["negative", "plus_sign", "decimal", "text", "unit", "unit_explicit"],
            "description": "negative 负数；plus_sign 带 + 号；decimal 件数有小数；text 文字单元格；"
            "unit / unit_explicit 金额单位",
        },
        "tables": {
            "type": "array",
            "items": {"enum": ["disclosure", "requests", "appeals"]},
            "description": "检查的表（缺省为全部）",
        },
        "cell": {"type": "string", "description": "mode unit / unit_explicit：金额单元格的键"},
        "unit": {"type": "string", "description": "该单元格应使用的单位"},
        "units": {"type": "array", "items": {"type": "string"}, "description": "可接受的单位写法"},
        "max_value": {
            "type": "number",
            "minimum": -1e12,
            "maximum": 1e12,
            "description": "超过此值视为单位有误",
        },
        "max_decimals": {"type": "integer", "minimum": 0, "maximum": 12, "description": "最多小数位数"},
        "wording": wording_schema(WORDING),
    },
    "allOf": [{"if": {"properties": {"mode": {"enum": ["unit", "unit_explicit"]}}}, "then": {"required": ["cell"]}}],
}
PLACEHOLDERS = frozenset({"value", "detail"})


def _cells(report: Report, params: Mapping[str, Any]) -> list[Cell]:
    tables = params.get("tables")
    return [c for c in report.cells.values() if tables is None or table_of(c.key) in tables]


def _unit_cell(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    cell = report.cells.get(str(params["cell"]))
    if cell is None or cell.state is not CellState.NUMBER or not cell.value:
        return  # a zero amount needs no unit
    name = ctx.cell_name(cell.key)
    if params["mode"] == "unit_explicit":
        info = report.tables.get(table_of(cell.key))
        header_unit = info is not None and any("单位" in label for label in info.labels)
        if not header_unit and not any(u in cell.raw for u in params.get("units") or ("元",)):
            yield Result(
                cells=(cell.key,),
                line=cell.line,
                actual=cell.raw,
                vars={"value": cell.raw, "detail": say(params, WORDING, "no_unit", cell=name)},
            )
        return
    unit = str(params.get("unit", "万元"))
    printed = re.sub(r"[\d.,，\s+\-−]", "", cell.raw)
    reasons = []
    if printed and printed != unit:
        reasons.append(f"以“{printed}”填报（应以{unit}填报）")
    if cell.decimals > int(params.get("max_decimals", 4)):
        reasons.append("小数位数过多，疑似以元填报")
    if "max_value" in params and float(cell.value) >= float(params["max_value"]):
        reasons.append(f"数值 {cell.raw} 过大，疑似以元填报")
    if reasons:
        yield Result(
            cells=(cell.key,),
            line=cell.line,
            actual=cell.raw,
            vars={"value": cell.raw, "detail": f"{name}" + "；".join(reasons)},
        )


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per offending cell."""
    mode = params["mode"]
    if mode in ("unit", "unit_explicit"):
        yield from _unit_cell(report, params, ctx)
        return
    for cell in _cells(report, params):
        if cell.value is None and mode != "text":
            continue
        # The column's kind is looked up only for a cell that would break the rule (few).
        bad = False
        expected: Any = None
        if mode == "negative":
            bad = cell.value is not None and cell.value < 0 and not is_signed(cell.key, ctx.template)
            expected = "非负整数"
        elif mode == "plus_sign":
            bad = cell.raw.strip().startswith("+") and not is_signed(cell.key, ctx.template)
            expected = cell.raw.strip()[1:]
        elif mode == "decimal":
            bad = (
                cell.value is not None and float(cell.value) != int(cell.value) and not is_money(cell.key, ctx.template)
            )
            expected = "整数"
        elif mode == "text":
            bad = cell.state is CellState.TEXT
            expected = cell.value
        if bad:
            yield Result(
                cells=(cell.key,),
                line=cell.line,
                actual=cell.raw,
                expected=expected,
                table=table_of(cell.key),
                vars={"value": cell.raw, "cell": ctx.cell_name(cell.key)},
            )


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: rewritten sentences with placeholders they do not fill."""
    return lint_wording(params, WORDING)
