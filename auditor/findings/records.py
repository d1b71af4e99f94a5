"""Plain-dict records of an audit, the input of every renderer (docs/architecture.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from auditor.findings.fingerprint import finding_fingerprint
from auditor.findings.types import AuditResult, Finding
from auditor.findings.verdict import SCORED_LABEL, UNAUDITABLE_STATUS, Verdict
from auditor.model.serialize import report_record
from auditor.model.types import Report

SCHEMA = "auditor.audit/1"

RECORD_SCHEMA_PATH = Path(__file__).with_name("audit.schema.json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8")))


def record_errors(record: Mapping[str, Any]) -> list[str]:
    """Where a record breaks the audit-record schema (empty when it follows it)."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message}"
        for e in sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    ]


# Parts written as prose: their text is carried in the record so pages can show and mark it.
PROSE_PARTS = (1, 5, 6)


def finding_record(f: Finding) -> dict[str, Any]:
    """One finding as a plain dict."""
    loc = f.location
    return {
        "rule": f.rule,
        "name": f.name,
        "title": f.title,
        "severity": f.severity,
        "category": f.category,
        "failure_type": f.failure_type,
        "message": f.message,
        "cells": list(f.cells),
        "expected": f.expected,
        "actual": f.actual,
        "line": f.line,
        "location": {
            "part": loc.part,
            "table": loc.table,
            "row": loc.row,
            "column": loc.column,
            "line": loc.line,
            "page": loc.page,
        },
        "corrections": [{"cell": c.cell, "actual": c.actual, "expected": c.expected} for c in f.corrections],
        "alternatives": f.alternatives,
        "remediation": f.remediation,
        "reference": f.reference,
        "deduction": f.deduction,
        "instance": f.instance,
        "evidence": [
            {"rule": e.rule, "name": e.name, "severity": e.severity, "message": e.message, "instance": e.instance}
            for e in f.evidence
        ],
    }


def _with_text(section: dict[str, Any], report: Report) -> dict[str, Any]:
    """A prose part with its body lines (``[[line, text], ...]``, 1-based source lines)."""
    if section.get("number") not in PROSE_PARTS:
        return section
    first, last = int(section["line"]), int(section["end_line"])
    lines = [[n, report.lines[n - 1]] for n in range(first + 1, last + 1) if 0 < n <= len(report.lines)]
    return {**section, "lines": [pair for pair in lines if str(pair[1]).strip()]}


def audit_record(report: Report, result: AuditResult, verdict: Verdict | None = None) -> dict[str, Any]:
    """The audit record of one report: parse fields plus verdict, score and findings.

    A partial check (``--select``/``--ignore``) keeps its score but gets no band.
    """
    parsed = report_record(report)
    verdict = verdict or Verdict("scored", SCORED_LABEL)
    return {
        "source": parsed["source"],
        "meta": parsed["meta"],
        "pack": result.pack,
        "status": "ok",
        "error": None,
        "verdict": verdict.record(),
        "score": None if verdict.status == UNAUDITABLE_STATUS else result.score,
        "band": result.band if verdict.scored else None,
        "veto": result.veto,
        "deductions": [
            {"rule": d.rule, "category": d.category, "points": d.points, "note": d.note} for d in result.deductions
        ],
        "counts": result.counts,
        "findings": [{**finding_record(f), "fingerprint": finding_fingerprint(f, report)} for f in result.findings],
        "not_evaluated": [
            {"rule": n.rule, "instance": n.instance, "reason": n.reason, "internal": n.internal}
            for n in result.not_evaluated
        ],
        "sections": [_with_text(s, report) for s in parsed["sections"]],
        "cells": parsed["cells"],
        "unplaced_rows": parsed["unplaced_rows"],
        "tables": parsed["tables"],
        "problems": parsed["problems"],
    }
