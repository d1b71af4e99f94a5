"""Findings: run a rule pack over a report, blame cells, score, and build records."""

from __future__ import annotations

from auditor.findings.engine import audit
from auditor.findings.history import pair_previous
from auditor.findings.types import AuditResult, Correction, Deduction, Finding, Location, NotEvaluated

__all__ = ["AuditResult", "Correction", "Deduction", "Finding", "Location", "NotEvaluated", "audit", "pair_previous"]
