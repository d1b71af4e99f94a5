"""Property: any consistent report the generator renders, in any layout, parses back cell for cell."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor.model.serialize import report_record
from auditor.pipeline import parse_text

reportgen = pytest.importorskip("tests.reportgen", reason="report generator not available")

LAYOUTS = ("pipe", "tab", "paragraph", "markdown")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    fmt=st.sampled_from(("2019", "2021")),
    layout=st.sampled_from(LAYOUTS),
    blanks=st.booleans(),
)
@example(seed=339, fmt="2021", layout="markdown", blanks=True)  # table 四's row opened by a value
def test_every_cell_comes_back(seed: int, fmt: str, layout: str, blanks: bool) -> None:
    generated = reportgen.make_report(seed, fmt=fmt, layout=layout, label_noise=True, blanks=blanks)
    record = report_record(parse_text(generated.text, f"gen-{seed}.txt"))
    assert record["source"]["layout"] == layout
    assert record["meta"]["format"] == fmt
    assert record["meta"]["year"] == generated.year
    cells = record["cells"]
    wrong = {
        key: (cells.get(key, {}).get("value"), expected)
        for key, expected in generated.cells.items()
        if cells.get(key, {}).get("value") != expected
        and not (
            expected is not None
            and cells.get(key, {}).get("value") is not None
            and abs(float(cells[key]["value"]) - float(expected)) < 1e-6
        )
    }
    assert not wrong
    assert not record["unplaced_rows"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_meta_round_trip(layout: str, fmt: str) -> None:
    for seed in range(10):
        generated = reportgen.make_report(seed, fmt=fmt, layout=layout)
        meta = report_record(parse_text(generated.text))["meta"]
        assert meta["agency"] == generated.agency
        assert meta["body_kind"] == generated.body_kind
        assert (meta["published"] or None) == generated.published
        period = meta["period"]
        assert ((period["start"], period["end"]) if period else None) == generated.period


@pytest.mark.parametrize(("layout", "wrap"), [("tab", "\n"), ("pipe", " |\n"), ("paragraph", "\n\n")])
def test_label_wrapped_onto_two_lines(layout: str, wrap: str) -> None:
    generated = reportgen.make_report(3, fmt="2021", layout=layout, label_noise=False)
    text = generated.text
    for label in (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    ):
        text = text.replace(label, label[:-8] + wrap + label[-8:])
    cells = report_record(parse_text(text))["cells"]
    for key, expected in generated.cells.items():
        if key.startswith("requests.partially_granted."):
            assert cells[key]["value"] == expected, key
