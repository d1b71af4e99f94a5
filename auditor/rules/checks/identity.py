"""Linear identities between cells (ROW-*, COL-*, XT-002).

Semantics:
- a blank cell counts as 0 (the instance records which blanks it used);
- an absent cell, a text cell without a number or an unplaced cell makes the instance
  *not evaluated*, never a silent pass;
- except when every unplaced cell of a printed row appears in the identity with one
  coefficient: then their sum is known (row values printed − placed cells) and is used;
- money cells compare within half a unit of their last printed decimal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from auditor.model.template import load_template
from auditor.model.types import CellState, Report
from auditor.rules.cellnames import binding_label
from auditor.rules.identity import Linear, expand, parse_identity
from auditor.rules.types import FAIL, PASS, SKIP, CheckContext, Equation, Result
from auditor.rules.values import BLANK_TEXT, cell_reader, is_unplaced, row_keys, table_of, unplaced_row_key

KIND = "identity"
# Shared with other kinds that iterate over template sets (cross_year).
FOREACH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "maxProperties": 4,
    "additionalProperties": {
        "oneOf": [
            {"type": "string", "pattern": "^@[a-z_]+\\.[a-z_]+$"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 200},
        ]
    },
}
EXCLUDE_SCHEMA: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_EXPR: dict[str, Any] = {
    "type": "string",
    "minLength": 3,
    "x-expression": "identity",
    "description": "线性等式或不等式，如 a.b.{col} + a.c.{col} = a.d.{col}；{变量} 由 foreach 给出",
}

PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "oneOf": [{"required": ["expr"]}, {"required": ["exprs"]}],
    "properties": {
        "expr": _EXPR,
        # One expression per format, where the formats' rows differ (2019 （六） is one row).
        "exprs": {
            "type": "object",
            "propertyNames": {"enum": ["2019", "2021"]},
            "additionalProperties": _EXPR,
            "description": "按格式分别给出的等式（两版行不同时用），键为 2019 / 2021",
        },
        "foreach": {**FOREACH_SCHEMA, "description": "变量 → 命名集合（@requests.columns）或取值列表；多个变量取乘积"},
        "exclude": {**EXCLUDE_SCHEMA, "description": "foreach 中排除的取值"},
        "blanks": {
            "enum": ["zero", "skip"],
            "default": "zero",
            "description": "空白单元格：zero 按 0 计；skip 该实例不评估",
        },
    },
}
PLACEHOLDERS = frozenset({"lhs", "rhs", "op", "where", "correction"})


def bindings(params: Mapping[str, Any], named_sets: Mapping[str, Sequence[str]]) -> list[dict[str, str]]:
    """Every ``foreach`` binding, in set order (a product when several variables).

    Without ``foreach`` there is one, empty binding. With one, a named set the format
    does not have (or a list fully excluded) gives no binding at all: the expression's
    ``{variables}`` cannot be filled.
    """
    foreach: Mapping[str, Any] = params.get("foreach") or {}
    if not foreach:
        return [{}]
    exclude = set(params.get("exclude") or ())
    names = list(foreach)
    choices: list[list[str]] = []
    for name in names:
        spec = foreach[name]
        values = list(named_sets.get(spec[1:], ())) if isinstance(spec, str) else [str(v) for v in spec]
        choices.append([v for v in values if v not in exclude])
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]


def _aggregates(report: Report, ctx: CheckContext, coefs: Mapping[str, float]) -> tuple[dict[str, float], str]:
    """Sum of the unplaced cells per printed row, when the identity covers the whole row."""
    known: dict[str, float] = {}
    for entry in {unplaced_row_key(report, k) for k in coefs if is_unplaced(report, k)}:
        if entry is None:
            continue
        members = [k for k in row_keys(ctx.template, entry) if is_unplaced(report, k)]
        if not members or any(k not in coefs for k in members):
            return {}, entry
        if len({coefs[k] for k in members}) != 1:
            return {}, entry
        placed = 0.0
        for k in row_keys(ctx.template, entry):
            c = report.cells.get(k)
            if c is not None and c.state is not CellState.UNPLACED and c.value is not None:
                placed += float(c.value)
        known[entry] = float(sum(report.unplaced_rows[entry].values)) - placed
    return known, ""


def evaluate(
    report: Report, ctx: CheckContext, lin: Linear, blank_mode: str = "zero"
) -> Result | tuple[Equation, list[str]]:
    """Evaluate one expanded identity: (`Equation`, blanks used), or a SKIP `Result`."""
    coefs: dict[str, float] = dict(lin.coefs)
    values: dict[str, float] = {}
    blanks: list[str] = []
    tolerance = 0.0
    unplaced: list[str] = []
    read = cell_reader(report, ctx.template)
    for key in lin.cells:
        reading = read(key)
        if reading.unplaced:
            unplaced.append(key)
        elif reading.value is None:
            return Result(SKIP, reason=f"{ctx.cell_name(key)} {reading.why}", cells=(key,))
        elif reading.blank and blank_mode == "skip":
            return Result(SKIP, reason=f"{ctx.cell_name(key)} 为空", cells=(key,))
        else:
            values[key] = reading.value
            blanks += [key] if reading.blank else []
            tolerance += abs(coefs.get(key, 0.0)) * reading.tolerance
    constant = lin.lhs_const - lin.rhs_const
    aggregate = False
    if unplaced:
        known, bad = _aggregates(report, ctx, coefs)
        if bad or not known:
            return Result(SKIP, reason=f"{ctx.cell_name(unplaced[0])} 未能定位到列", cells=tuple(unplaced))
        for entry, total in known.items():
            coef = next(coefs[k] for k in unplaced if unplaced_row_key(report, k) == entry)
            constant += coef * total
        for k in unplaced:
            coefs.pop(k)
        aggregate = True
    return Equation(coefs, constant, lin.op, values, tolerance, aggregate), blanks


@dataclass(frozen=True)
class _Instance:
    """One ``foreach`` binding of an identity, expanded against a format's cell keys."""

    name: str | None
    where: str
    lin: Linear


def _frozen(values: Any) -> Any:
    """A ``foreach``/``exclude`` parameter as a hashable cache key."""
    if isinstance(values, Mapping):
        return tuple((k, _frozen(v)) for k, v in values.items())
    if isinstance(values, list | tuple):
        return tuple(_frozen(v) for v in values)
    return values


@cache
def _compiled(expr: str, foreach: Any, exclude: Any, fmt: str | None) -> tuple[_Instance, ...] | None:
    """The instances of one identity in one format, expanded once per process (not per report).

    Keyed by the parameters' content and the format, from which `engine.context` derives
    the keys and named sets. None when no binding exists and the format is unknown.
    """
    identity = parse_identity(expr)
    template = load_template(fmt) if fmt is not None else None
    params = {"foreach": dict(foreach), "exclude": exclude}
    combos = bindings(params, template.named_sets() if template else {})
    if not combos and template is None:
        return None
    keys = template.keys() if template else ()
    out = []
    for binding in combos:
        lin = expand(identity, binding, keys)
        if lin.empty_sums or not lin.cells:
            continue  # the identity does not exist in this format (e.g. 2019 （六） sub-rows)
        where = "、".join(binding_label(v, template) for v in binding.values())
        out.append(_Instance(",".join(binding.values()) or None, where, lin))
    return tuple(out)


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Evaluate the identity for every binding; yield fails, passes (for blame) and skips."""
    fmt = ctx.template.format if ctx.template else None
    if "exprs" in params:
        if fmt not in params["exprs"]:
            return
        expr = str(params["exprs"][fmt])
    else:
        expr = str(params["expr"])
    blank_mode = str(params.get("blanks", "zero"))
    instances = _compiled(expr, _frozen(params.get("foreach") or {}), _frozen(params.get("exclude") or ()), fmt)
    if instances is None:
        yield Result(SKIP, reason="未能识别报告的表格格式（2019年版或2021年版），未作逐项核验")
        return
    for one in instances:
        yield from _instance(report, ctx, one.lin, blank_mode, one.name, one.where)


def _instance(
    report: Report, ctx: CheckContext, lin: Linear, blank_mode: str, instance: str | None, where: str
) -> Iterator[Result]:
    if all(k not in report.cells and not is_unplaced(report, k) for k in lin.cells):
        yield Result(SKIP, instance=instance, reason="表格或行缺失", cells=lin.cells)
        return
    out = evaluate(report, ctx, lin, blank_mode)
    if isinstance(out, Result):
        yield Result(SKIP, instance=instance, reason=out.reason, cells=out.cells)
        return
    eq, blanks = out
    if eq.holds():
        # A pass only lends its equation to blame (the engine reads nothing else of it).
        yield Result(PASS, instance=instance, cells=lin.cells, equation=eq)
        return
    lhs = lin.lhs_const + sum(c * eq.values[k] for k, c in lin.lhs.items() if k in eq.values)
    rhs = lin.rhs_const + sum(c * eq.values[k] for k, c in lin.rhs.items() if k in eq.values)
    # An aggregate stands in for cells of one side; fold it into that side's value.
    diff_known = lhs - rhs
    hidden = eq.residual({}) - diff_known
    if any(k in lin.lhs for k in lin.cells if k not in eq.values):
        lhs += hidden
    else:
        rhs -= hidden
    first = lin.cells[0]
    cell = report.cells.get(first)
    yield Result(
        FAIL,
        instance=instance,
        cells=lin.cells,
        expected=_num(rhs),
        actual=_num(lhs),
        line=cell.line if cell else None,
        table=table_of(first),
        blanks=tuple(blanks),
        vars={
            "lhs": _shown(lin.lhs, lin.lhs_const, blanks, lhs),
            "rhs": _shown(lin.rhs, lin.rhs_const, blanks, rhs),
            "where": where,
            "op": lin.op,
        },
        equation=eq,
    )


def _shown(side: Mapping[str, float], const: float, blanks: list[str], value: float) -> float | int | str:
    """A side for the message: a single blank cell is named 空白, not shown as the 0 it counts for."""
    if not const and len(side) == 1 and next(iter(side)) in blanks and next(iter(side.values())) == 1:
        return BLANK_TEXT
    return _num(value)


def _num(x: float) -> float | int:
    return round(x) if abs(x - round(x)) < 1e-9 else round(x, 6)
