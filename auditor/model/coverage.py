"""Reading coverage: what of each table and part was read, and what the text prints at all.

Checks use it to tell "the report lacks it" (an error against the body) from "the reader
could not read it" (not evaluated, a manual check): a table whose row labels appear in the
text was printed, whatever the scanner made of it; a part whose subject the body speaks of
is there, even when its heading was not recognised.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from auditor.model.labels import core_form, norm
from auditor.model.template import PART_NUMERALS, PART_SUBJECTS, Template, load_template
from auditor.model.types import Cell, CellState, Coverage, PartCoverage, Section, TableCoverage
from auditor.text.document import UNREAD_MARKS


def picture_lines(lines: Sequence[str], sections: Sequence[Section], part: int) -> list[int]:
    """Lines of a part where the reader saw a picture or a converter's placeholder for a
    table: what stands there was not read (a table pasted as an image is no missing table)."""
    return [
        i + 1
        for s in sections
        if s.number == part
        for i in range(s.line, min(s.end_line, len(lines)))
        if lines[i] in UNREAD_MARKS
    ]


# Row labels this short also stand in prose (规章, 其他): too weak to say a table is printed.
_MIN_LABEL = 4


# A table counts as printed when this many of its distinct labels appear: one or two
# (行政许可, 行政处罚) are everyday words of the narrative.
_MIN_HITS = 3


def _mentioned(lines: Sequence[str], needles: Sequence[str], any_needle: re.Pattern[str]) -> int | None:
    """The line of the first label hit, when enough distinct labels appear in the text."""
    hits: set[str] = set()
    first: int | None = None
    for number, text in enumerate(lines, 1):
        flat = norm(text)
        if not any_needle.search(flat):
            continue  # most lines hold no label: one search instead of one test per label
        new = {n for n in needles if n not in hits and n in flat}
        if new:
            hits |= new
            first = first or number
        if len(hits) >= _MIN_HITS:
            return first
    return None


@cache
def _needles(fmt: str, table: str) -> tuple[list[str], re.Pattern[str]]:
    """A table's labels as searched for in the text, and one alternation of them all."""
    labels = _table_labels(load_template(fmt), table)
    return labels, re.compile("|".join(re.escape(label) for label in labels) or "(?!)")


def _table_labels(template: Template, table: str) -> list[str]:
    spec = template.tables[table]
    labels = {core_form(label) for row in spec.rows.values() for label in row.labels}
    labels |= {core_form(label) for labels in spec.group_labels.values() for label in labels}
    labels |= {core_form(label) for labels in spec.captions.values() for label in labels}
    labels |= {core_form(label) for cols in spec.column_labels.values() for ls in cols.values() for label in ls}
    return sorted(label for label in labels if len(label) >= _MIN_LABEL)


def compute(
    lines: Sequence[str],
    template: Template,
    cells: Mapping[str, Cell],
    found: Sequence[str],
    sections: Sequence[Section],
) -> Coverage:
    """Coverage of a report read with ``template``; ``found`` names the tables the scanner found."""
    tables: dict[str, TableCoverage] = {}
    for name in template.tables:
        keys = template.keys(name)
        states = [cells[k].state for k in keys if k in cells]
        tables[name] = TableCoverage(
            name=name,
            found=name in found,
            mentioned_line=_mentioned(lines, *_needles(template.format, name)),
            cells_read=sum(s is not CellState.UNPLACED for s in states),
            cells_unplaced=sum(s is CellState.UNPLACED for s in states),
            cells_total=len(keys),
        )
    # The text before the first heading holds the intro, whose list of the six parts names
    # every subject; a crawler dump also holds part 一's text there. Only the list goes.
    first = min((s.line for s in sections), default=len(lines) + 1)
    intro = "\n".join(lines[: first - 1])
    listed = _part_lists(intro)
    parts: dict[int, PartCoverage] = {}
    for number, pattern in _subjects():
        heading = next((s.line for s in sections if s.number == number), None)
        mention = _intro_line(pattern, intro, listed)
        if mention is None:
            body = enumerate(lines[first - 1 :], first)
            mention = next((n for n, text in body if n != heading and pattern.search(text)), None)
        if mention is None and heading is None and number == 1:
            mention = _intro_line(_FIRST_NUMBERED, intro, listed)
        parts[number] = PartCoverage(number, heading, mention)
    return Coverage(tables, dict(sorted(parts.items())))


# Part 一 under a title of the body's own ("一、年度工作核心成效"): the text before the first
# recognised heading opens with a numbered section of its own.
_FIRST_NUMBERED = re.compile(rf"(?:^|[\s。；;]){PART_NUMERALS[0]}[、.．]\s*[\u4e00-\u9fff]")


def _intro_line(pattern: re.Pattern[str], intro: str, listed: Sequence[tuple[int, int]]) -> int | None:
    """The line of the intro where ``pattern`` first matches outside the list of the parts."""
    hit = next((m for m in pattern.finditer(intro) if not any(a <= m.start() < b for a, b in listed)), None)
    return intro.count("\n", 0, hit.start()) + 1 if hit else None


@cache
def _subjects() -> tuple[tuple[int, re.Pattern[str]], ...]:
    return tuple((number, re.compile(phrase)) for number, phrase in PART_SUBJECTS)


@cache
def _any_subject() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<p{number}>{phrase})" for number, phrase in PART_SUBJECTS))


# A sentence naming this many parts' subjects lists what the report is made of (本报告由总体
# 情况、主动公开政府信息情况…组成): it mentions no one part.
_PART_LIST = 3
_SENTENCE = re.compile(r"[^。；;]+[。；;]?")


def _part_lists(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences listing the parts (a PDF conversion may wrap them over lines)."""
    spans = []
    for sentence in _SENTENCE.finditer(text):
        flat = sentence.group().replace("\n", "")
        if len({m.lastgroup for m in _any_subject().finditer(flat)}) >= _PART_LIST:
            spans.append(sentence.span())
    return spans
