"""Searching a part's lines joined by newlines may pick the lines worth searching one by one
only when that cannot lose a match: `joinable` proves it, or every line is searched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.pipeline import parse_text
from auditor.rules.loader import bundled_packs, load_pack
from auditor.rules.narrative import prose
from auditor.rules.patterns import candidate_lines, joinable, search
from tests.reportgen import make_report


@pytest.mark.parametrize(
    "pattern",
    [r"^x", r"x$", r"\Ax", r"(?<!\s)x", r"(?!\D)x", r"(?<![^a])x", r"(?>a+)b", r"a++b", r"(?s)a.b", r"(?:a){e<=1}"],
)
def test_patterns_a_newline_can_change_are_not_joinable(pattern: str) -> None:
    assert not joinable(pattern)
    assert list(candidate_lines(pattern, ["a", "b", "c"])) == [0, 1, 2]  # every line is searched


@pytest.mark.parametrize(
    "pattern",
    [r"(?P<n>\d+)件", r"(?<!按时)(?<!逾期)办结(?P<n>\d+)件", r"未(?:发生|有)[^。；，]{0,25}?行政复议", r"\b收到\d+件"],
)
def test_everyday_rule_patterns_are_joinable(pattern: str) -> None:
    assert joinable(pattern)


@given(
    st.lists(st.text(alphabet="办结按时逾期收到了 12件。，\t", max_size=12), min_size=1, max_size=6),
    st.sampled_from([r"(?<!按时)办结(?P<n>\d+)件", r"收到[^。]{0,4}?\d件", r"\b\d+件", r"(?<=，)\d", r"了(?=\d)"]),
)
def test_a_line_match_is_never_lost_by_joining(lines: list[str], pattern: str) -> None:
    assert joinable(pattern)
    matching = [i for i, line in enumerate(lines) if search(pattern, line)]
    candidates = list(candidate_lines(pattern, lines))
    assert candidates == sorted(set(candidates))
    assert set(matching) <= set(candidates)


def _phrase_patterns() -> list[str]:
    out = []
    for name in bundled_packs():
        for rule in load_pack(name).rules:
            out += [str(p["pattern"]) for p in rule.params.get("phrases") or () if "pattern" in p]
    return sorted(set(out))


def test_bundled_phrases_found_line_by_line_are_found_in_the_joined_text() -> None:
    patterns = _phrase_patterns()
    assert patterns
    checked = 0
    for seed in range(1, 25):
        lines = [line.text for line in prose(parse_text(make_report(seed).text))]
        for pattern in patterns:
            matching = {i for i, line in enumerate(lines) if search(pattern, line)}
            candidates = set(candidate_lines(pattern, lines))
            checked += len(matching)
            assert matching <= candidates, pattern
            if joinable(pattern):
                assert len(candidates) <= len(matching) + len(lines) // 2  # most lines are ruled out
    assert checked > 0


def test_lines_without_a_match_are_skipped() -> None:
    lines = ["上年结转3件", "无关的一行", "另一行", "本年新收5件"]
    assert list(candidate_lines(r"(?P<n>\d+)件", lines)) == [0, 3]
    assert list(candidate_lines(r"(?P<n>\d+)件", [])) == []
