"""One cell-value policy: identities, narrative sums and cross-year checks read a cell alike;
VER-001 names the printed label that betrays the old format."""

from __future__ import annotations

import dataclasses

from auditor.findings import audit
from auditor.model.types import CellState, Report
from auditor.pipeline import AuditOptions, audit_file
from auditor.rule_fixtures import model_report
from auditor.rules.loader import pack_for
from auditor.rules.values import read_cell
from tests.conftest import EXAMPLES


def _report(year: int, **cells: int) -> Report:
    return model_report(
        {
            "format": "2021",
            "year": year,
            "agency": "岳阳市教育局",
            "cells": {k.replace("__", "."): v for k, v in cells.items()},
        }
    )


def _as_text(report: Report, key: str, raw: str) -> Report:
    """The cell printed as text that holds a number (it parsed a value, but its state is text)."""
    cell = dataclasses.replace(report.cells[key], raw=raw, state=CellState.TEXT)
    return dataclasses.replace(report, cells={**report.cells, key: cell})


def test_a_text_cell_is_not_evaluable_for_any_kind() -> None:
    key = "requests.carried_in.total"
    now = _as_text(_report(2023, requests__carried_in__total=3), key, "3（含2件转办）")
    reading = read_cell(now, key, None)
    assert reading.value is None and "不是数值" in reading.why
    # Cross-year: last year carried over 5, this year's text cell says 3: not compared.
    result = audit(now, pack_for(now), select=["YOY-001"], previous=_report(2022, requests__carried_over__total=5))
    assert not result.findings
    assert any(n.rule == "YOY-001" and "不是数值" in n.reason for n in result.not_evaluated)
    # Identity: the same cell makes the total-column balance not evaluated, not a failure.
    identity = audit(now, pack_for(now), select=["COL-001"])
    assert not [f for f in identity.findings if key in f.cells]
    assert any(n.rule == "COL-001" and n.instance == "total" for n in identity.not_evaluated)


def test_blank_and_number_readings() -> None:
    report = _report(2023, requests__received__total=4)
    blank = dataclasses.replace(report.cells["requests.received.total"], value=None, raw="", state=CellState.BLANK)
    report = dataclasses.replace(report, cells={**report.cells, "requests.received.total": blank})
    assert read_cell(report, "requests.received.total", None).blank
    assert read_cell(report, "requests.received.total", None).value == 0.0
    assert read_cell(report, "requests.nowhere.total", None).why == "缺失"


def test_ver_001_names_the_old_label_and_its_line() -> None:
    path = EXAMPLES / "2022_yufeng_county_old_tables_pipe.txt"
    record = audit_file(path, AuditOptions())
    (ver,) = [f for f in record["findings"] if f["rule"] == "VER-001"]
    lines = path.read_text(encoding="utf-8").splitlines()
    label = ver["message"].split("出现“", 1)[1].split("”", 1)[0]
    assert label and label in lines[ver["line"] - 1]
