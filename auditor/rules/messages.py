"""Message templates: ``str.format`` placeholders from a fixed set, never attribute access.

Placeholders (all optional in a template; unknown ones are a lint error):

- ``cell``: Chinese name of the first (blamed) cell, e.g. 三（七）总计·总计
- ``cells``: Chinese names of all cells of the finding, joined by 、
- ``expected`` / ``actual``: the expected and the printed value
- ``lhs`` / ``rhs``: the two sides of an identity; ``op``: its comparison
- ``where``: the foreach binding in Chinese (总计列, 三（一）予以公开行, 行政复议)
- ``correction``: blame sentence (应将…由 46 更正为 333), empty when nothing was blamed
- ``detail``: a check-specific explanation; ``value``: a printed value
- ``part`` (一…六), ``table`` (二/三/四), ``count``
- ``year``, ``agency``, ``published``, ``deadline``
- ``previous``: the previous-year report as a phrase (2022年度报告), for cross_year rules
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

PLACEHOLDERS = frozenset(
    {
        "cell",
        "cells",
        "expected",
        "actual",
        "lhs",
        "rhs",
        "op",
        "where",
        "correction",
        "detail",
        "value",
        "part",
        "table",
        "count",
        "year",
        "agency",
        "published",
        "deadline",
        "previous",
    }
)


def lint_message(template: str) -> str | None:
    """A problem with a message template, or None when it is fine."""
    if not template.strip():
        return "message is empty"
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"bad placeholder syntax: {exc}"
    for _, name, spec, conv in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            return f"unknown placeholder {{{name}}} (allowed: {', '.join(sorted(PLACEHOLDERS))})"
        if conv or spec:
            return f"placeholder {{{name}}} may not use conversions or format specs"
    return None


def show(value: Any) -> str:
    """A value as a user reads it: integers without ``.0``, None as 无."""
    if value is None:
        return "无"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "、".join(show(v) for v in value)
    return str(value)


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fill a linted template; missing placeholders render empty."""
    filled = {name: show(values[name]) if values.get(name) is not None else "" for name in PLACEHOLDERS}
    return template.format_map(filled)


_DEBRIS = re.compile(r"“\s*”|（\s*）|\(\s*\)|[ \t]+")
_CLAUSE_END = re.compile(r"[：；。，,]")
_TITLE_MAX = 24


def rule_title(message: str, fallback: str) -> str:
    """A short Chinese name of a rule, read from its message template (for charts and statistics).

    Placeholders are dropped and the first clause kept; when what is left names nothing
    (too short, or a quote or number left empty), ``fallback`` (the category) is used.
    """
    try:
        parts = [text for text, _, _, _ in string.Formatter().parse(message)]
    except ValueError:
        return fallback
    joined = "\u0000".join(parts)
    head = _CLAUSE_END.split(joined, maxsplit=1)[0]
    if "\u0000" in head.strip("\u0000"):  # a value was cut out of the middle of the clause
        return fallback
    title = _DEBRIS.sub("", head.replace("\u0000", ""))
    if len(title) < 4:
        return fallback
    return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1] + "…"
