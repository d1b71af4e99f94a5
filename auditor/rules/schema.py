"""The JSON Schema of a whole rule pack: the hand-written pack shape plus every kind's params.

`pack.base.json` describes packs, entries and scoring; each check kind owns its
``PARAMS_SCHEMA`` and ``PLACEHOLDERS``. `pack_schema()` joins them, discriminating
``params`` and ``message`` by ``check``, so one file lets an editor's YAML language server
complete and check a rule file. `pack.schema.json` is that file as shipped (a test keeps it
equal to `pack_schema()`; `audit rules schema` prints it).
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from auditor.model.template import load_template
from auditor.rules.messages import COMMON_PLACEHOLDERS
from auditor.rules.registry import CHECKS

BASE_PATH = Path(__file__).with_name("pack.base.json")
SHIPPED_PATH = Path(__file__).with_name("pack.schema.json")
# Marks a subschema whose problems the loader's lints report better (with the column and
# the nearest spelling); the loader skips that subschema's own errors. Editors ignore it.
LINTED = "x-linted"
_EXPRESSION = "x-expression"


def _segments() -> list[str]:
    keys = [key for fmt in ("2019", "2021") for key in load_template(fmt).keys()]  # noqa: SIM118 - not a dict
    names = {seg for key in keys for seg in key.split(".")}
    return sorted(names, key=lambda s: (-len(s), s))


def expression_pattern(kind: str) -> str:
    """A regular expression for cell expressions over the templates' key segments.

    ``identity``: two sides and a comparison; ``sum``: one side (or ``@year``). A misspelt
    key segment or a stray operator fails it; exact key checks stay with the loader's lint.
    """
    seg = "(?:" + "|".join(map(re.escape, _segments())) + r"|\{[a-z_][a-z0-9_]*\}|\*)"
    key = rf"{seg}(?:\.{seg})+"
    number = r"[0-9]+(?:\.[0-9]+)?"
    term = rf"(?:{number}\s*\*\s*)?(?:{key}|sum\(\s*{key}\s*\)|{number})"
    side = rf"[+-]?\s*{term}(?:\s*[+-]\s*{term})*"
    if kind == "identity":
        return rf"^\s*{side}\s*(?:<=|>=|=)\s*{side}\s*$"
    return rf"^\s*(?:@year|{side})\s*$"


def message_pattern(names: frozenset[str]) -> str:
    """Messages whose only ``{placeholders}`` are ``names`` (``{{``/``}}`` are literal braces)."""
    return r"^(?:[^{}]|\{\{|\}\}|\{(?:" + "|".join(sorted(names)) + r")\})*$"


def placeholders(kind: str) -> frozenset[str]:
    """The placeholders a rule of this kind may use: the engine's common ones and the kind's."""
    own: frozenset[str] = getattr(CHECKS[kind], "PLACEHOLDERS", frozenset())
    return COMMON_PLACEHOLDERS | own


def _mark_expressions(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _mark_expressions(v) for k, v in node.items()}
        if _EXPRESSION in out:
            out["$ref"] = f"#/$defs/expression_{out.pop(_EXPRESSION)}"
        return out
    if isinstance(node, list):
        return [_mark_expressions(v) for v in node]
    return node


def _kind_branch(kind: str) -> dict[str, Any]:
    names = placeholders(kind)
    message = {
        "type": "string",
        "pattern": message_pattern(names),
        LINTED: True,
        "description": "问题描述模板；此检查类型可用的占位符：" + "、".join("{" + n + "}" for n in sorted(names)),
    }
    params = {"$ref": f"#/$defs/params_{kind}", "description": f"检查类型 {kind} 的参数"}
    return {
        "if": {"properties": {"check": {"const": kind, "description": "检查类型"}}, "required": ["check"]},
        "then": {"properties": {"params": params, "message": message}},
    }


@cache
def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a rule-pack file, per-kind params and messages included."""
    schema: dict[str, Any] = json.loads(BASE_PATH.read_text(encoding="utf-8"))
    entry = schema["$defs"]["entry"]
    kinds = sorted(CHECKS)
    entry["properties"]["check"] = {
        **entry["properties"]["check"],
        "enum": kinds,
    }
    entry["properties"]["check"].pop("type", None)
    entry["allOf"] = [_kind_branch(kind) for kind in kinds]
    for form in ("identity", "sum"):
        schema["$defs"][f"expression_{form}"] = {
            "type": "string",
            "pattern": expression_pattern(form),
            LINTED: True,
            "description": "单元格表达式（键见 `audit rules cells`）",
        }
    for kind in kinds:
        params = _mark_expressions(copy.deepcopy(CHECKS[kind].PARAMS_SCHEMA))
        doc = (CHECKS[kind].__doc__ or kind).strip().splitlines()[0]
        schema["$defs"][f"params_{kind}"] = {**params, "description": params.get("description") or f"{kind}：{doc}"}
    return schema


def schema_text() -> str:
    """`pack_schema()` as the shipped file spells it."""
    return json.dumps(pack_schema(), ensure_ascii=False, indent=2) + "\n"
