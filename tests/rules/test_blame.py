"""Blame and identity semantics on hand-made Reports built from the seed truths."""

from __future__ import annotations

import pytest

from auditor.findings import audit
from auditor.findings.records import audit_record
from auditor.rule_fixtures import model_report
from auditor.rules.loader import load_pack
from tests.conftest import requires_seeds
from tests.rules.seeds import seed_report

IDENTITY = ["ROW", "COL"]


@requires_seeds
def test_seed_000_blames_results_total() -> None:
    result = audit(seed_report("000"), load_pack("2020"), select=IDENTITY, strict=True)
    errors = [f for f in result.findings if f.severity == "error"]
    assert {(f.rule, f.instance) for f in errors} == {("COL-001", "total"), ("COL-002", "total")}
    for f in errors:
        assert f.cells[0] == "requests.results_total.total"
        assert (f.expected, f.actual) == (333, 46)
        assert [(c.cell, c.actual, c.expected) for c in f.corrections] == [("requests.results_total.total", 46, 333)]
    # The granted row sum used the unplaced aggregate (266+7+1+2+5 = 281) and passed.
    assert not any(f.rule == "ROW-001" for f in result.findings)
    skipped = {(n.rule, n.instance) for n in result.not_evaluated}
    assert ("ROW-001", "granted") not in skipped
    assert ("ROW-004", None) in skipped  # table 四: 10 unplaced cells, 5 in the identity


@requires_seeds
def test_seed_001_blames_both_results_total_cells() -> None:
    result = audit(seed_report("001"), load_pack("2020"), select=IDENTITY, strict=True)
    errors = [f for f in result.findings if f.category == "identity"]
    assert errors
    blamed = ["requests.results_total.total", "requests.results_total.natural_person"]
    for f in errors:
        assert list(f.cells[:2]) == blamed
        assert [(c.cell, c.expected) for c in f.corrections] == [(blamed[0], 3), (blamed[1], 3)]
        assert (f.expected, f.actual) == (3, 6)


def test_appeals_group_lists_every_candidate_total_first() -> None:
    report = model_report(
        {
            "format": "2021",
            "year": 2023,
            "cells": {
                "appeals.review.upheld": 1,
                "appeals.review.corrected": 2,
                "appeals.review.other": 3,
                "appeals.review.pending": 4,
                "appeals.review.total": 12,
            },
        }
    )
    (finding,) = audit(report, load_pack("2024"), select=["ROW-003"], strict=True).findings
    assert finding.alternatives
    assert finding.cells[0] == "appeals.review.total"
    assert (finding.expected, finding.actual) == (10, 12)
    assert {c.cell: c.expected for c in finding.corrections} == {
        "appeals.review.total": 10,
        "appeals.review.upheld": 3,
        "appeals.review.corrected": 4,
        "appeals.review.other": 5,
        "appeals.review.pending": 6,
    }


def test_absent_and_text_cells_are_not_evaluated() -> None:
    report = model_report({"format": "2021", "year": 2023, "cells": {"appeals.review.total": "见附件"}})
    result = audit(report, load_pack("2024"), select=["ROW-003"], strict=True)
    assert not result.findings
    assert [n.rule for n in result.not_evaluated] == ["ROW-003"]


def test_blank_counts_as_zero_and_is_recorded() -> None:
    report = model_report(
        {
            "format": "2021",
            "year": 2023,
            "cells": {"appeals.review.upheld": 2, "appeals.review.corrected": None, "appeals.review.total": 3},
        }
    )
    (finding,) = audit(report, load_pack("2024"), select=["ROW-003"], strict=True).findings
    assert "appeals.review.corrected" in finding.blanks


def test_money_tolerance_uses_printed_precision() -> None:
    from auditor.findings.engine import context
    from auditor.rules.checks.identity import check

    report = model_report({"format": "2021", "year": 2023, "cells": {"disclosure.fees.amount_wan": "1.25"}})
    ctx = context(report, load_pack("2024"))
    ok = list(check(report, {"expr": "disclosure.fees.amount_wan = 1.254"}, ctx))
    bad = list(check(report, {"expr": "disclosure.fees.amount_wan = 1.26"}, ctx))
    assert ok[0].status == "pass"
    assert bad[0].status == "fail"


@pytest.mark.parametrize("prefix", ["002", "004"])
@requires_seeds
def test_consistent_seeds_have_no_error(prefix: str) -> None:
    report = seed_report(prefix)
    result = audit(report, load_pack("2024" if report.meta.year and report.meta.year >= 2021 else "2020"), strict=True)
    assert [f.rule for f in result.findings if f.severity == "error"] == []


@requires_seeds
def test_record_has_architecture_fields() -> None:
    report = seed_report("000")
    result = audit(report, load_pack("2020"), strict=True)
    record = audit_record(report, result)
    for key in (
        "source",
        "meta",
        "pack",
        "status",
        "error",
        "score",
        "band",
        "veto",
        "deductions",
        "counts",
        "findings",
        "not_evaluated",
        "sections",
        "cells",
        "unplaced_rows",
        "problems",
    ):
        assert key in record
    f = next(f for f in record["findings"] if f["rule"] == "COL-002")
    assert f["location"]["table"] == "requests" and f["location"]["column"] == "total"
    assert f["failure_type"] == "发布内容不准确"
    assert "三（七）总计·总计" in f["message"] and "333" in f["message"] and "46" in f["message"]


def test_crashing_check_becomes_internal_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.rules.checks import period

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(period, "check", boom)
    report = model_report({"format": "2021", "year": 2023})
    result = audit(report, load_pack("2024"), select=["DATE-001"])
    assert [(f.rule, f.instance, f.severity) for f in result.findings] == [("INTERNAL", "DATE-001", "warning")]
    with pytest.raises(RuntimeError):
        audit(report, load_pack("2024"), select=["DATE-001"], strict=True)


def test_select_and_ignore_by_id_prefix_and_category() -> None:
    report = model_report({"format": "2021", "year": 2023})
    pack = load_pack("2024")
    assert {f.rule for f in audit(report, pack, select=["DATE"]).findings} == {"DATE-001"}
    assert {f.rule for f in audit(report, pack, select=["deadline"]).findings} == {"PUB-006"}
    assert not any(f.rule.startswith("DATE") for f in audit(report, pack, ignore=["DATE-001"]).findings)


def test_rule_doc_is_markdown() -> None:
    from auditor.rules.docs import rule_doc

    doc = rule_doc(load_pack("2024").rule("COL-001"))
    assert doc.startswith("# COL-001 — requests.balance")
    assert "## 整改要求" in doc
