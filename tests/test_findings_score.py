"""Scoring arithmetic: per-finding deductions, rule and category caps, veto, bands."""

from __future__ import annotations

from auditor.findings.score import band, deductions, finding_points, score, summary
from auditor.findings.types import Finding
from auditor.rules.types import Band, Scoring


def finding(rule: str, category: str, points: float) -> Finding:
    return Finding(rule, "x", "error", category, "发布内容不准确", f"{rule} 消息", deduction=points)


def test_lines_recompute_the_score() -> None:
    scoring = Scoring(caps={"identity": 12}, rule_cap=10)
    found = [finding("COL-001", "identity", 5)] * 3
    found += [finding("ROW-001", "identity", 5), finding("PUB-001", "deadline", 10)]
    lines = deductions(found, scoring)
    # COL-001: 15 capped to 10; identity: 10 + 5 = 15 capped to 12; deadline 10.
    assert sum(d.points for d in lines) == 22
    assert score(lines, scoring) == 78
    assert [d.points for d in lines if d.points < 0] == [-5, -3]


def test_bands_and_veto() -> None:
    scoring = Scoring(bands=(Band("优秀", 90), Band("良好", 80), Band("合格", 60), Band("不合格", 0)))
    assert band(95, scoring, False) == "优秀"
    assert band(80, scoring, False) == "良好"
    assert band(59.5, scoring, False) == "不合格"
    assert band(99, scoring, True) == "不合格"
    value, name, veto, _ = summary([finding("PUB-001", "deadline", 10)], scoring, {"PUB-001": True})
    assert (value, name, veto) == (90, "不合格", True)


def test_downgraded_findings_deduct_less() -> None:
    assert finding_points(4, "error", "error") == 4
    assert finding_points(4, "error", "warning") == 2
    assert finding_points(4, "error", "info") == 0
    assert finding_points(4, "warning", "warning") == 4


def test_score_never_negative() -> None:
    lines = deductions([finding(f"R-{i:03}", "value", 50) for i in range(5)], Scoring())
    assert score(lines, Scoring()) == 0


def test_lines_sum_to_what_was_taken_off_at_the_floor() -> None:
    scoring = Scoring(caps={"narrative": 30, "identity": 40}, rule_cap=15)
    found = [finding(f"SEC-{i:03}", "narrative", 10) for i in range(4)]
    found += [finding(f"COL-{i:03}", "identity", 12) for i in range(5)]
    found += [finding("VER-001", "template", 15), finding("PUB-001", "deadline", 15), finding("VAL-001", "value", 15)]
    lines = deductions(found, scoring)
    # narrative 40 → 30, identity 60 → 40, template, deadline and value 15 each: 115 points, score 0.
    value, _, _, _ = summary(found, scoring, {})
    assert value == 0
    assert sum(d.points for d in lines) == scoring.total - value
    assert lines[-1].points == -15 and "0 分" in lines[-1].note
