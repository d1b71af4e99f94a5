"""Value of a cell expression (``requests.granted.total + sum(requests.denied.*.total)``).

The expression uses the identity grammar's terms (``grammar/identity.lark``); it is
parsed as the left side of ``expr = 0``. ``@year`` stands for the report year. Blank
cells count as 0; an absent, unplaced or text cell leaves the value unknown, with why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from auditor.model.template import load_template
from auditor.model.types import Report
from auditor.rules.identity import IdentitySyntaxError, expand, parse_identity
from auditor.rules.patterns import PatternError, compile_pattern
from auditor.rules.suggest import did_you_mean
from auditor.rules.types import CheckContext
from auditor.rules.values import compare, read_cell

__all__ = ["Total", "compare", "evaluate", "expression", "lint_expression", "lint_regex"]

YEAR = "@year"


@dataclass(frozen=True)
class Total:
    """An evaluated expression: its value (None when unknown) and the cells it read."""

    value: float | None
    cells: tuple[str, ...] = ()
    tolerance: float = 0.0
    reason: str = ""
    blank: bool = False  # every cell read was blank: the value 0 stands for 空白


def expression(params: Mapping[str, Any], fmt: str | None) -> str | None:
    """The expression of a phrase or predicate: ``exprs[format]`` or ``expr``."""
    exprs = params.get("exprs")
    if isinstance(exprs, Mapping):
        found = exprs.get(fmt or "")
        return str(found) if found is not None else None
    expr = params.get("expr")
    return str(expr) if expr is not None else None


def cells_of(expr: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Cell keys an expression reads (empty for ``@year``)."""
    if expr.strip() == YEAR:
        return ()
    return tuple(expand(parse_identity(f"{expr} = 0"), {}, keys).lhs)


def evaluate(expr: str, report: Report, ctx: CheckContext) -> Total:
    """The expression's value on the report, or the reason it cannot be known."""
    if expr.strip() == YEAR:
        year = report.meta.year
        return Total(float(year) if year is not None else None, reason="" if year else "报告年度未知")
    linear = expand(parse_identity(f"{expr} = 0"), {}, ctx.keys)
    total, slack = linear.lhs_const, 0.0
    blanks = 0
    for key, coef in linear.lhs.items():
        reading = read_cell(report, key, ctx.template)
        if reading.value is None:
            return Total(None, tuple(linear.lhs), reason=f"“{ctx.cell_name(key)}”{reading.why}")
        blanks += reading.blank
        total += coef * reading.value
        slack += abs(coef) * reading.tolerance
    return Total(total, tuple(linear.lhs), slack, blank=bool(linear.lhs) and blanks == len(linear.lhs))


def lint_expression(expr: str, formats: Iterable[str]) -> str | None:
    """A problem with a cell expression in one of ``formats``, or None."""
    if expr.strip() == YEAR:
        return None
    try:
        identity = parse_identity(f"{expr} = 0")
    except IdentitySyntaxError as exc:
        return str(exc)
    for fmt in formats:
        keys = load_template(fmt).keys()
        linear = expand(identity, {}, keys)
        unknown = [k for k in linear.cells if k not in keys]
        if unknown:
            return unknown_key_message(unknown[0], fmt, keys)
        if linear.empty_sums:
            return empty_sum_message(linear.empty_sums[0], fmt)
    return None


def unknown_key_message(key: str, fmt: str, keys: Iterable[str]) -> str:
    """An unknown cell key, in Chinese, with the nearest key of the format."""
    hint = did_you_mean(key, keys) or "（可用 `audit rules cells` 查看单元格键）"
    return f"{fmt}年版没有单元格键 {key}{hint}"


def empty_sum_message(pattern: str, fmt: str) -> str:
    """A ``sum(...)`` that matches no key of a format, in Chinese."""
    return f"sum({pattern}) 在{fmt}年版中匹配不到任何单元格键"


def lint_regex(pattern: str, group: str | None = None) -> str | None:
    """A problem with a regular expression (syntax, or a missing named group), or None."""
    try:
        compiled = compile_pattern(pattern)
    except PatternError as exc:
        return f"正则表达式有误：{exc}"
    if group and group not in compiled.groupindex:
        return f"正则表达式缺少命名组 (?P<{group}>...)"
    return None
