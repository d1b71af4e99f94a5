"""Blank cells (VAL-003) and blank totals beside non-zero parts (ROW-002).

Arithmetic treats a blank as 0 (no public instruction says otherwise), so blanks are
reported here, once per table, rather than as failed identities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import CellState, Report
from auditor.rules.cellnames import NUMERALS
from auditor.rules.types import CheckContext, Result
from auditor.rules.values import BLANK_TEXT, column_of, row_of, table_of

KIND = "blank_cells"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["tables", "total"],
            "default": "tables",
            "description": "tables：逐表列出空白单元格；total：总计为空白而分项有数",
        },
        # Level per table for mode `tables`; tables not listed are not checked.
        "tables": {
            "type": "object",
            "propertyNames": {"enum": ["disclosure", "requests", "appeals"]},
            "additionalProperties": {"enum": ["error", "warning", "info"]},
            "description": "mode tables：要检查的表及其级别（未列出的表不检查）",
        },
        "total_column": {"type": "string", "default": "total", "description": "mode total：总计列的键"},
        "max_listed": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "default": 12,
            "description": "消息中最多列出的空白单元格数",
        },
    },
}
# Message placeholders this kind fills (besides the engine's cell, cells, expected, actual, year, agency).
PLACEHOLDERS = frozenset({"table", "count", "detail"})


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per table holding blanks, or per blank total with non-zero parts."""
    blanks = [c for c in report.cells.values() if c.state is CellState.BLANK]
    if params.get("mode", "tables") == "total":
        yield from _totals(report, params, ctx)
        return
    for table, severity in (params.get("tables") or {}).items():
        cells = [c for c in blanks if table_of(c.key) == table]
        if not cells:
            continue
        names = [ctx.cell_name(c.key) for c in cells]
        limit = int(params.get("max_listed", 12))
        listed = "、".join(names[:limit]) + (f"等{len(names)}个单元格" if len(names) > limit else "")
        yield Result(
            instance=table,
            cells=tuple(c.key for c in cells),
            line=cells[0].line,
            table=table,
            severity=severity,
            actual=BLANK_TEXT,
            expected=0,
            vars={"table": NUMERALS.get(table, table), "count": len(cells), "detail": listed},
        )


def _totals(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    total_col = str(params.get("total_column", "total"))
    for key, cell in report.cells.items():
        if column_of(key) != total_col or cell.state is not CellState.BLANK:
            continue
        row = row_of(key)
        parts = [c for k, c in report.cells.items() if row_of(k) == row and k != key and c.value is not None]
        total = sum(float(c.value) for c in parts if c.value is not None)
        if total > 0:
            yield Result(
                cells=(key, *(c.key for c in parts)),
                line=cell.line,
                table=table_of(key),
                expected=int(total) if total == int(total) else total,
                actual=BLANK_TEXT,
                vars={"cell": ctx.cell_name(key)},
            )
