"""Acceptance on generated reports: each injected defect is found, clean reports get no error.

Mirrors the issue's acceptance: one defect per report (a wrong total, a wrong inner cell, a
wrong table-四 total, a negative count, a missing part, the wrong template for the year, a
late publication date, a statistical period in the wrong year) must be found as an `error`
of the right category with the changed cell among the blamed cells.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.pipeline import AuditOptions, audit_report, parse_text
from tests.reportgen import DEFECTS, make_report

LAYOUTS = ("pipe", "tab", "paragraph", "markdown")
SEEDS = range(4)


def _audit(text: str) -> dict[str, Any]:
    return audit_report(parse_text(text, "generated.txt"), AuditOptions())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clean_reports_get_no_error(layout: str) -> None:
    for seed in SEEDS:
        record = _audit(make_report(seed, layout=layout).text)
        errors = [(f["rule"], f["message"]) for f in record["findings"] if f["severity"] == "error"]
        assert not errors, (seed, errors)


@pytest.mark.parametrize("defect", DEFECTS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_injected_defect_is_found(defect: str, layout: str) -> None:
    for seed in SEEDS:
        generated = make_report(seed, layout=layout, defect=defect)
        record = _audit(generated.text)
        errors = [
            f for f in record["findings"] if f["severity"] == "error" and f["category"] == generated.defect_category
        ]
        assert errors, (seed, defect, [(f["rule"], f["category"]) for f in record["findings"]])
        if generated.defect_cells:
            blamed = {c for f in errors for c in f["cells"]}
            assert set(generated.defect_cells) & blamed, (seed, generated.defect_cells, blamed)
