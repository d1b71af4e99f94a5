"""Every defect a careful inspector lists for the seed reports is found, and no more errors."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.pipeline import AuditOptions, audit_file
from tests.conftest import SEEDS, requires_seeds, seed_truths

TRUTHS = seed_truths()
DEFECTS = [(t["file"], d) for t in TRUTHS for d in t["defects"]]


def _matches(finding: dict[str, Any], defect: dict[str, Any]) -> bool:
    if finding["category"] != defect["category"] or finding["severity"] != defect.get("severity", "error"):
        return False
    if not set(defect["cells"]) <= set(finding["cells"]):
        return False
    if "expected" in defect:
        return (
            bool(finding["cells"])
            and finding["cells"][0] == defect["cells"][0]
            and (
                finding["expected"],
                finding["actual"],
            )
            == (defect["expected"], defect["actual"])
        )
    return True


@requires_seeds
@pytest.mark.parametrize(
    ("file", "defect"), DEFECTS, ids=[f"{f[:3]}-{d['category']}-{i}" for i, (f, d) in enumerate(DEFECTS)]
)
def test_listed_defect_is_found(file: str, defect: dict[str, Any]) -> None:
    record = audit_file(SEEDS / file, AuditOptions())
    assert any(_matches(f, defect) for f in record["findings"]), [
        (f["rule"], f["category"], f["severity"], f["cells"][:4], f["expected"], f["actual"])
        for f in record["findings"]
    ]


@requires_seeds
@pytest.mark.parametrize(
    "truth", [t for t in TRUTHS if not t["defects"] or t["file"][:3] in ("002", "004")], ids=lambda t: t["file"][:3]
)
def test_reports_without_listed_errors_get_none(truth: dict[str, Any]) -> None:
    record = audit_file(SEEDS / truth["file"], AuditOptions())
    assert not [(f["rule"], f["message"]) for f in record["findings"] if f["severity"] == "error"]
