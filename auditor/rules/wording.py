"""Sentences a check kind builds for ``{detail}``, rewritable per rule (``params.wording``).

A kind lists its sentences in ``WORDING`` (key → default template). A rule may replace any
of them in ``params: {wording: {key: 新的说法}}``, using the placeholders the default uses;
without ``wording`` the kind says exactly what it always said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.rules.messages import placeholders_of, show
from auditor.rules.suggest import did_you_mean


def say(params: Mapping[str, Any], defaults: Mapping[str, str], key: str, **values: Any) -> str:
    """The sentence ``key`` of a kind, in the rule's wording when it gives one."""
    template = str((params.get("wording") or {}).get(key, defaults[key]))
    return template.format_map({name: show(values.get(name)) for name in placeholders_of(template)})


def wording_schema(defaults: Mapping[str, str]) -> dict[str, Any]:
    """The ``wording`` param of a kind: one optional template per sentence."""
    properties = {
        key: {
            "type": "string",
            "minLength": 1,
            "description": f"默认：{text}"
            + (f"（可用占位符：{'、'.join('{' + n + '}' for n in placeholders_of(text))}）" if "{" in text else ""),
        }
        for key, text in defaults.items()
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "description": "改写此检查类型生成的说法（即消息中的 {detail}）",
    }


def lint_wording(params: Mapping[str, Any], defaults: Mapping[str, str]) -> list[tuple[str, str]]:
    """Rewritten sentences that use placeholders their default does not fill."""
    problems: list[tuple[str, str]] = []
    for key, text in (params.get("wording") or {}).items():
        if key not in defaults:
            continue  # the schema names unknown keys
        allowed = placeholders_of(defaults[key])
        try:
            used = placeholders_of(str(text))
        except ValueError:
            problems.append((f"params.wording.{key}", "花括号不成对（字面的花括号请写作 {{ 或 }}）"))
            continue
        for name in used:
            if name not in allowed:
                known = "、".join("{" + n + "}" for n in allowed) or "无"
                message = f"此说法不提供占位符 {{{name}}}{did_you_mean(name, allowed)}（可用：{known}）"
                problems.append((f"params.wording.{key}", message))
                break
    return problems
