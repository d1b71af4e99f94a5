"""Golden tests on the real published reports in ../shared/corpus/real (issue 7).

Each report's hand-read cells must come back (none with a wrong value), no error may be
raised that an inspector did not verify, and every verified error-level defect must be
found. Skipped when the shared corpus is not beside the project.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.model.serialize import report_record
from auditor.pipeline import AuditOptions, audit_report, read_report

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
TRUTHS = sorted(REAL.glob("*.expected.json")) if REAL.is_dir() else []


def _same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    return got is not None and abs(float(got) - float(want)) < 1e-6 * max(1.0, abs(float(want)))


def _matches(finding: dict[str, Any], defect: dict[str, Any]) -> bool:
    cells, found = set(defect.get("cells") or []), set(finding.get("cells") or [])
    return finding["category"] == defect["category"] and (not cells or not found or bool(cells & found))


@pytest.mark.skipif(not TRUTHS, reason="../shared/corpus/real is not beside the project")
@pytest.mark.parametrize("truth_file", TRUTHS, ids=[t.name.split(".")[0] for t in TRUTHS])
def test_real_report(truth_file: Path) -> None:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    report = read_report(REAL / truth["file"])
    cells = report_record(report)["cells"]
    skip = set(truth.get("uncertain") or ())
    wrong, missing = [], []
    for key, want in truth["cells"].items():
        if key in skip:
            continue
        got = (cells.get(key) or {}).get("value")
        if not _same(got, want):
            (wrong if got is not None else missing).append(f"{key}: read {got!r}, truth {want!r}")
    assert not wrong, wrong
    assert not missing, missing
    record = audit_report(report, AuditOptions())
    errors = [f for f in record["findings"] if f["severity"] == "error"]
    defects = [d for d in truth.get("defects") or () if d.get("severity", "error") == "error"]
    false = [f"{f['rule']}: {f['message']}" for f in errors if not any(_matches(f, d) for d in defects)]
    assert not false, false
    unfound = [d["why"] for d in defects if not any(_matches(f, d) for f in record["findings"])]
    assert not unfound, unfound
