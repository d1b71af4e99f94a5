"""Plain data passed between the loader, the check kinds and the findings layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.model.template import Template
from auditor.model.types import Report
from auditor.rules.values import compare

SEVERITIES = ("error", "warning", "info")
CATEGORIES = (
    "parse",
    "structure",
    "template",
    "identity",
    "value",
    "period",
    "deadline",
    "narrative",
    "cross_year",
)
BODY_KINDS = ("government", "department", "township", "unknown")

FAIL = "fail"
PASS = "pass"
SKIP = "skip"


@dataclass(frozen=True)
class Equation:
    """One evaluated linear identity: ``Σ coefs[c]·x[c] + constant  op  0``.

    ``values`` are the numbers used for each cell (blank → 0); blame re-solves the
    equation for a few cells while holding the others at these values.
    """

    coefs: Mapping[str, float]
    constant: float
    op: str
    values: Mapping[str, float]
    tolerance: float = 0.0
    aggregate: bool = False  # used an unplaced-row aggregate: never a blame constraint

    def residual(self, values: Mapping[str, float]) -> float:
        """Left side minus right side under ``values`` (missing cells use ``self.values``)."""
        total = self.constant
        for cell, coef in self.coefs.items():
            total += coef * values.get(cell, self.values.get(cell, 0.0))
        return total

    def holds(self, values: Mapping[str, float] | None = None) -> bool:
        """Whether the comparison holds, within the printed-precision tolerance."""
        return compare(self.residual(values or {}), self.op, 0.0, self.tolerance)


# Why a rule that needs the report year was not evaluated.
NO_YEAR = "未能确定报告年度（标题、统计期限和正文开头均未写明），无法检查"


@dataclass(frozen=True)
class Result:
    """What a check kind reports for one instance: a failure, a pass or a skip.

    Checks never name the rule or its severity; the engine stamps those. ``severity``
    is only set when a rule defines a softer level for a sub-case (e.g. DATE-001 when
    no period is stated at all).
    """

    status: str = FAIL
    instance: str | None = None
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    line: int | None = None
    part: int | None = None
    table: str | None = None
    severity: str | None = None
    reason: str | None = None  # why an instance was skipped (not evaluated)
    blanks: tuple[str, ...] = ()  # blank cells the instance counted as 0
    vars: Mapping[str, Any] = field(default_factory=dict)
    equation: Equation | None = None


@dataclass(frozen=True)
class CheckContext:
    """Format knowledge a check may use; built once per report."""

    template: Template | None
    keys: tuple[str, ...]
    named_sets: Mapping[str, tuple[str, ...]]
    year: int | None
    cell_name: Callable[[str], str]
    # The same body's report for year - 1, when the caller has it (cross_year rules only).
    previous: Report | None = None


@dataclass(frozen=True)
class Applies:
    """When a rule runs: report formats, statistical years and issuing-body kinds."""

    formats: tuple[str, ...] | None = None
    year_min: int | None = None
    year_max: int | None = None
    body_kinds: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Rule:
    """One merged rule of a pack."""

    id: str
    name: str
    severity: str
    category: str
    message: str
    check: str
    params: Mapping[str, Any]
    applies: Applies = Applies()
    remediation: str = ""
    reference: str = ""
    description: str = ""
    title: str = ""  # short Chinese name for charts and statistics (rule_title falls back to the message)
    deduction: float = 0.0
    veto: bool = False
    # Not reported for an instance where one of these rules failed too (it says the same).
    suppressed_by: tuple[str, ...] = ()
    source: str = ""  # file the rule was (last) defined in
    # 30号 failure type when the category's default does not fit (内容雷同 for copied text).
    failure_type: str | None = None
    # Lifecycle: stable | preview (reported, deducts nothing) | deprecated (still runs).
    status: str = "stable"
    # Report years the rule is in force for (None: open-ended); unknown years still run it.
    effective_from: int | None = None
    effective_until: int | None = None
    aliases: tuple[str, ...] = ()  # former ids: selectors, suppressed_by and fixtures accept them

    def known_as(self, rule_id: str) -> bool:
        """Whether ``rule_id`` names this rule (its id or one of its former ids)."""
        return rule_id == self.id or rule_id in self.aliases


@dataclass(frozen=True)
class Band:
    """A score band such as 优秀 (score ≥ 90)."""

    name: str
    min: float


@dataclass(frozen=True)
class Scoring:
    """The 100-point deduction model of a pack."""

    total: float = 100.0
    caps: Mapping[str, float] = field(default_factory=dict)
    rule_cap: float | None = None  # most points one rule may take, over all its findings
    bands: tuple[Band, ...] = (Band("优秀", 90), Band("良好", 80), Band("合格", 60), Band("不合格", 0))
    veto_band: str = "不合格"


@dataclass(frozen=True)
class RulePack:
    """A loaded, merged and validated rule pack."""

    name: str
    path: Path | None
    rules: tuple[Rule, ...]
    scoring: Scoring
    formats: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()  # files merged, base first

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id or former id (KeyError when the pack has none)."""
        for rule in self.rules:
            if rule.known_as(rule_id):
                return rule
        raise KeyError(rule_id)
