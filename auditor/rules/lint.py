"""Checks of a merged rule beyond its JSON Schema: messages and identity expressions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import load_template
from auditor.rules.checks.identity import bindings
from auditor.rules.identity import IdentitySyntaxError, expand, parse_identity
from auditor.rules.messages import lint_message
from auditor.rules.registry import CHECKS
from auditor.rules.schema import placeholders
from auditor.rules.suggest import did_you_mean
from auditor.rules.sums import empty_sum_message, unknown_key_message


def lint_rule(raw: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Problems of one merged rule, as (field path, message) pairs."""
    problems: list[tuple[str, str]] = []
    for field in ("message", "remediation"):
        if field in raw and not str(raw[field]).strip():
            problems.append((field, "不能为空"))
    kind = str(raw.get("check"))
    if "message" in raw and str(raw["message"]).strip() and kind in CHECKS:
        issue = lint_message(str(raw["message"]), placeholders(kind), kind)
        if issue:
            problems.append(("message", issue))
    params = raw.get("params") or {}
    size = expansion_size(params)
    if size > MAX_EXPANSION:
        return [*problems, ("params.foreach", f"foreach 展开为 {size} 个实例，超过上限 {MAX_EXPANSION}")]
    if raw.get("check") == "identity":
        problems.extend(_lint_identity(params, formats))
    # A kind may check its own params beyond their schema (patterns, cell expressions).
    kind_lint = getattr(CHECKS.get(str(raw.get("check"))), "lint", None)
    if kind_lint is not None:
        problems.extend(kind_lint(raw.get("params") or {}, list(formats)))
    return list(dict.fromkeys(problems))  # a problem found once per format is said once


# Instances one rule may expand to (a product of foreach lists); the bundled rules need < 100.
MAX_EXPANSION = 10_000


def expansion_size(params: Mapping[str, Any]) -> int:
    """How many bindings ``foreach`` gives at most (a named set counts as the largest one)."""
    largest = max(len(v) for fmt in ("2019", "2021") for v in load_template(fmt).named_sets().values())
    size = 1
    for spec in (params.get("foreach") or {}).values():
        size *= len(spec) if isinstance(spec, list) else largest
    return size


def identity_exprs(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str, str]]:
    """(field path, format, expression) for each expression an identity rule evaluates."""
    out: list[tuple[str, str, str]] = []
    if "exprs" in params:
        for fmt, expr in params["exprs"].items():
            out.append((f"params.exprs.{fmt}", str(fmt), str(expr)))
    elif "expr" in params:
        out.extend(("params.expr", fmt, str(params["expr"])) for fmt in formats)
    return out


def _lint_identity(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for path, fmt, expr in identity_exprs(params, formats):
        try:
            identity = parse_identity(expr)
        except IdentitySyntaxError as exc:
            problems.append((path, str(exc)))
            continue
        template = load_template(fmt)
        sets = template.named_sets()
        foreach = params.get("foreach") or {}
        for name, spec in foreach.items():
            if isinstance(spec, str) and spec[1:] not in sets:
                hint = did_you_mean(spec, ["@" + s for s in sets]) or f"（可用：{'、'.join('@' + s for s in sets)}）"
                problems.append((f"params.foreach.{name}", f"没有命名集合 {spec}{hint}"))
        unbound = identity.variables - set(foreach)
        if unbound:
            problems.append((path, f"变量 {{{sorted(unbound)[0]}}} 没有在 foreach 中给出"))
            continue
        keys = template.keys()
        for binding in bindings(params, sets):
            lin = expand(identity, binding, keys)
            unknown = [k for k in lin.cells if k not in keys]
            if unknown:
                problems.append((path, unknown_key_message(unknown[0], fmt, keys)))
                break
            if lin.empty_sums:
                problems.append((path, empty_sum_message(lin.empty_sums[0], fmt)))
                break
    return problems
