"""Format detection counts signature labels with one prepared matcher per format; the
count is the same as comparing every text with every signature."""

from __future__ import annotations

import re

import pytest

from auditor.model.labels import core_form, count_signatures, label_index, norm
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
        counts = {f: count_signatures(texts, f) for f in ("2019", "2021")}
        assert counts == {f: _by_hand(texts, f) for f in ("2019", "2021")}
        assert parse_text(text).meta.format == fmt
