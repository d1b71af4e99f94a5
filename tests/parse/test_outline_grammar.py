"""The outline grammar takes its part-heading phrases from the parts' template data."""

from __future__ import annotations

from auditor.model.template import parts
from auditor.resources import grammar_path
from auditor.tree.parser import grammar_text, parse_outline


def test_the_heading_terminal_names_no_part_phrase() -> None:
    raw = grammar_path("report.lark").read_text(encoding="utf-8")
    heading = next(line for line in raw.splitlines() if line.startswith("HEADING"))
    assert "@PART_PHRASES@" in heading
    assert not [p for part in parts() for p in part.outline if p in heading]
    assert "@PART_PHRASES@" not in grammar_text()


def test_every_outline_phrase_opens_its_part() -> None:
    for part in parts():
        for phrase in part.outline:
            outline = parse_outline(f"前言。\n{part.numeral}、本单位{phrase}情况\n正文。\n")
            assert [s.heading.text for s in outline.sections] == [f"{part.numeral}、本单位{phrase}情况"], phrase


def test_a_numbered_line_without_a_part_phrase_is_text() -> None:
    outline = parse_outline("一、总体情况\n二、主动公开方面的做法\n正文。\n")
    assert [s.heading.text for s in outline.sections] == ["一、总体情况"]
