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
    # One root cause, one finding: both identities are its evidence, and it deducts once.
    assert len(errors) == 1
    assert {(e.rule, e.instance) for e in errors[0].evidence} == {("COL-001", "total"), ("COL-002", "total")}
    assert sum(d.points for d in result.deductions if d.rule.startswith("COL")) == errors[0].deduction
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
    f = next(f for f in record["findings"] if "COL-002" in [e["rule"] for e in f["evidence"]])
    assert f["location"]["table"] == "requests" and f["location"]["column"] == "total"
    assert f["failure_type"] == "发布内容不准确"
    assert "三（七）总计·总计" in f["message"] and "333" in f["message"] and "46" in f["message"]


def test_crashing_check_is_not_evaluated_as_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.rules.checks import period

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(period, "check", boom)
    report = model_report({"format": "2021", "year": 2023})
    result = audit(report, load_pack("2024"), select=["DATE-001"])
    assert not result.findings  # never a silent pass, nor a warning that lets the score rise
    assert [(n.rule, n.internal) for n in result.not_evaluated] == [("DATE-001", True)]
    assert "内部错误" in result.not_evaluated[0].reason
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


def test_three_defects_never_blamed_on_a_negative_correction() -> None:
    """Only a pair of negative counts fixes these three errors: name no cell rather than that pair."""
    report = model_report(
        {
            "format": "2021",
            "year": 2023,
            "cells": {
                "requests.other.no_correction.natural_person": 2,
                "requests.denied.state_secret.legal_services": 2,
                "requests.other.no_correction.legal_services": 1,
            },
        }
    )
    findings = audit(report, load_pack("2024"), select=["ROW", "COL"], strict=True).findings
    assert {(f.rule, f.instance) for f in findings} == {
        ("COL-002", "legal_services"),
        ("COL-002", "natural_person"),
        ("ROW-001", "denied.state_secret"),
        ("ROW-001", "other.no_correction"),
    }
    for f in findings:
        assert not f.corrections and "更正为" not in f.message, f.message
        assert all(c.expected >= 0 for c in f.corrections)


def test_money_cells_may_be_corrected_to_decimals() -> None:
    from auditor.findings.blame import blame
    from auditor.findings.engine import _order, admissible_values, context

    report = model_report({"format": "2021", "year": 2023, "cells": {"disclosure.fees.amount_wan": "1.25"}})
    ctx = context(report, load_pack("2024"))
    from auditor.rules.checks.identity import check

    (result,) = check(report, {"expr": "disclosure.fees.amount_wan = 1.5"}, ctx)
    assert result.status == "fail" and result.equation is not None
    found = blame({0: result.equation}, _order(ctx), admissible_values(ctx))
    assert found[0].cells == ("disclosure.fees.amount_wan",)
    assert found[0].values["disclosure.fees.amount_wan"] == pytest.approx(1.5)
    ok = admissible_values(ctx)
    assert ok("disclosure.licensing.decisions", 3) and not ok("disclosure.licensing.decisions", -3)
    assert not ok("disclosure.licensing.decisions", 2.5)


def test_signed_change_column_may_be_corrected_to_a_negative_number() -> None:
    from auditor.findings.engine import admissible_values, context

    report = model_report({"format": "2019", "year": 2020})
    ok = admissible_values(context(report, load_pack("2020")))
    assert ok("disclosure.licensing.change", -4)
    assert not ok("disclosure.licensing.change", -4.5)
    assert not ok("requests.granted.total", -4)


def test_pair_blame_is_not_claimed_unique_past_the_pair_cap() -> None:
    """Two pairs fix the group; the second lies beyond MAX_PAIRS plain combinations of its cells.

    F1: x00 + … + x99 = 10 and F2: x95 = 4 fail; every x except x01, x60 and x95 is pinned
    to 0 by a passing equation. Both (x01, x95) and (x60, x95) are solutions: no cell may be
    named, whatever order the pairs are tried in.
    """
    from auditor.findings.blame import MAX_PAIRS, blame
    from auditor.rules.types import Equation

    xs = [f"t.r.x{i:02}" for i in range(100)]
    assert MAX_PAIRS < 60 * 99 - 60 * 59 // 2  # (x60, x95) comes after MAX_PAIRS combinations
    eqs = {
        0: Equation({x: 1.0 for x in xs}, -10.0, "=", dict.fromkeys(xs, 0.0)),
        1: Equation({xs[95]: 1.0}, -4.0, "=", {xs[95]: 0.0}),
    }
    for n, x in enumerate(xs):
        if n not in (1, 60, 95):
            eqs[-1 - n] = Equation({x: 1.0, f"t.p.z{n:02}": -1.0}, 0.0, "=", {x: 0.0, f"t.p.z{n:02}": 0.0})
    order = {x: (1, n) for n, x in enumerate(xs)}
    found = blame(eqs, lambda c: order.get(c, (1, 1000)))
    assert 0 not in found and 1 not in found
    # With x60 pinned too, (x01, x95) is the only solution and is named.
    eqs[-61] = Equation({xs[60]: 1.0, "t.p.z60": -1.0}, 0.0, "=", {xs[60]: 0.0, "t.p.z60": 0.0})
    found = blame(eqs, lambda c: order.get(c, (1, 1000)))
    assert found[0].cells == (xs[1], xs[95]) and found[0].values == {xs[1]: 6.0, xs[95]: 4.0}
