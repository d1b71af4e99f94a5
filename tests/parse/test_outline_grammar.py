"""The outline grammar takes its part numerals and heading phrases from the parts' template
data, and the Chinese numerals of a date from `auditor.text.numerals`."""

from __future__ import annotations

from auditor.model.template import parts
from auditor.pipeline import parse_text
from auditor.resources import grammar_path
from auditor.text import numerals
from auditor.tree.parser import grammar_text, parse_outline
from tests.conftest import SEEDS, requires_seeds


def test_the_heading_terminal_names_no_part_phrase() -> None:
    raw = grammar_path("report.lark").read_text(encoding="utf-8")
    heading = next(line for line in raw.splitlines() if line.startswith("HEADING"))
    assert "@PART_PHRASES@" in heading
    assert not [p for part in parts() for p in part.outline if p in heading]
    assert "@PART_PHRASES@" not in grammar_text()


def test_the_grammar_writes_no_numeral_itself() -> None:
    raw = grammar_path("report.lark").read_text(encoding="utf-8")
    rules = [line for line in raw.splitlines() if not line.startswith("//")]
    assert not [line for line in rules if any(ch in line for ch in numerals.SMALL + "〇○")]
    assert "@" not in "".join(line for line in grammar_text().splitlines() if not line.startswith("//"))


def test_a_closing_date_in_chinese_numerals_is_a_date_line() -> None:
    outline = parse_outline("一、总体情况\n正文。\n二〇二四年元月二十日\n二0二三年十二月三十一日\n")
    assert [b.kind for b in outline.sections[0].blocks][-2:] == ["date", "date"]


def test_every_outline_phrase_opens_its_part() -> None:
    for part in parts():
        for phrase in part.outline:
            outline = parse_outline(f"前言。\n{part.numeral}、本单位{phrase}情况\n正文。\n")
            assert [s.heading.text for s in outline.sections] == [f"{part.numeral}、本单位{phrase}情况"], phrase


def test_a_numbered_line_without_a_part_phrase_is_text() -> None:
    outline = parse_outline("一、总体情况\n二、主动公开方面的做法\n正文。\n")
    assert [s.heading.text for s in outline.sections] == ["一、总体情况"]


@requires_seeds
def test_a_pipe_run_indented_with_ideographic_spaces_is_still_a_run_of_blank_cells() -> None:
    # Pages indent every line with 　　; a line of pipes only ("　　|||", spanned and blank
    # cells in the pipe layout) still stands for those cells: the same cells are read.
    text = (SEEDS / "000_97623f781dbd24e0.txt").read_text(encoding="utf-8")
    assert "\n|||\n" in text
    indented = "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n"))
    plain, shifted = parse_text(text, "a.txt"), parse_text(indented, "b.txt")
    assert {k: c.value for k, c in shifted.cells.items()} == {k: c.value for k, c in plain.cells.items()}
