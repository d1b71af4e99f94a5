"""Narrative content of a part: keyword groups, emptiness (SEC-003..006, FEE-001).

Keyword rules only hint that content is missing, so packs keep them at warning or info.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import PART_NUMERALS
from auditor.model.types import Report
from auditor.rules.types import CheckContext, Result
from auditor.rules.wording import lint_wording, say, wording_schema

KIND = "text_required"
WORDING = {"empty": "内容为“{body}”", "blank": "内容为空"}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["section"],
    "additionalProperties": False,
    "properties": {
        "section": {"type": "integer", "minimum": 1, "maximum": 6, "description": "检查的部分（1…6）"},
        # Each group is satisfied by any one of its keywords; one result per missing group.
        "groups": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "description": "组名 → 关键词列表；每组出现任一关键词即满足",
        },
        # Part text that counts as empty ("无", "略", "无。").
        "empty": {"type": "array", "items": {"type": "string"}, "description": "视为空的部分正文（如 无、略）"},
        "empty_severity": {"enum": ["error", "warning", "info"], "description": "部分为空时的级别"},
        "whole_report": {"type": "boolean", "default": False, "description": "在全文而非该部分中查找关键词"},
        # One result naming every missing group instead of one result per group.
        "combine": {"type": "boolean", "default": False, "description": "所有缺少的组合并为一条问题"},
        "wording": wording_schema(WORDING),
    },
}
PLACEHOLDERS = frozenset({"part", "detail", "value", "count"})
_STRIP = re.compile(r"[\s。．.，,、；;：:]")


def _body(text: str, title: str) -> str:
    body = text.replace(title, "", 1) if title and text.startswith(title) else text
    return body.strip()


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result when the part is empty or lacks a keyword group."""
    number = int(params["section"])
    section = report.section(number)
    if section is None:
        return  # SEC-001 reports the missing part
    part = PART_NUMERALS[number - 1]
    body = _body(section.text, section.title)
    whole = "\n".join(report.lines) or "\n".join(s.text for s in report.sections)
    text = whole if params.get("whole_report") else body
    bare = _STRIP.sub("", body)
    empty = [_STRIP.sub("", e) for e in params.get("empty") or ()]
    if "empty" in params and (not bare or bare in empty):
        yield Result(
            line=section.line,
            part=number,
            actual=body or None,
            severity=params.get("empty_severity"),
            vars={
                "part": part,
                "detail": say(params, WORDING, "empty", body=body) if body else say(params, WORDING, "blank"),
            },
        )
        return
    groups = params.get("groups") or {}
    missing = {name: words for name, words in groups.items() if not any(w in text for w in words)}
    if params.get("combine") and missing:
        yield Result(
            line=section.line,
            part=number,
            expected="、".join(missing),
            vars={
                "part": part,
                "detail": "、".join(missing),
                "value": "；".join("、".join(w) for w in missing.values()),
                "count": len(missing),
            },
        )
        return
    for name, words in missing.items():
        yield Result(
            instance=str(name),
            line=section.line,
            part=number,
            expected="、".join(words),
            vars={"part": part, "detail": str(name), "value": "、".join(words)},
        )


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: rewritten sentences with placeholders they do not fill."""
    return lint_wording(params, WORDING)
