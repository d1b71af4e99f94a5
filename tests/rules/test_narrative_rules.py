"""The narrative kinds beyond their fixtures: normalisation, suppression, lints, N−1 basis."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from auditor.findings import audit
from auditor.pipeline import parse_text
from auditor.rule_fixtures import model_report
from auditor.rules.loader import load_pack, pack_for, validate_file
from auditor.rules.narrative import clause_before, normalise, sentence_around

REPORTS = Path(__file__).parent / "fixtures" / "reports"


def test_normalise_digits_punctuation_and_spaces() -> None:
    assert normalise("收到 ７５ 件,办结(含结转)") == "收到75件，办结（含结转）"
    assert normalise("see 2 items") == "see 2 items"  # ASCII text keeps its spaces


def test_sentence_and_clause_around_a_match() -> None:
    text = "2022年，略。2023年新收申请5件，其中网上申请3件。"
    start = text.index("网上")
    before, sentence = sentence_around(text, start, start + 2)
    assert before == "2023年新收申请5件，其中"
    assert sentence == "2023年新收申请5件，其中网上申请3件"
    assert clause_before(text, start) == "其中"


def test_table_replaced_by_pointer_is_reported_once() -> None:
    report = parse_text((REPORTS / "table_pointer.txt").read_text(encoding="utf-8"), "table_pointer.txt")
    rules = [f.rule for f in audit(report, pack_for(report)).findings if f.severity == "error"]
    assert rules == ["SEC-007"]


def test_bad_pattern_and_unknown_key_are_load_errors(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        """pack: bad
extends: "2024"
rules:
  - id: TXT-009
    name: narrative.bad
    severity: warning
    category: narrative
    message: 正文“{value}”
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: text_number
    params:
      phrases:
        - {name: a, label: 甲, pattern: "收到(\\\\d+)件", expr: requests.received.total}
        - {name: b, label: 乙, pattern: "收到(?P<n>\\\\d+)件", expr: requests.received.totl}
""",
        encoding="utf-8",
    )
    problems = validate_file(pack)
    assert any("缺少命名组 (?P<n>...)" in p for p in problems), problems
    assert any("requests.received.totl" in p for p in problems), problems


@pytest.mark.skipif("previous" not in inspect.signature(audit).parameters, reason="audit() takes no previous report")
def test_after_review_litigation_with_last_year_review_is_fine() -> None:
    spec = {"format": "2021", "year": 2023, "cells": {"appeals.litigation_after_review.total": 2}}
    report = model_report(spec)
    previous = model_report({"format": "2021", "year": 2022, "cells": {"appeals.review.total": 3}})
    pack = load_pack("2024")
    alone = [f.rule for f in audit(report, pack, select=["XT-006"]).findings]
    paired = [f.rule for f in audit(report, pack, select=["XT-006"], previous=previous).findings]
    assert alone == ["XT-006"]
    assert paired == []
