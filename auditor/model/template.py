"""The two table templates (2019 and 2021 formats), loaded from YAML data.

The YAML files beside this module list every row and column label a format prints and
the canonical key each maps to. Code here only indexes that data; it knows no labels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from auditor.resources import template_data

FORMATS = ("2019", "2021")
TABLES = ("disclosure", "requests", "appeals")


@dataclass(frozen=True)
class RowSpec:
    """One data row: its key, printed labels, group context and column keys."""

    table: str
    key: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    group: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One statistical table of a format."""

    name: str
    title: str
    headers: tuple[str, ...]
    rows: Mapping[str, RowSpec]
    # Column labels, per block caption for table 二 (key "" for the other tables).
    column_labels: Mapping[str, Mapping[str, tuple[str, ...]]]
    captions: Mapping[str, tuple[str, ...]]
    groups: Mapping[str, tuple[str, ...]]
    units: Mapping[str, str]
    signed_columns: tuple[str, ...] = ()
    money_columns: tuple[str, ...] = ()
    # Table 四 has one row of three groups; the other tables have none.
    column_groups: tuple[str, ...] = ()
    part: int = 0  # the part of the report (2, 3, 4 → 二, 三, 四) that prints the table
    # Printed header path of each column group, outer to inner (行政诉讼 → 复议后起诉).
    group_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Per-column sums the table must satisfy: (left rows, right rows); a group name stands
    # for all rows of that group.
    identities: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    def members(self, name: str) -> tuple[str, ...]:
        """Row keys a name stands for: the row itself, or every row of the group."""
        if name in self.rows:
            return (name,)
        return tuple(k for k in self.rows if k.startswith(name + "."))

    @property
    def width(self) -> int:
        """Number of value columns of the widest row."""
        return max((len(r.columns) for r in self.rows.values()), default=0)


@dataclass(frozen=True)
class Template:
    """All tables of one format."""

    format: str
    source: str
    signatures: tuple[str, ...]
    tables: Mapping[str, TableSpec]
    first_year: int = 0  # the first report year the format is for
    # Keys and named sets are asked for by every report: derived once per template.
    _derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def keys(self, table: str | None = None) -> tuple[str, ...]:
        """Every cell key of the format (or of one table), in printed order."""
        found: tuple[str, ...] | None = self._derived.get(table)
        if found is None:
            out: list[str] = []
            for spec in self.tables.values():
                if table is None or spec.name == table:
                    out.extend(f"{spec.name}.{row.key}.{col}" for row in spec.rows.values() for col in row.columns)
            found = self._derived[table] = tuple(out)
        return found

    def row_keys(self, row: str) -> tuple[str, ...]:
        """Cell keys of one row (``table.row``), in printed order."""
        found: tuple[str, ...] | None = self._derived.get(("row", row))
        if found is None:
            table = row.split(".", 1)[0]
            found = self._derived["row", row] = tuple(k for k in self.keys(table) if k.rsplit(".", 1)[0] == row)
        return found

    def named_sets(self) -> dict[str, tuple[str, ...]]:
        """Sets that rule files may iterate over, such as ``requests.rows``."""
        return dict(self._named_sets)

    @cached_property
    def _named_sets(self) -> dict[str, tuple[str, ...]]:
        sets: dict[str, tuple[str, ...]] = {}
        for spec in self.tables.values():
            sets[f"{spec.name}.rows"] = tuple(spec.rows)
            cols: list[str] = []
            for row in spec.rows.values():
                cols.extend(c for c in row.columns if c not in cols)
            sets[f"{spec.name}.columns"] = tuple(cols)
            if spec.column_groups:
                sets[f"{spec.name}.groups"] = spec.column_groups
        return sets


def _labels(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _table(name: str, data: Mapping[str, Any]) -> TableSpec:
    rows: dict[str, RowSpec] = {}
    column_labels: dict[str, dict[str, tuple[str, ...]]] = {}
    captions: dict[str, tuple[str, ...]] = {}
    units: dict[str, str] = dict(data.get("units") or {})
    if "blocks" in data:  # table 二: rows and columns per caption block
        for block in data["blocks"]:
            caption_labels = _labels(block["caption"])
            caption = caption_labels[0]
            captions[caption] = caption_labels
            cols = {k: _labels(v) for k, v in block["columns"].items()}
            column_labels[caption] = cols
            units.update(block.get("units") or {})
            for key, labels in block["rows"].items():
                rows[key] = RowSpec(name, key, _labels(labels), tuple(cols), caption=caption)
    elif "rows" in data:  # table 三
        cols = {k: _labels(v) for k, v in data["columns"].items()}
        column_labels[""] = cols
        for key, row in data["rows"].items():
            rows[key] = RowSpec(name, key, _labels(row["labels"]), tuple(cols), group=row.get("group"))
    else:  # table 四: a single row of three column groups
        cols = {k: _labels(v) for k, v in data["columns"].items()}
        column_labels[""] = cols
        for group in data["groups"]:
            rows[group] = RowSpec(name, group, (), tuple(cols))
    groups = data.get("groups") if isinstance(data.get("groups"), dict) else {}
    return TableSpec(
        name=name,
        title=str(data.get("title", "")),
        headers=_labels(data.get("headers")),
        rows=rows,
        column_labels=column_labels,
        captions=captions,
        groups={k: _labels(v) for k, v in (groups or {}).items()},
        units=units,
        signed_columns=_labels(data.get("signed_columns")),
        money_columns=_labels(data.get("money_columns")),
        column_groups=tuple(data["groups"]) if isinstance(data.get("groups"), list) else (),
        group_labels={k: _labels(v) for k, v in (data.get("group_labels") or {}).items()},
        part=int(data.get("part", 0)),
        identities=tuple((_labels(left), _labels(right)) for left, right in data.get("identities") or ()),
    )


@cache
def load_template(fmt: str) -> Template:
    """The template of format ``"2019"`` or ``"2021"``."""
    if fmt not in FORMATS:
        raise KeyError(f"unknown report format {fmt!r}")
    data = template_data(f"{fmt}.yaml")
    return Template(
        format=str(data["format"]),
        source=str(data["source"]),
        signatures=_labels(data["signatures"]),
        tables={name: _table(name, spec) for name, spec in data["tables"].items()},
        first_year=int(data["years"]["first"]),
    )


def other_format(fmt: str) -> str:
    """The other of the two formats (a report may print a table the other format's way)."""
    return next(f for f in FORMATS if f != fmt)


def first_format_year() -> int:
    """The first report year any State Council format applies to (earlier reports were free-form)."""
    return min(load_template(f).first_year for f in FORMATS)


@dataclass(frozen=True)
class PartSpec:
    """One of the six parts: its numeral, title and the phrases that recognise it."""

    number: int
    numeral: str
    title: str
    heading: str  # regex alternatives that tell which part a heading opens
    subject: str  # regex alternatives showing the body speaks of the part
    outline: tuple[str, ...]  # phrases that make a numbered line a part heading (the grammar's)

    @property
    def name(self) -> str:
        """The heading as the format prints it: ``三、收到和处理政府信息公开申请情况``."""
        return f"{self.numeral}、{self.title}"


@cache
def parts() -> tuple[PartSpec, ...]:
    """The six parts, from ``templates/parts.yaml``."""
    data = template_data("parts.yaml")
    return tuple(PartSpec(**{**p, "outline": tuple(p["outline"])}) for p in data["parts"])


PART_NUMERALS = "".join(p.numeral for p in parts())
"""Part numbers 1–6 as printed in headings (index = number − 1)."""

# Checked from part 六 down, since later titles contain earlier phrases (五 mentions 改进情况).
PART_PHRASES: tuple[tuple[int, str], ...] = tuple((p.number, p.heading) for p in reversed(parts()))
_PART_PATTERNS = tuple((n, re.compile(p)) for n, p in PART_PHRASES)
PART_SUBJECTS: tuple[tuple[int, str], ...] = tuple((p.number, p.subject) for p in parts())
PART_NAMES = {p.number: p.name for p in parts()}
"""Each part's heading as the format prints it, by number."""


def part_of_heading(text: str) -> int | None:
    """The part (1–6) a heading opens, by its key phrase."""
    return next((n for n, pattern in _PART_PATTERNS if pattern.search(text)), None)


@cache
def table_parts() -> Mapping[str, int]:
    """Which part prints each table (the same in both formats): disclosure → 2 …"""
    return {name: spec.part for name, spec in load_template("2021").tables.items()}


def table_numeral(table: str) -> str:
    """The numeral of the part printing a table: ``requests`` → 三."""
    part = table_parts().get(table)
    return PART_NUMERALS[part - 1] if part else table


def all_keys(fmt: str | None) -> tuple[str, ...]:
    """Cell keys of a format; for an unknown format, the union of both."""
    if fmt in FORMATS:
        return load_template(fmt).keys()
    seen: dict[str, None] = {}
    for f in FORMATS:
        seen.update(dict.fromkeys(load_template(f).keys()))
    return tuple(seen)
