"""Run a pack over a report: select rules, call each check, blame, stamp and score."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from functools import partial
from typing import Any

from auditor.findings.blame import Admissible, Blame, blame, count_value
from auditor.findings.fingerprint import finding_fingerprint
from auditor.findings.history import normalise_agency
from auditor.findings.rootcause import merge_root_causes
from auditor.findings.score import finding_points, summary
from auditor.findings.selectors import selected
from auditor.findings.types import (
    CATEGORY_LABELS,
    FAILURE_TYPES,
    AuditResult,
    Correction,
    Finding,
    Location,
    NotEvaluated,
)
from auditor.model.template import Template, load_template, table_parts
from auditor.model.types import CellRef, CellState, Report
from auditor.rules.cellnames import cell_name
from auditor.rules.checks import pre_format
from auditor.rules.checks.cross_year import previous_label
from auditor.rules.checks.pre_format import predates_formats
from auditor.rules.messages import render, rule_title, show
from auditor.rules.registry import check_fn
from auditor.rules.types import FAIL, NO_YEAR, PASS, SKIP, CheckContext, Result, Rule, RulePack
from auditor.rules.values import column_of, is_money, is_signed, table_of

CROSS_YEAR = "cross_year"


def context(report: Report, pack: RulePack, previous: Report | None = None) -> CheckContext:
    """Format knowledge for one report: its template (or the pack's first format)."""
    fmt = report.meta.format or (pack.formats[0] if pack.formats else None)
    template: Template | None = load_template(fmt) if fmt in ("2019", "2021") else None
    return CheckContext(
        template=template,
        keys=template.keys() if template else (),
        named_sets=template.named_sets() if template else {},
        year=report.meta.year,
        cell_name=partial(cell_name, template=template),
        previous=previous,
    )


def usable_previous(report: Report, previous: Report | None) -> tuple[Report | None, str]:
    """The previous-year report if it can be compared with ``report``, else None and why not.

    Callers pair reports (`auditor.findings.history.pair_previous`); this guards the
    comparisons against a wrong pairing when both sides state their year or agency.
    """
    if previous is None:
        return None, "没有同一机关上一年度的报告，未作跨年度比对"
    year, prev_year = report.meta.year, previous.meta.year
    if year is not None and prev_year is not None and prev_year != year - 1:
        return None, f"所给上一年度报告为{prev_year}年度，不是{year - 1}年度，未作跨年度比对"
    agency, prev_agency = report.meta.agency, previous.meta.agency
    if agency and prev_agency and normalise_agency(agency) != normalise_agency(prev_agency):
        return None, f"所给上一年度报告的机关（{prev_agency}）与本报告（{agency}）不同，未作跨年度比对"
    return previous, ""


def needs_unknown_year(rule: Rule, report: Report) -> bool:
    """Whether a rule is limited to some years and the report's year is unknown (not evaluated)."""
    a = rule.applies
    fits = a.formats is None or report.meta.format in a.formats
    return fits and report.meta.year is None and (a.year_min is not None or a.year_max is not None)


def applies(rule: Rule, report: Report) -> bool:
    """Whether a rule runs on a report (format, year range, body kind)."""
    a = rule.applies
    meta = report.meta
    if meta.year is not None:
        if rule.effective_from is not None and meta.year < rule.effective_from:
            return False
        if rule.effective_until is not None and meta.year > rule.effective_until:
            return False
    if a.formats is not None and meta.format not in a.formats:
        return False
    if a.year_min is not None or a.year_max is not None:
        if meta.year is None:
            return False
        if a.year_min is not None and meta.year < a.year_min:
            return False
        if a.year_max is not None and meta.year > a.year_max:
            return False
    if a.body_kinds is not None:
        kind = meta.body_kind.value if meta.body_kind else "unknown"
        return kind in a.body_kinds
    return True


def _run(rule: Rule, report: Report, ctx: CheckContext, strict: bool) -> list[Result]:
    try:
        return list(check_fn(rule.check)(report, rule.params, ctx))
    except Exception as exc:
        if strict:
            raise
        return [Result(FAIL, instance="INTERNAL", vars={"detail": f"{type(exc).__name__}: {exc}"})]


def _internal(rule: Rule, result: Result) -> NotEvaluated:
    # Not a finding: a crash proves nothing about the report, and a warning in its place
    # would let the score rise. The run's exit status reports it (see `internal_errors`).
    detail = result.vars.get("detail", "")
    return NotEvaluated(rule.id, None, f"内部错误，规则未能执行：{detail}", internal=True)


def _order(ctx: CheckContext) -> Any:
    index = {k: n for n, k in enumerate(ctx.keys)}

    def key(cell: str) -> tuple[int, int]:
        return (0 if column_of(cell) == "total" else 1, index.get(cell, len(index)))

    return key


def admissible_values(ctx: CheckContext) -> Admissible:
    """Values a blamed cell may be corrected to: counts are non-negative whole numbers,
    amounts may have decimals, the 2019 本年增/减 column may be negative."""

    def ok(cell: str, value: float) -> bool:
        if is_signed(cell, ctx.template):
            return count_value(cell, abs(value)) or is_money(cell, ctx.template)
        if is_money(cell, ctx.template):
            return value >= -1e-6
        return count_value(cell, value)

    return ok


def _correction_text(b: Blame, report: Report, ctx: CheckContext) -> str:
    def one(cell: str) -> str:
        c = report.cells.get(cell)
        printed = "空白" if c is not None and c.state is CellState.BLANK else show(_actual(cell, report))
        return f"{ctx.cell_name(cell)}由 {printed} 更正为 {show(b.values[cell])}"

    if b.alternatives:
        return "；可能需更正的单元格（任改其一）：" + "，或".join(one(c) for c in b.cells)
    return "；应将" + "，".join(one(c) for c in b.cells)


def _actual(cell: str, report: Report) -> Any:
    """The printed value of a cell (0 for a blank, which arithmetic counted as 0)."""
    c = report.cells.get(cell)
    if c is None:
        return None
    if c.state is CellState.BLANK:
        return 0
    return c.value


def _finding(rule: Rule, result: Result, ctx: CheckContext, report: Report, b: Blame | None) -> Finding:
    cells = result.cells
    expected, actual = result.expected, result.actual
    corrections: tuple[Correction, ...] = ()
    correction = ""
    if b is not None:
        cells = (*b.cells, *(c for c in result.cells if c not in b.cells))
        corrections = tuple(Correction(c, _actual(c, report), _int(b.values[c])) for c in b.cells)
        expected, actual = corrections[0].expected, corrections[0].actual
        correction = _correction_text(b, report, ctx)
    first = cells[0] if cells else None
    cell = report.cells.get(first) if first else None
    line = (cell.line if cell and cell.line is not None else None) if b else result.line
    line = line if line is not None else result.line
    table = result.table or (table_of(first) if first else None)
    severity = result.severity or rule.severity
    values = {
        **result.vars,
        "cell": ctx.cell_name(first) if first else result.vars.get("cell"),
        "cells": "、".join(ctx.cell_name(c) for c in cells) or None,
        # Without a blamed cell a check may name a value for display (a blank is 空白, not 0).
        "expected": expected if b is not None else result.vars.get("expected", expected),
        "actual": actual if b is not None else result.vars.get("actual", actual),
        "correction": correction,
        "year": report.meta.year,
        "agency": report.meta.agency,
        "previous": previous_label(ctx.previous) if ctx.previous is not None else None,
    }
    row = CellRef.parse(first).row if first and first.count(".") >= 2 else None
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=severity,
        category=rule.category,
        failure_type=rule.failure_type or FAILURE_TYPES[rule.category],
        message=render(rule.message, values),
        cells=cells,
        expected=expected,
        actual=actual,
        line=line,
        location=Location(
            part=result.part or table_parts().get(table or ""),
            table=table,
            row=row,
            column=column_of(first) if first and first.count(".") >= 2 else None,
            line=line,
            page=report.page_of(line),
        ),
        corrections=corrections,
        remediation=rule.remediation,
        reference=rule.reference,
        deduction=finding_points(rule.deduction, rule.severity, severity),
        instance=result.instance,
        blanks=result.blanks,
        alternatives=b.alternatives if b else False,
        title=rule.title or rule_title(rule.message, CATEGORY_LABELS.get(rule.category, rule.category)),
    )


def _int(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


PRE_FORMAT_REASON = "报告年度早于2019年版格式，国务院年度报告格式不适用"


def audit(
    report: Report,
    pack: RulePack,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    strict: bool = False,
    previous: Report | None = None,
    waived: Collection[str] = frozenset(),
) -> AuditResult:
    """Audit one report with one pack; ``strict`` re-raises crashes of a check.

    ``previous`` is the same body's report for the year before; without it (or when it
    is not comparable) rules of category ``cross_year`` are listed as not evaluated.
    ``waived`` holds fingerprints an inspector dismissed (已核实-不属问题): those findings
    are still reported but neither deduct nor veto.
    """
    sel, ign = tuple(select), tuple(ignore)
    prev, no_prev = usable_previous(report, previous)
    ctx = context(report, pack, prev)
    failed: list[tuple[Rule, Result]] = []
    skipped: list[NotEvaluated] = []
    equations = {}
    free_form = predates_formats(report)
    for rule in pack.rules:
        if not selected(rule, sel, ign):
            continue
        if not applies(rule, report):
            if needs_unknown_year(rule, report):
                skipped.append(NotEvaluated(rule.id, None, NO_YEAR))
            continue
        if free_form and rule.check != pre_format.KIND:
            skipped.append(NotEvaluated(rule.id, None, PRE_FORMAT_REASON))
            continue
        if rule.category == CROSS_YEAR and prev is None:
            skipped.append(NotEvaluated(rule.id, None, no_prev))
            continue
        for result in _run(rule, report, ctx, strict):
            if result.instance == "INTERNAL" and result.status == FAIL and not result.cells:
                skipped.append(_internal(rule, result))
            elif result.status == SKIP:
                skipped.append(NotEvaluated(rule.id, result.instance, result.reason or ""))
            elif result.status == FAIL:
                if result.equation is not None:
                    equations[len(failed)] = result.equation
                failed.append((rule, result))
            elif result.status == PASS and result.equation is not None:
                equations[-1 - len(equations)] = result.equation
    blames = blame(equations, _order(ctx), admissible_values(ctx))
    failed_keys = {(rule.id, r.instance) for rule, r in failed}
    findings = [
        _finding(rule, r, ctx, report, blames.get(n))
        for n, (rule, r) in enumerate(failed)
        if not any((other, r.instance) in failed_keys for other in rule.suppressed_by)
    ]
    findings = sorted(merge_root_causes(findings, ctx.cell_name), key=Finding.sort_key)
    veto = {r.id: r.veto for r in pack.rules}
    if waived:  # dismissed items stay listed, deduct nothing and veto nothing
        kept = [finding_fingerprint(f, report) not in waived for f in findings]
        scored = [f for f, keep in zip(findings, kept, strict=True) if keep]
        findings = [
            f if keep else dataclasses.replace(f, deduction=0.0) for f, keep in zip(findings, kept, strict=True)
        ]
    else:
        scored = findings
    value, band, is_veto, lines = summary(scored, pack.scoring, veto)  # scored on all of them but the waived
    return AuditResult(pack.name, tuple(cap_findings(findings)), value, band, is_veto, tuple(lines), tuple(skipped))


# A report of junk rows can fail one rule thousands of times; past this many, one more
# finding says how many were left out (the score still counts them all).
MAX_FINDINGS_PER_RULE = 50


def cap_findings(findings: Sequence[Finding], limit: int = MAX_FINDINGS_PER_RULE) -> list[Finding]:
    """The first ``limit`` findings of each rule, plus one per rule saying how many more there were."""
    kept: list[Finding] = []
    extra: dict[str, list[Finding]] = {}
    seen: dict[str, int] = {}
    for f in findings:
        seen[f.rule] = seen.get(f.rule, 0) + 1
        if seen[f.rule] <= limit:
            kept.append(f)
        else:
            extra.setdefault(f.rule, []).append(f)
    for rule, more in extra.items():
        first = more[0]
        kept.append(
            dataclasses.replace(
                first,
                message=f"规则 {rule} 另有 {len(more)} 处同类问题（自第 {first.line or '?'} 行起），未逐一列出",
                cells=(),
                expected=None,
                actual=None,
                corrections=(),
                deduction=0.0,
                instance="…",
                blanks=(),
            )
        )
    return kept
