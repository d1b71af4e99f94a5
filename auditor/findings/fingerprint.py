"""Stable fingerprints of findings: what an inspector's decision and a 复核 are keyed on.

A fingerprint names *what* is wrong in *whose* report for *which year* — the rule (of
the root cause), the body (`normalise_agency`), the year, and the cells blamed or, for a
finding on no cell, its part and instance. Never a line number or a message: a corrected
report whose lines moved keeps the fingerprints of the items it still has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from auditor.findings.history import normalise_agency
from auditor.findings.types import Finding
from auditor.model.types import Report

FINGERPRINT_CHARS = 12  # short enough to type after `audit review`, long enough never to collide in practice


def fingerprint(
    rule: str,
    agency: str | None,
    year: int | None,
    cells: Iterable[str] = (),
    part: int | None = None,
    instance: str | None = None,
) -> str:
    """The fingerprint of one item: 12 hex digits of a hash of its identity."""
    cell_keys = sorted(set(cells))
    where = ",".join(cell_keys) if cell_keys else f"part={part}|instance={instance or ''}"
    identity = "|".join((rule, normalise_agency(agency or ""), str(year or ""), where))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def finding_fingerprint(finding: Finding, report: Report) -> str:
    """The fingerprint of a finding of ``report``."""
    return fingerprint(
        finding.rule,
        report.meta.agency,
        report.meta.year,
        finding.cells,
        finding.location.part,
        finding.instance,
    )
