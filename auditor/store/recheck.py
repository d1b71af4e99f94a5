"""复核: a report's items against the latest earlier audit of the same body and year.

Pure functions on audit records (dicts), so they are tested without a database. An item
present before and now is 仍存在 (``persisting``), one only now 新增 (``new``), one only
before 已整改 (listed in ``recheck.fixed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.findings.review import NEW, PERSISTING, Review
from auditor.findings.verdict import PARTIAL, UNAUDITABLE_STATUS


@dataclass(frozen=True)
class Earlier:
    """The earlier audit a report is compared with."""

    report_id: int
    run_id: int
    recorded: str
    sha256: str
    items: Mapping[str, tuple[str, str]]  # fingerprint → (rule, message)


def comparable(record: Mapping[str, Any]) -> bool:
    """Whether a record's findings mean anything for 复核: read and audited with every rule.

    A partial check (--select/--ignore) lacks the other rules' items, which would look 已整改.
    """
    verdict = (record.get("verdict") or {}).get("status")
    return record.get("status") == "ok" and verdict not in (UNAUDITABLE_STATUS, PARTIAL)


def annotate(
    record: dict[str, Any], run_id: int | None, reviews: Mapping[str, Review], earlier: Earlier | None
) -> dict[str, Any]:
    """Add ``run``, each finding's ``review`` and ``recheck``, and the record's ``recheck``."""
    findings: Sequence[dict[str, Any]] = record.get("findings") or ()
    now = {str(f.get("fingerprint")) for f in findings}
    compare = earlier is not None and comparable(record)
    for f in findings:
        review = reviews.get(str(f.get("fingerprint")))
        f["review"] = review.record() if review else None
        f["recheck"] = (PERSISTING if f.get("fingerprint") in earlier.items else NEW) if compare and earlier else None
    record["run"] = run_id
    if not compare or earlier is None:
        record["recheck"] = None
        return record
    fixed = [
        {"fingerprint": fp, "rule": rule, "message": message}
        for fp, (rule, message) in earlier.items.items()
        if fp not in now
    ]
    counts = {status: sum(1 for f in findings if f["recheck"] == status) for status in (NEW, PERSISTING)}
    record["recheck"] = {
        "against": {
            "report": earlier.report_id,
            "run": earlier.run_id,
            "recorded": earlier.recorded,
            "sha256": earlier.sha256,
        },
        "fixed": fixed,
        "counts": {**counts, "fixed": len(fixed)},
    }
    return record
