"""A statistical table, its rows and its columns are present (TBL-001/004/005/008).

A row counts as present when any cell of it was read, when the parser saw its label, or
when its values were printed unplaced: a well-formed report never trips this check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import table_parts
from auditor.model.types import Report
from auditor.rules.cellnames import NUMERALS, row_label
from auditor.rules.types import CheckContext, Result
from auditor.rules.values import column_of, row_of, table_of

KIND = "table_shape"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table"],
    "additionalProperties": False,
    "properties": {
        "table": {"enum": ["disclosure", "requests", "appeals"]},
        "require": {
            "type": "array",
            "items": {"enum": ["table", "rows", "columns"]},
            "default": ["table", "rows"],
        },
    },
}


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result for a missing table, missing rows or missing columns."""
    if ctx.template is None:
        return
    name = str(params["table"])
    spec = ctx.template.tables[name]
    require = params.get("require", ["table", "rows"])
    keys = [k for k in report.cells if table_of(k) == name]
    info = report.tables.get(name)
    num = NUMERALS[name]
    if (
        not keys
        and info is None
        and name not in report.unplaced_rows
        and not any(table_of(k) == name for k in report.unplaced_rows)
    ):
        if "table" in require:
            yield Result(
                instance=name,  # SEC-007 names its cases after tables: suppressed_by matches
                table=name,
                part=table_parts()[name],
                vars={"table": num, "detail": f"表{num}（{spec.title}）缺失"},
            )
        return
    line = info.line if info else None
    if "rows" in require:
        seen = {row_of(k).split(".", 1)[1] for k in keys} | set(info.rows if info else ())
        seen |= {k.split(".", 1)[1] for k in report.unplaced_rows if "." in k and table_of(k) == name}
        if name in report.unplaced_rows:
            seen |= set(spec.rows)
        missing = [r for r in spec.rows if r not in seen]
        if missing:
            labels = "、".join(row_label(spec, r) for r in missing)
            yield Result(
                table=name,
                line=line,
                cells=(),
                actual=len(spec.rows) - len(missing),
                expected=len(spec.rows),
                instance="rows",
                vars={"table": num, "detail": f"缺少{labels}", "count": len(missing)},
            )
    if "columns" in require:
        cols = list(dict.fromkeys(c for r in spec.rows.values() for c in r.columns))  # template order
        seen_cols = {column_of(k) for k in keys}
        labels_seen = set(info.labels) if info else set()
        col_labels = {c: ls for block in spec.column_labels.values() for c, ls in block.items()}
        missing_cols = [c for c in cols if c not in seen_cols and not labels_seen & set(col_labels.get(c, ()))]
        if missing_cols and not report.unplaced_rows:
            names = "、".join(col_labels.get(c, (c,))[0] for c in missing_cols)
            yield Result(
                table=name,
                line=line,
                instance="columns",
                expected=len(cols),
                actual=len(cols) - len(missing_cols),
                vars={"table": num, "detail": f"缺少{names}列", "count": len(missing_cols)},
            )
