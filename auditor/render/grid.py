"""The printed layout of the three statistical tables, derived from a format template.

A grid is a list of rows of `Slot`s: header and label slots carry template text, value
slots carry the cell key a renderer fills from a record's ``cells``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from auditor.model.template import RowSpec, TableSpec, Template, load_template
from auditor.render.labels import appeal_group_labels

GRID_TABLES = ("disclosure", "requests", "appeals")


@dataclass(frozen=True)
class Slot:
    """One printed cell: ``kind`` is ``head``, ``label``, ``value`` (with ``key``) or ``pad``."""

    kind: str
    text: str = ""
    key: str | None = None
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class GridRow:
    """A printed row and the data rows (``table.row``) whose values it shows."""

    slots: tuple[Slot, ...]
    rows: tuple[str, ...] = ()


def _values(spec: TableSpec, row: RowSpec, width: int) -> list[Slot]:
    slots = [Slot("value", key=f"{spec.name}.{row.key}.{col}") for col in row.columns]
    if len(row.columns) < width:
        slots.append(Slot("pad", colspan=width - len(row.columns)))
    return slots


def _disclosure(spec: TableSpec) -> list[GridRow]:
    width = spec.width
    corner = spec.headers[0] if spec.headers else ""
    out: list[GridRow] = []
    caption: str | None = None
    for row in spec.rows.values():
        if row.caption != caption:  # each caption block prints its own column header row
            caption = row.caption
            out.append(GridRow((Slot("head", caption or "", colspan=1 + width),)))
            heads = [Slot("head", labels[0]) for labels in spec.column_labels.get(caption or "", {}).values()]
            pad = [Slot("head", "", colspan=width - len(heads))] if len(heads) < width else []
            out.append(GridRow((Slot("head", corner), *heads, *pad)))
        label = Slot("label", row_label_of(spec, row))
        out.append(GridRow((label, *_values(spec, row, width)), (f"{spec.name}.{row.key}",)))
    return out


def row_label_of(spec: TableSpec, row: RowSpec) -> str:
    """The row's own printed label (first template label)."""
    return row.labels[0] if row.labels else row.key


def _requests(spec: TableSpec) -> list[GridRow]:
    width = spec.width
    heads = [Slot("head", labels[0]) for labels in spec.column_labels.get("", {}).values()]
    out = [GridRow((Slot("head", "", colspan=2), *heads))]
    rows = list(spec.rows.values())
    for index, row in enumerate(rows):
        if row.group:
            first = index == 0 or rows[index - 1].group != row.group
            span = 0
            while index + span < len(rows) and rows[index + span].group == row.group:
                span += 1
            group = [Slot("label", spec.groups.get(row.group, (row.group,))[0], rowspan=span)] if first else []
            labels = [*group, Slot("label", row_label_of(spec, row))]
        else:
            labels = [Slot("label", row_label_of(spec, row), colspan=2)]
        out.append(GridRow((*labels, *_values(spec, row, width)), (f"{spec.name}.{row.key}",)))
    return out


def _appeals(template: Template, spec: TableSpec) -> list[GridRow]:
    groups = spec.column_groups or tuple(spec.rows)
    labels, spanning = appeal_group_labels(template)
    width = len(spec.column_labels.get("", {}))
    own = [labels.get(g, g) for g in groups]
    if spanning and len(groups) > 1:
        top = [Slot("head", own[0], colspan=width, rowspan=2)]
        top += [Slot("head", s, colspan=width * (len(groups) - 1)) for s in spanning[:1]]
        head_rows = [top, [Slot("head", o, colspan=width) for o in own[1:]]]
    else:
        head_rows = [[Slot("head", o, colspan=width) for o in own]]
    columns = [Slot("head", col[0]) for col in spec.column_labels.get("", {}).values()] * len(groups)
    values = [s for g in groups if g in spec.rows for s in _values(spec, spec.rows[g], width)]
    out = [GridRow(tuple(r)) for r in head_rows]
    out.append(GridRow(tuple(columns)))
    out.append(GridRow(tuple(values), tuple(f"{spec.name}.{g}" for g in groups)))
    return out


@cache
def table_grid(fmt: str, table: str) -> tuple[GridRow, ...]:
    """The rows of one table (``disclosure``, ``requests`` or ``appeals``) as format ``fmt`` prints it."""
    template = load_template(fmt)
    spec = template.tables[table]
    if table == "appeals":
        return tuple(_appeals(template, spec))
    if table == "requests":
        return tuple(_requests(spec))
    return tuple(_disclosure(spec))


@cache
def grid_keys(fmt: str) -> frozenset[str]:
    """Every cell key the grids of a format show."""
    return frozenset(s.key for t in GRID_TABLES for r in table_grid(fmt, t) for s in r.slots if s.key)
