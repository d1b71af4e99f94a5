"""Checks of a merged rule beyond its JSON Schema: messages and identity expressions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import load_template
from auditor.rules.checks.identity import bindings
from auditor.rules.identity import IdentitySyntaxError, expand, parse_identity
from auditor.rules.messages import lint_message
from auditor.rules.registry import CHECKS


def lint_rule(raw: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Problems of one merged rule, as (field path, message) pairs."""
    problems: list[tuple[str, str]] = []
    for field in ("message", "remediation"):
        if field in raw and not str(raw[field]).strip():
            problems.append((field, f"{field} is empty"))
    if "message" in raw and str(raw["message"]).strip():
        issue = lint_message(str(raw["message"]))
        if issue:
            problems.append(("message", issue))
    if raw.get("check") == "identity":
        problems.extend(_lint_identity(raw.get("params") or {}, formats))
    # A kind may check its own params beyond their schema (patterns, cell expressions).
    kind_lint = getattr(CHECKS.get(str(raw.get("check"))), "lint", None)
    if kind_lint is not None:
        problems.extend(kind_lint(raw.get("params") or {}, list(formats)))
    return problems


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
                problems.append((f"params.foreach.{name}", f"unknown named set {spec} (known: {', '.join(sets)})"))
        unbound = identity.variables - set(foreach)
        if unbound:
            problems.append((path, f"variable {{{sorted(unbound)[0]}}} is not bound by foreach"))
            continue
        keys = template.keys()
        for binding in bindings(params, sets):
            lin = expand(identity, binding, keys)
            unknown = [k for k in lin.cells if k not in keys]
            if unknown:
                problems.append((path, f"unknown cell key {unknown[0]} in format {fmt}"))
                break
            if lin.empty_sums:
                problems.append((path, f"sum({lin.empty_sums[0]}) matches no cell key in format {fmt}"))
                break
    return problems
