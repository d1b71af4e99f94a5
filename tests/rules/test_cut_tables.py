"""A table cut at a PDF page's side: what it lacks was never printed, so it is not blamed."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.findings import audit
from auditor.model.types import Problem
from auditor.pipeline import parse_text
from auditor.rules.loader import pack_for
from auditor.text.document import TABLE_CUT
from tests.reportgen import make_report

CUT = "第5、6页的表格超出页面边界，超出部分未印在页面上，其中的单元格未能读取"


@pytest.mark.parametrize("cut", [False, True])
def test_a_row_missing_from_a_cut_table_is_not_evaluated_not_missing(cut: bool) -> None:
    text = make_report(7, fmt="2021", layout="tab", label_noise=False).text
    lines = text.split("\n")
    assert sum(line.startswith("规章") for line in lines) == 1
    report = parse_text("\n".join(line for line in lines if not line.startswith("规章")))
    if cut:
        report = dataclasses.replace(report, problems=(*report.problems, Problem(TABLE_CUT, CUT)))
    result = audit(report, pack_for(report))
    missing = [f for f in result.findings if f.rule == "TBL-001" and "规章" in f.message]
    skipped = [n for n in result.not_evaluated if n.rule == "TBL-001" and "规章" in n.reason]
    if cut:
        assert not missing
        assert [n.reason for n in skipped] == ["第5、6页的表格超出页面边界，未读出的规章可能在其中，需人工核对"]
    else:
        assert missing and not skipped
