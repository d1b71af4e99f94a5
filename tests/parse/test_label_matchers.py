"""Label searches with one prepared matcher per format (signatures, table mentions) find
what testing every text against every label finds."""

from __future__ import annotations

import re

import pytest

from auditor.model import coverage
from auditor.model.labels import core_form, label_index, norm, signature_counts
from auditor.pipeline import parse_text
from tests.reportgen import LAYOUTS, make_report


def _by_hand(texts: list[str], fmt: str) -> int:
    sigs = label_index(fmt).signatures()
    return sum(1 for t in texts if len(t) <= 80 and any(s == core_form(t) or s in norm(t) for s in sigs))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_count_matches_every_text_against_every_signature(layout: str, fmt: str) -> None:
    for seed in range(1, 6):
        text = make_report(seed, fmt=fmt, year=2020 if fmt == "2019" else 2023, layout=layout).text
        texts = [t.strip() for t in re.split(r"[|\t\n]", text) if t.strip()]
        counts = signature_counts(texts, ("2019", "2021"))
        assert counts == {f: _by_hand(texts, f) for f in ("2019", "2021")}
        assert parse_text(text).meta.format == fmt


def _mentioned_by_hand(lines: list[str], needles: list[str]) -> int | None:
    hits: set[str] = set()
    first = None
    for number, text in enumerate(lines, 1):
        new = {n for n in needles if n not in hits and n in norm(text)}
        if new:
            hits |= new
            first = first or number
        if len(hits) >= 3:
            return first
    return None


@pytest.mark.parametrize("table", ["disclosure", "requests", "appeals"])
def test_table_mentions_are_found_where_every_label_test_finds_them(table: str) -> None:
    for seed in range(1, 9):
        lines = make_report(seed, layout=LAYOUTS[seed % 4]).text.split("\n")
        for fmt in ("2019", "2021"):
            needles, any_needle = coverage._needles(fmt, table)
            assert coverage._mentioned(lines, needles, any_needle) == _mentioned_by_hand(lines, needles)
    assert coverage._mentioned(["无关", "文字"], *coverage._needles("2021", table)) is None
