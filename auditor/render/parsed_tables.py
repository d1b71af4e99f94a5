"""`audit parse --format table`: the three tables as an inspector reads them on paper."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from auditor.model.template import FORMATS, load_template
from auditor.render.labels import appeal_group_labels, table_title
from auditor.render.records import fmt_value


def _show(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return ""
    state = cell.get("state")
    if state == "blank":
        return "（空）"
    if state == "unplaced":
        return "？"
    value = cell.get("value")
    if state == "text":
        return f"{cell.get('raw')}"
    # fmt_value, not :g, which prints 8204813178.0 (元) as 8.20481e+09.
    return "" if value is None else fmt_value(value)


def render_parsed(record: dict[str, Any]) -> str:
    """Plain-text view of one `audit parse` record."""
    meta = record.get("meta") or {}
    fmt = meta.get("format") if meta.get("format") in FORMATS else "2021"
    template = load_template(str(fmt))
    cells: dict[str, dict[str, Any]] = record.get("cells") or {}
    out = [
        f"文件：{record['source']['path']}",
        f"单位：{meta.get('agency') or '未识别'}  年度：{meta.get('year') or '未识别'}  "
        f"格式：{meta.get('format') or '未识别'}  版式：{record['source'].get('layout') or '未识别'}",
    ]
    for name, spec in template.tables.items():
        out.append("")
        out.append(table_title(template, name))
        if name == "appeals":
            groups = appeal_group_labels(template)[0]
            cols = spec.column_labels[""]
            rows = [[groups[g], *(_show(cells.get(f"appeals.{g}.{c}")) for c in cols)] for g in spec.column_groups]
            out.append(tabulate(rows, headers=["", *(labels[0] for labels in cols.values())], tablefmt="simple"))
            continue
        by_caption: dict[str, list[list[str]]] = {}
        for row in spec.rows.values():
            caption = row.caption or ""
            cols = spec.column_labels[caption]
            values = [_show(cells.get(f"{name}.{row.key}.{c}")) for c in row.columns]
            by_caption.setdefault(caption, [["信息内容", *(cols[c][0] for c in row.columns)]] if caption else [])
            by_caption[caption].append([row.labels[0], *values])
        for caption, rows in by_caption.items():
            if caption:
                out.append(caption)
                out.append(tabulate(rows[1:], headers=rows[0], tablefmt="simple"))
            else:
                headers = ["", *(labels[0] for labels in spec.column_labels[""].values())]
                out.append(tabulate(rows, headers=headers, tablefmt="simple"))
    unplaced = record.get("unplaced_rows") or {}
    if unplaced:
        out.append("")
        out.append("列位置无法确定的行（？）：")
        out.extend(f"  {key}: {' '.join(str(v) for v in row['values'])}" for key, row in unplaced.items())
    problems = record.get("problems") or []
    if problems:
        out.append("")
        out.append("解析提示：")
        out.extend(f"  [{p['severity']}] 第 {p['line'] or '-'} 行 {p['message']}" for p in problems)
    return "\n".join(out)
