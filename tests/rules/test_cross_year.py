"""Cross-year rules through the engine: not evaluated without a previous report, warnings only."""

from __future__ import annotations

import dataclasses
import itertools
import re
from functools import cache

import pytest

from auditor.findings import audit
from auditor.model.template import load_template
from auditor.model.types import Report
from auditor.pipeline import parse_text
from auditor.rule_fixtures import apply_patch, model_report
from auditor.rules.loader import ALL_FORMATS, load_pack, pack_for
from tests.reportgen import make_report

CROSS_YEAR = {"YOY-001", "YOY-002", "YOY-003", "YOY-004", "RECT-003"}


@cache
def generated(seed: int, agency: str, year: int, layout: str | None = None) -> Report:
    return parse_text(make_report(seed, agency=agency, year=year, layout=layout).text, f"{agency}-{year}.txt")


def model(year: int, fmt: str = "2021", **cells: int) -> Report:
    return model_report(
        {
            "format": fmt,
            "year": year,
            "agency": "岳阳市教育局",
            "cells": {k.replace("__", "."): v for k, v in cells.items()},
        }
    )


def test_without_previous_cross_year_rules_are_not_evaluated() -> None:
    now = generated(6, "岳阳市教育局", 2023)
    result = audit(now, pack_for(now))
    assert not [f for f in result.findings if f.category == "cross_year"]
    skipped = {n.rule: n.reason for n in result.not_evaluated if n.rule in CROSS_YEAR}
    assert set(skipped) == {"YOY-001", "YOY-002", "YOY-004", "RECT-003"}  # YOY-003 is for 2020 only
    assert all("上一年度" in reason for reason in skipped.values())
    assert not [d for d in result.deductions if d.category == "cross_year"]


def test_previous_of_the_wrong_year_or_agency_is_not_compared() -> None:
    now = model(2023, requests__carried_in__total=5)
    for previous, words in (
        (model(2021, requests__carried_over__total=1), "2021年度，不是2022年度"),
        (dataclasses.replace(model(2022), meta=dataclasses.replace(model(2022).meta, agency="岳阳市财政局")), "不同"),
    ):
        result = audit(now, pack_for(now), select=["YOY-001"], previous=previous)
        assert not result.findings
        assert [n.rule for n in result.not_evaluated] == ["YOY-001"]
        assert words in result.not_evaluated[0].reason


def test_carried_in_blames_this_years_cell() -> None:
    now = apply_patch(generated(4, "岳阳市教育局", 2021), {})
    before = generated(3, "岳阳市教育局", 2020)
    result = audit(now, pack_for(now), select=["YOY-001"], previous=before)
    assert result.findings
    for f in result.findings:
        assert f.severity == "warning" and f.failure_type == "发布内容不准确"
        column = f.instance
        assert f.cells == (f"requests.carried_in.{column}",)
        assert f.location.row == "carried_in" and f.location.column == column
        assert f.line == now.cells[f.cells[0]].line is not None
        assert f.actual == now.cells[f.cells[0]].value
        assert f.expected == before.cells[f"requests.carried_over.{column}"].value
        assert f"2020年度报告“四、结转下年度继续办理”为 {f.expected}" in f.message


def test_unplaced_or_text_cells_are_not_evaluated() -> None:
    now = apply_patch(model(2023), {"cells": {"requests.carried_in.total": "约3件"}})
    result = audit(now, pack_for(now), select=["YOY-001"], previous=model(2022, requests__carried_over__total=3))
    assert not result.findings
    reasons = {n.instance: n.reason for n in result.not_evaluated}
    assert "不是数值（约3件）" in reasons["total"]
    previous = apply_patch(model(2022), {"unplaced_rows": {"requests.carried_over": [1, 2]}})
    result = audit(model(2023), pack_for(now), select=["YOY-001"], previous=previous)
    assert not result.findings
    assert all("未能定位到列" in n.reason for n in result.not_evaluated)


def test_copied_report_is_content_similarity_and_part_five_is_reported_once() -> None:
    before, now = generated(5, "岳阳市教育局", 2022), generated(5, "岳阳市教育局", 2023)
    result = audit(now, pack_for(now), previous=before)
    copied = [f for f in result.findings if f.rule in ("YOY-004", "RECT-003")]
    assert {f.failure_type for f in copied} == {"内容雷同"}
    assert {f.severity for f in copied} == {"warning"}
    assert ("RECT-003", "part5") in {(f.rule, f.instance) for f in copied}
    assert ("YOY-004", "part5") not in {(f.rule, f.instance) for f in copied}  # suppressed by RECT-003
    assert {("YOY-004", "part1"), ("YOY-004", "table.disclosure")} <= {(f.rule, f.instance) for f in copied}
    taken = sum(d.points for d in result.deductions if d.category == "cross_year")
    assert 0 < taken <= 10  # the category cap of the base pack


@pytest.mark.parametrize("layout", ["pipe", "tab", "paragraph", "markdown"])
def test_clean_consecutive_reports_get_no_error(layout: str) -> None:
    for agency, years in (("株洲县人民政府", (2019, 2020, 2021, 2022)), ("长沙市财政局", (2021, 2022, 2023))):
        for n, (y0, y1) in enumerate(itertools.pairwise(years)):
            before = generated(20 + n, agency, y0, layout)
            now = generated(21 + n, agency, y1, layout)
            result = audit(now, pack_for(now), previous=before, strict=True)
            assert not [f for f in result.findings if f.severity == "error"], [f.message for f in result.findings]
            assert {f.severity for f in result.findings if f.category == "cross_year"} <= {"warning", "info"}


def test_bundled_cross_year_rules_are_warnings_and_name_real_cells() -> None:
    rules = list(load_pack("history").rules)
    assert {r.id for r in rules} == CROSS_YEAR
    for rule in rules:
        assert rule.category == "cross_year" and rule.severity == "warning"
        assert rule.deduction <= 2
        keys = [rule.params.get("cell", "")] + [str(v) for t in rule.params.get("terms", ()) for v in t.values()]
        keys = [k for k in keys if "." in k]
        values = [
            str(v) for spec in (rule.params.get("foreach") or {}).values() if isinstance(spec, list) for v in spec
        ]
        for fmt in rule.applies.formats or ALL_FORMATS:
            known = load_template(fmt).keys()
            for key in keys:
                for value in values or ["total"]:
                    filled = re.sub(r"\{[a-z_]+\}", value, key)
                    assert filled in known, (rule.id, fmt, filled)
    for name in ("base", "2024", "2020"):
        assert {r.id for r in load_pack(name).rules} >= CROSS_YEAR
