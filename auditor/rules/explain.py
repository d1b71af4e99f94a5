"""JSON Schema errors said in Chinese, with a did-you-mean where a spelling was meant.

Values are quoted shortened, and a document that is not a mapping is never quoted at all:
a file named by mistake (``extends: /etc/passwd``) must not be echoed back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from auditor.rules.suggest import did_you_mean, shorten

_TYPES = {
    "object": "映射（键: 值）",
    "array": "列表",
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "null": "空值",
}


def _type_name(spec: Any) -> str:
    names = spec if isinstance(spec, list) else [spec]
    return "或".join(_TYPES.get(str(n), str(n)) for n in names)


def _unknown_fields(err: ValidationError) -> Iterator[str]:
    schema: Any = err.schema
    allowed = list(schema.get("properties") or {}) if isinstance(schema, dict) else []
    instance = err.instance if isinstance(err.instance, dict) else {}
    for name in instance:
        if name not in allowed:
            yield f"未知字段“{shorten(name)}”{did_you_mean(name, allowed)}"


def explain(err: ValidationError) -> str:
    """One Chinese sentence for a schema error (several unknown fields: joined by ；)."""
    spec: Any = err.validator_value
    v, value = err.validator, err.instance
    if v == "additionalProperties":
        return "；".join(_unknown_fields(err)) or "含有未知字段"
    if v == "required":
        missing = [m for m in spec if not isinstance(value, dict) or m not in value]
        return f"缺少必填字段“{missing[0]}”" if missing else "缺少必填字段"
    if v == "enum":
        options = [str(o) for o in spec]
        hint = did_you_mean(str(value), options) or f"（可选：{'、'.join(options)}）"
        return f"取值“{shorten(value)}”无效{hint}"
    if v == "const":
        return f"取值应为“{spec}”"
    if v == "type":
        return f"应为{_type_name(spec)}"
    if v == "pattern":
        return f"“{shorten(value)}”格式不正确（应匹配 {spec}）"
    if v in ("minimum", "exclusiveMinimum"):
        return f"{shorten(value)} 太小（应{'≥' if v == 'minimum' else '>'} {spec}）"
    if v in ("maximum", "exclusiveMaximum"):
        return f"{shorten(value)} 太大（应{'≤' if v == 'maximum' else '<'} {spec}）"
    if v == "minItems":
        return f"至少应有 {spec} 项"
    if v == "maxItems":
        return f"最多只能有 {spec} 项"
    if v == "uniqueItems":
        return "列表中有重复项"
    if v == "minLength":
        return "不能为空" if spec == 1 else f"至少应有 {spec} 个字符"
    if v == "maxLength":
        return f"最多只能有 {spec} 个字符"
    if v == "minProperties":
        return "不能为空映射"
    if v in ("oneOf", "anyOf"):
        return "不符合任何一种允许的写法"
    if v == "not":
        return "此写法不允许"
    return shorten(err.message, 120)
