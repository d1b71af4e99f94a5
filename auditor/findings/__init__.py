"""Findings: run a rule pack over a report, blame cells, score, and build records."""

from __future__ import annotations

from auditor.findings.engine import audit
from auditor.findings.types import AuditResult, Correction, Deduction, Finding, Location, NotEvaluated

__all__ = ["AuditResult", "Correction", "Deduction", "Finding", "Location", "NotEvaluated", "audit"]
