"""Message templates: ``str.format`` placeholders from a fixed set, never attribute access.

The engine fills these for every rule (`COMMON_PLACEHOLDERS`):

- ``cell``: Chinese name of the first (blamed) cell, e.g. 三（七）总计·总计
- ``cells``: Chinese names of all cells of the finding, joined by 、
- ``expected`` / ``actual``: the expected and the printed value
- ``year``, ``agency``: the report's statistical year and organ

Each check kind declares the others it fills in its module's ``PLACEHOLDERS`` (``lhs``,
``rhs``, ``where``, ``detail``…); a rule may use only the common ones and its kind's.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.rules.suggest import did_you_mean

COMMON_PLACEHOLDERS = frozenset({"cell", "cells", "expected", "actual", "year", "agency"})


def placeholders_of(template: str) -> list[str]:
    """The placeholder names a template uses, in order (ValueError on bad brace syntax)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def lint_message(template: str, allowed: Iterable[str], kind: str = "") -> str | None:
    """A problem with a message template (in Chinese), or None when it is fine."""
    names = frozenset(allowed)
    if not template.strip():
        return "消息为空"
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return "花括号不成对（字面的花括号请写作 {{ 或 }}）"
    for _, name, spec, conv in fields:
        if name is None:
            continue
        if name not in names:
            known = "、".join("{" + n + "}" for n in sorted(names))
            whose = f"检查类型 {kind} " if kind else ""
            hint = did_you_mean(name, names)
            return f"{whose}不提供占位符 {{{name}}}{hint}（可用：{known}）"
        if conv or spec:
            return f"占位符 {{{name}}} 不能带转换或格式说明"
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
    filled = {name: show(values[name]) if values.get(name) is not None else "" for name in placeholders_of(template)}
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
