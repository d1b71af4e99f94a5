"""Chinese names of cells, rows and report parts, taken from the format templates.

All row and column labels come from ``auditor/model/templates/*.yaml`` through
`auditor.model.template`; this module only picks the printed (first) label of each entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.model.template import FORMATS, PART_NAMES, TableSpec, Template, load_template, table_parts
from auditor.text.numerals import written

# Parts 二、三、四 hold the tables, in template order (shared/spec/canonical-model.md).
TABLE_PART = table_parts()


def template_for(fmt: str | None, keys: Iterable[str] = ()) -> Template:
    """The record's template; for an unknown format, the one sharing most cell keys (2021 on a tie)."""
    if fmt in FORMATS:
        return load_template(fmt)
    wanted = set(keys)
    best = max(reversed(FORMATS), key=lambda f: len(wanted & set(load_template(f).keys())))
    return load_template(best)


@dataclass(frozen=True)
class CellKey:
    """A cell key split into table, row and column (the row may itself hold a dot)."""

    table: str
    row: str
    column: str | None


def split_key(key: str, template: Template | None = None) -> CellKey:
    """Split ``requests.denied.state_secret.total``; a bare row key (``requests.granted``) has no column."""
    table, _, rest = key.partition(".")
    spec = template.tables.get(table) if template else None
    if spec is not None and rest in spec.rows:
        return CellKey(table, rest, None)
    row, _, column = rest.rpartition(".")
    return CellKey(table, row, column) if row else CellKey(table, rest, None)


def appeal_group_labels(template: Template) -> tuple[dict[str, str], tuple[str, ...]]:
    """Table 四's own group captions and the headers spanning several groups (行政诉讼)."""
    spec = template.tables["appeals"]
    own = {g: spec.group_labels[g][-1] for g in spec.column_groups if spec.group_labels.get(g)}
    spanning = tuple(dict.fromkeys(p[0] for p in spec.group_labels.values() if len(p) > 1))
    return own, spanning


def _first(labels: Sequence[str] | None, default: str) -> str:
    return labels[0] if labels else default


def _holding(template: Template, table: str, row: str) -> Template:
    """The given template, or another format's when only that one has the row (a stale-format row)."""
    for candidate in (template, *(load_template(f) for f in FORMATS)):
        spec = candidate.tables.get(table)
        if spec is not None and row in spec.rows:
            return candidate
    return template


def row_label(template: Template, table: str, row: str, with_group: bool = True) -> str:
    """Printed label of a row, prefixed by its group or caption when ``with_group``."""
    template = _holding(template, table, row)
    spec = template.tables.get(table)
    if spec is None or row not in spec.rows:
        return row
    rs = spec.rows[row]
    if table == "appeals":
        labels, spanning = appeal_group_labels(template)
        own = labels.get(row, row)
        index = spec.column_groups.index(row) if row in spec.column_groups else 0
        return " ".join((*spanning, own)) if with_group and index > 0 else own
    label = _first(rs.labels, row)
    prefix = rs.caption if rs.caption else (_first(spec.groups.get(rs.group or ""), "") if rs.group else "")
    return f"{prefix} {label}" if with_group and prefix else label


def column_labels(spec: TableSpec, row: str) -> Mapping[str, tuple[str, ...]]:
    """Column labels that apply to a row (table 二 has one set per caption block)."""
    rs = spec.rows.get(row)
    caption = rs.caption if rs and rs.caption else ""
    return spec.column_labels.get(caption) or spec.column_labels.get("") or {}


def column_label(template: Template, table: str, row: str, column: str) -> str:
    """Printed label of a column in a row's block."""
    spec = _holding(template, table, row).tables.get(table)
    if spec is None:
        return column
    return _first(column_labels(spec, row).get(column), column)


def table_title(template: Template, table: str) -> str:
    """``三、收到和处理政府信息公开申请情况``."""
    spec = template.tables.get(table)
    title = spec.title if spec else table
    part = TABLE_PART.get(table)
    return f"{written(part)}、{title}" if part else title


def cell_label(template: Template, key: str) -> str:
    """A cell in words: ``表三 行「（七）总计」 列「总计」``."""
    k = split_key(key, template)
    if k.table not in template.tables:
        return key
    part = TABLE_PART.get(k.table)
    where = f"表{written(part)}" if part else k.table
    out = f"{where} 行「{row_label(template, k.table, k.row)}」"
    if k.column:
        out += f" 列「{column_label(template, k.table, k.row, k.column)}」"
    return out


def part_label(part: int, sections: Sequence[Mapping[str, Any]], template: Template) -> str:
    """``第三部分（收到和处理政府信息公开申请情况）``, titled from the report or the template."""
    title = next((str(s.get("title") or "") for s in sections if s.get("number") == part), "")
    if not title:
        title = PART_NAMES.get(part, "").partition("、")[2]
    return f"第{written(part)}部分（{title}）" if title else f"第{written(part)}部分"


def location_text(
    finding: Mapping[str, Any], record: Mapping[str, Any], template: Template, with_line: bool = True
) -> str:
    """Where a finding points, in Chinese: part, table, row, column and (``with_line``) source line.

    Documents sent to the body leave the line out: it numbers the auditor's text, not the report.
    """
    loc: Mapping[str, Any] = finding.get("location") or {}
    bits: list[str] = []
    part = loc.get("part")
    table = loc.get("table")
    if part is None and isinstance(table, str):
        part = TABLE_PART.get(table)
    if isinstance(part, int):
        bits.append(part_label(part, record.get("sections") or (), template))
    if isinstance(table, str) and table in template.tables:
        row, column = str(loc.get("row") or ""), loc.get("column")
        if isinstance(part, int) and TABLE_PART.get(table) not in (None, part) and row:
            bits.append(f"对照表{written(TABLE_PART[table])}")  # a text finding about a table cell
        if row:
            bits.append(f"行「{row_label(template, table, row)}」")
        if column:
            bits.append(f"列「{column_label(template, table, row, str(column))}」")
    elif not bits:
        cells = finding.get("cells") or ()
        if cells:
            bits.append(cell_label(template, str(cells[0])))
    # A PDF page is the body's own: it is named in every document, the line only for inspectors.
    if isinstance(loc.get("page"), int):
        bits.append(f"第{loc['page']}页")
    line = loc.get("line", finding.get("line"))
    if line is not None and with_line:
        bits.append(f"第{line}行")
    return "，".join(bits) if bits else "全文"
