"""Markdown documentation of one rule, generated from its YAML (``audit rules show ID``)."""

from __future__ import annotations

import json

import yaml

from auditor.rules.registry import CHECKS
from auditor.rules.types import Rule

_SEVERITY = {"error": "错误 (error)", "warning": "警告 (warning)", "info": "提示 (info)"}


def _applies(rule: Rule) -> str:
    a = rule.applies
    parts = []
    parts.append("formats " + ", ".join(a.formats) if a.formats else "all formats")
    if a.year_min is not None or a.year_max is not None:
        low = str(a.year_min) if a.year_min is not None else "…"
        high = str(a.year_max) if a.year_max is not None else "…"
        parts.append(f"years {low}–{high}")
    else:
        parts.append("all years")
    parts.append("body kinds " + ", ".join(a.body_kinds) if a.body_kinds else "every issuing body")
    return "; ".join(parts)


def rule_doc(rule: Rule) -> str:
    """Markdown for one rule: header, facts table, message, remediation and params."""
    kind_doc = (CHECKS[rule.check].__doc__ or "").strip().splitlines()
    params = yaml.safe_dump(dict(rule.params), allow_unicode=True, sort_keys=False).strip() if rule.params else "{}"
    lines = [
        f"# {rule.id} — {rule.name}",
        "",
        rule.description or (kind_doc[0] if kind_doc else ""),
        "",
        "| field | value |",
        "|---|---|",
        f"| severity | {_SEVERITY.get(rule.severity, rule.severity)} |",
        f"| category | {rule.category} |",
        f"| applies | {_applies(rule)} |",
        f"| deduction | {rule.deduction:g} per finding{' (veto)' if rule.veto else ''} |",
        f"| check | `{rule.check}` |",
        f"| reference | {rule.reference} |",
        f"| defined in | {rule.source} |",
    ]
    if rule.suppressed_by:
        lines.append(f"| suppressed by | {', '.join(rule.suppressed_by)} |")
    if rule.failure_type:
        lines.append(f"| failure type | {rule.failure_type} |")
    lines += [
        "",
        "## Message",
        "",
        f"> {rule.message}",
        "",
        "## 整改要求",
        "",
        rule.remediation,
        "",
        "## Params",
        "",
        "```yaml",
        params,
        "```",
    ]
    if kind_doc:
        lines += ["", f"## Check kind `{rule.check}`", "", "\n".join(kind_doc)]
    return "\n".join(lines).rstrip() + "\n"


def params_schema_doc(kind: str) -> str:
    """The params JSON Schema of a kind, pretty-printed (for docs)."""
    return json.dumps(CHECKS[kind].PARAMS_SCHEMA, ensure_ascii=False, indent=2)
