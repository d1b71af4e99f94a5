"""The 100-point deduction model.

- Each finding deducts its rule's ``deduction``. A finding the check downgraded below its
  rule's level (e.g. DATE-001 with no period stated) deducts half at ``warning`` and
  nothing at ``info``.
- ``rule_cap`` bounds what one rule may take over all its findings; ``caps`` bound each
  category. Both appear as negative deduction lines, so the sum of ``points`` over all
  lines is exactly what was taken off.
- The score never goes below 0: when the lines take more than the total, a last
  negative line gives the excess back, so the lines still sum to total − score.
- Any finding of a ``veto`` rule puts the report in the veto band (不合格) whatever its
  score.
- Caps never give points back to a report with an error-level structure failure (a
  missing part or table): its every deduction counts, so caps cannot lift it into 合格.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from auditor.findings.types import CATEGORY_LABELS, Deduction, Finding
from auditor.rules.types import Scoring

_LEVEL = {"error": 2, "warning": 1, "info": 0}
_FACTOR = {0: 1.0, 1: 0.5, 2: 0.0}  # by how many levels a finding was downgraded


def finding_points(rule_points: float, rule_severity: str, severity: str) -> float:
    """Points one finding deducts."""
    drop = max(0, _LEVEL.get(rule_severity, 0) - _LEVEL.get(severity, 0))
    if severity == "info":
        return 0.0 if drop else rule_points
    return rule_points * _FACTOR.get(drop, 0.0)


UNCAPPED_CATEGORIES = frozenset({"structure"})
"""Error-level findings of these categories switch the caps off for the whole report."""


def caps_apply(findings: Sequence[Finding]) -> bool:
    """False when an error-level structure failure means every deduction must count."""
    return not any(f.severity == "error" and f.category in UNCAPPED_CATEGORIES for f in findings)


def deductions(findings: Sequence[Finding], scoring: Scoring) -> list[Deduction]:
    """Deduction lines: one per finding with points, then cap adjustments."""
    capped = caps_apply(findings)
    lines: list[Deduction] = []
    per_rule: dict[str, float] = {}
    categories: dict[str, str] = {}
    for f in findings:
        if f.deduction <= 0:
            continue
        lines.append(Deduction(f.rule, f.category, f.deduction, f.message))
        per_rule[f.rule] = per_rule.get(f.rule, 0.0) + f.deduction
        categories[f.rule] = f.category
    per_cat: dict[str, float] = {}
    for rule, taken in per_rule.items():
        kept = taken
        if capped and scoring.rule_cap is not None and taken > scoring.rule_cap:
            kept = scoring.rule_cap
            lines.append(Deduction(rule, categories[rule], kept - taken, f"单条规则最多扣 {_n(kept)} 分"))
        per_cat[categories[rule]] = per_cat.get(categories[rule], 0.0) + kept
    for cat, taken in per_cat.items():
        cap = scoring.caps.get(cat)
        if capped and cap is not None and taken > cap:
            lines.append(Deduction("CAP", cat, cap - taken, f"“{CATEGORY_LABELS.get(cat, cat)}”类最多扣 {_n(cap)} 分"))
    taken = sum(d.points for d in lines)
    if taken > scoring.total:
        lines.append(Deduction("CAP", "", scoring.total - taken, f"总分最低为 0 分，最多扣 {_n(scoring.total)} 分"))
    return lines


def score(lines: Sequence[Deduction], scoring: Scoring) -> float:
    """Total minus every deduction line, never below 0."""
    return round(max(0.0, scoring.total - sum(d.points for d in lines)), 2)


def band(value: float, scoring: Scoring, veto: bool) -> str:
    """Band name for a score (bands are sorted high to low)."""
    if veto:
        return scoring.veto_band
    for b in scoring.bands:
        if value >= b.min:
            return b.name
    return scoring.bands[-1].name if scoring.bands else ""


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def summary(
    findings: Sequence[Finding], scoring: Scoring, veto_rules: Mapping[str, bool]
) -> tuple[float, str, bool, list[Deduction]]:
    """Score, band, veto flag and deduction lines of a set of findings."""
    lines = deductions(findings, scoring)
    veto = any(veto_rules.get(f.rule, False) for f in findings)
    value = score(lines, scoring)
    return value, band(value, scoring, veto), veto, lines
