"""Chinese names of cells and bindings, generated from the template labels.

``requests.results_total.total`` → ``三（七）总计·总计``. The labels come from the
template YAML, so there is no second table of names to keep in step.
"""

from __future__ import annotations

import re
from functools import cache

from auditor.model.template import TableSpec, Template, load_template, table_numeral, table_parts

NUMERALS = {table: table_numeral(table) for table in table_parts()}
# A trailing counting note such as "（区分处理的，只计这一情形，不计其他情形）".
_NOTE = re.compile(r"^(.+?)（[^（）]*）$")


def _short(label: str) -> str:
    m = _NOTE.match(label)
    return m.group(1) if m and m.group(1).startswith("（") and "）" in m.group(1) else label


def _group_label(spec: TableSpec, group: str) -> str:
    """Label of a table-四 column group: 行政复议, 行政诉讼（复议后起诉）."""
    path = spec.group_labels.get(group, ())
    if not path:
        return group
    return path[0] if len(path) == 1 else f"{path[0]}（{path[-1]}）"


def _column_label(spec: TableSpec, row: str, col: str) -> str:
    caption = spec.rows[row].caption if row in spec.rows else None
    for cap, cols in spec.column_labels.items():
        if (caption is None or cap in ("", caption)) and cols.get(col):
            return cols[col][0]
    return col


def row_label(spec: TableSpec, row: str) -> str:
    """Printed label of a row, with its group label for grouped rows of table 三."""
    if spec.column_groups:
        return _group_label(spec, row)
    rs = spec.rows.get(row)
    if rs is None:
        return row
    label = _short(rs.labels[0]) if rs.labels else row
    if rs.group and spec.groups.get(rs.group):
        label = f"{spec.groups[rs.group][0]}·{label}"
    return label


@cache
def _names(fmt: str) -> dict[str, str]:
    template = load_template(fmt)
    names: dict[str, str] = {}
    for spec in template.tables.values():
        num = NUMERALS.get(spec.name, spec.name)
        for row, rs in spec.rows.items():
            label = row_label(spec, row)
            sep = "" if label.startswith("（") else "·"
            for col in rs.columns:
                names[f"{spec.name}.{row}.{col}"] = f"{num}{sep}{label}·{_column_label(spec, row, col)}"
    return names


def cell_name(key: str, template: Template | None) -> str:
    """Chinese name of a cell key; the key itself when no template knows it."""
    formats = [template.format] if template else ["2021", "2019"]
    for fmt in formats:
        name = _names(fmt).get(key)
        if name:
            return name
    if template is None:
        return key
    return cell_name(key, None)


def binding_label(value: str, template: Template | None) -> str:
    """Chinese label of a ``foreach`` value: a column (…列), a row (…行) or a group."""
    if template is None:
        return value
    for spec in template.tables.values():
        if value in spec.column_groups:
            return _group_label(spec, value)
        if value in spec.rows:
            # Messages already say which table ("表三{where}"): the row label alone.
            return f"{row_label(spec, value)}行"
    for spec in template.tables.values():
        for cols in spec.column_labels.values():
            if value in cols:
                return f"{cols[value][0]}列"
    return value
