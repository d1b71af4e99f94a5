"""Golden tests: every hand-read cell, unplaced row and meta field of the five seed reports."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.model.serialize import report_record
from auditor.pipeline import read_report
from tests.conftest import SEEDS, requires_seeds, seed_truths

TRUTHS = seed_truths()
IDS = [t["file"][:3] for t in TRUTHS]


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    return {t["file"]: report_record(read_report(SEEDS / t["file"])) for t in TRUTHS}


@requires_seeds
@pytest.mark.parametrize("truth", TRUTHS, ids=IDS)
def test_every_cell_as_read_by_hand(truth: dict[str, Any], parsed: dict[str, dict[str, Any]]) -> None:
    cells = parsed[truth["file"]]["cells"]
    wrong = {}
    for key, expected in truth["cells"].items():
        got = cells.get(key, {}).get("value")
        if expected is None:
            ok = got is None
        else:
            ok = got is not None and abs(float(got) - float(expected)) < 1e-6 * max(1.0, abs(expected))
        if not ok:
            wrong[key] = (got, expected)
    assert not wrong


@requires_seeds
@pytest.mark.parametrize("truth", TRUTHS, ids=IDS)
def test_blank_cells_are_blank_not_absent(truth: dict[str, Any], parsed: dict[str, dict[str, Any]]) -> None:
    cells = parsed[truth["file"]]["cells"]
    for key, expected in truth["cells"].items():
        if expected is None:
            assert cells[key]["state"] == "blank", key


@requires_seeds
@pytest.mark.parametrize("truth", TRUTHS, ids=IDS)
def test_unplaced_rows(truth: dict[str, Any], parsed: dict[str, dict[str, Any]]) -> None:
    got = {k: v["values"] for k, v in parsed[truth["file"]]["unplaced_rows"].items()}
    expected = {k: v["values"] for k, v in (truth.get("unplaced_rows") or {}).items()}
    assert got == expected
    cells = parsed[truth["file"]]["cells"]
    for row in expected:
        # Columns that could not be placed say so instead of pretending to be blank.
        states = {c["state"] for k, c in cells.items() if k.startswith(row + ".")}
        assert "unplaced" in states


@requires_seeds
@pytest.mark.parametrize("truth", TRUTHS, ids=IDS)
def test_meta_and_layout(truth: dict[str, Any], parsed: dict[str, dict[str, Any]]) -> None:
    record = parsed[truth["file"]]
    meta = record["meta"]
    assert meta["year"] == truth["year"]
    assert meta["format"] == str(truth["format"])
    assert meta["agency"] == truth["agency"]
    period = meta["period"]
    assert ([period["start"], period["end"]] if period else None) == truth["period"]
    assert meta["published"] == truth["published"]
    assert record["source"]["layout"] == truth["layout"]


@requires_seeds
@pytest.mark.parametrize("truth", TRUTHS, ids=IDS)
def test_six_parts_in_order(truth: dict[str, Any], parsed: dict[str, dict[str, Any]]) -> None:
    numbers = [s["number"] for s in parsed[truth["file"]]["sections"]]
    assert numbers == [1, 2, 3, 4, 5, 6]


@requires_seeds
def test_surplus_row_is_reported() -> None:
    record = report_record(read_report(SEEDS / "003_d3ddc9c30ed8506a.txt"))
    assert any(p["code"] == "row_surplus" and p["line"] == 64 for p in record["problems"])
