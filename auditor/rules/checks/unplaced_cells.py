"""Rows printed with fewer values than columns: their columns cannot be known."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import Report
from auditor.rules.cellnames import NUMERALS, row_label
from auditor.rules.types import CheckContext, Result
from auditor.rules.values import table_of

KIND = "unplaced_cells"
PARAMS_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {}}
PLACEHOLDERS = frozenset({"detail", "value", "count"})


def _label(key: str, ctx: CheckContext) -> str:
    table, _, row = key.partition(".")
    if ctx.template is None or table not in ctx.template.tables:
        return key
    spec = ctx.template.tables[table]
    num = NUMERALS.get(table, table)
    if not row:
        return f"表{num}"
    label = row_label(spec, row)
    return f"{num}{'' if label.startswith('（') else '·'}{label}行"


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per unplaced row."""
    for key, row in report.unplaced_rows.items():
        values = "、".join(str(v) for v in row.values)
        yield Result(
            instance=key,
            line=row.line,
            table=table_of(key),
            actual=values,
            vars={"detail": _label(key, ctx), "value": values, "count": len(row.values)},
        )
