"""Printed table labels against the format's spelling (TBL-002, TBL-003, TBL-007).

The parser maps a label to its row or column even when it was altered
("现行有效件数（历史累计）" still reads as 现行有效件数). Here a label counts as altered
when, after the parser's own normalisation (width, spaces, quotes, list numbers), it is
none of the spellings the template lists for that row or column — the template lists
only real variants, so generated label noise never trips this check. ``unknown``
lists labels the parser could not place at all (an added 合计 row, a 小计 column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.labels import core_form, label_index
from auditor.model.template import TableSpec
from auditor.model.types import Report, Source
from auditor.rules.cellnames import NUMERALS
from auditor.rules.patterns import search
from auditor.rules.types import CheckContext, Result

KIND = "table_labels"
_UNIT_NOTE = re.compile(r"\(单位[^()]*\)")
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table", "kinds"],
    "additionalProperties": False,
    "properties": {
        "table": {"enum": ["disclosure", "requests", "appeals"], "description": "检查的表（表二/三/四的键）"},
        "kinds": {
            "type": "array",
            "items": {"enum": ["columns", "rows", "unknown"]},
            "minItems": 1,
            "description": "columns/rows：非模板写法的列名/行名；unknown：无法识别的标签",
        },
        # unknown labels: only those matching this regular expression (e.g. 小计|合计).
        "pattern": {"type": "string", "description": "unknown：只报告匹配此正则的标签（如 小计|合计）"},
    },
}
PLACEHOLDERS = frozenset({"table", "detail", "count"})


def _accepted(spec: TableSpec, kind: str, key: str) -> set[str]:
    if kind == "row":
        labels: Iterable[str] = spec.rows[key].labels if key in spec.rows else ()
    else:
        labels = [label for cols in spec.column_labels.values() for label in cols.get(key, ())]
    return {_plain(label) for label in labels}


def _plain(label: str) -> str:
    # A unit note ("（单位：万元）") is VAL-004/005's business, not an altered header.
    return _UNIT_NOTE.sub("", core_form(label))


def _header_cells(spec: TableSpec) -> list[str]:
    """The table's own header and caption cells, as `_plain` spells them."""
    return [_plain(h) for h in (*spec.headers, *(c for cs in spec.captions.values() for c in cs))]


def _unglued(printed: str, heads: list[str]) -> str:
    """The label without the table's own header cells a conversion glued before it
    ("信息内容本年处理决定数量" is 信息内容 and 本年处理决定数量, both as the format prints them)."""
    plain = _plain(printed)
    glued = True
    while glued:
        glued = False
        for head in heads:
            if head and plain.startswith(head) and len(plain) > len(head):
                plain, glued = plain[len(head) :], True
    return plain


def _altered(report: Report, name: str, kind: str, fmt: str, spec: TableSpec) -> list[tuple[str, str]]:
    """(printed label, the format's spelling) for each altered label of one kind."""
    info = report.tables[name]
    index = label_index(fmt)
    heads = _header_cells(spec)
    # Lines of text wrap a label anywhere; a piece of it alone is how it was read, not how
    # it was printed (``现行有效件`` / ``数``, ``本年`` / ``制发件数``).
    wrapped = report.source.layout == Source.PARAGRAPH
    out: list[tuple[str, str]] = []
    for printed in dict.fromkeys(info.labels):
        match = index.lookup(printed)
        entries = [e for e in match.entries if e.table == name and e.kind == kind] if match else []
        if not entries:
            continue
        plain = _unglued(printed, heads)
        accepted = set().union(*(_accepted(spec, kind, e.key) for e in entries))
        if plain in accepted or (wrapped and any(plain in a for a in accepted)):
            continue
        wanted = _canonical(spec, kind, entries[0].key)
        out.append((printed.strip(), wanted))
    return out


def _canonical(spec: TableSpec, kind: str, key: str) -> str:
    if kind == "row":
        return spec.rows[key].labels[0] if key in spec.rows and spec.rows[key].labels else key
    for cols in spec.column_labels.values():
        if cols.get(key):
            return cols[key][0]
    return key


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result listing the table's altered (or unrecognised) labels."""
    name = str(params["table"])
    info = report.tables.get(name)
    if info is None or ctx.template is None or name not in ctx.template.tables:
        return  # TBL-001/004/008 report a missing table
    pairs: list[tuple[str, str]] = []
    for kind in params["kinds"]:
        if kind == "unknown":
            pattern = str(params.get("pattern") or ".")
            pairs += [(u.strip(), "") for u in dict.fromkeys(info.unknown_labels) if search(pattern, u)]
        else:
            entry_kind = "row" if kind == "rows" else "column"
            pairs += _altered(report, name, entry_kind, ctx.template.format, ctx.template.tables[name])
    if not pairs:
        return
    detail = "、".join(f"“{p}”（应为“{w}”）" if w else f"“{p}”" for p, w in pairs)
    yield Result(
        table=name,
        line=info.line,
        actual=[p for p, _ in pairs],
        expected=[w for _, w in pairs if w] or None,
        vars={"table": NUMERALS[name], "detail": detail, "count": len(pairs)},
    )
