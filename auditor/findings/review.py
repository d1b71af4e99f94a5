"""Inspectors' decisions on items and 复核 statuses: their names, read by the store and the renderers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DISMISSED = "dismissed"
CONFIRMED = "confirmed"
REVIEW_LABELS = {DISMISSED: "已核实-不属问题", CONFIRMED: "已确认"}

NEW = "new"
PERSISTING = "persisting"
FIXED = "fixed"
RECHECK_LABELS = {NEW: "新增", PERSISTING: "仍存在", FIXED: "已整改"}


@dataclass(frozen=True)
class Review:
    """An inspector's latest decision on one fingerprint."""

    fingerprint: str
    decision: str  # DISMISSED | CONFIRMED
    reason: str
    by: str
    at: str

    def record(self) -> dict[str, Any]:
        """The ``review`` field of a finding."""
        return {
            "decision": self.decision,
            "label": REVIEW_LABELS[self.decision],
            "reason": self.reason,
            "by": self.by,
            "at": self.at,
        }


def dismissed(finding: Mapping[str, Any]) -> bool:
    """Whether an inspector dismissed this item (已核实-不属问题): it no longer deducts or is sent."""
    return (finding.get("review") or {}).get("decision") == DISMISSED


def recheck_label(finding: Mapping[str, Any]) -> str:
    """新增 / 仍存在, or "" when the report was not audited before."""
    return RECHECK_LABELS.get(str(finding.get("recheck")), "")
