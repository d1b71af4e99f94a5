"""The narrative of a report as rules read it: prose lines of chosen parts, normalised.

Table lines (pipes, tabs) are dropped, so a pattern never reads a table row as prose.
Normalisation makes rule patterns simple to write: digits are ASCII, the common
punctuation is full width (，；：（）！？) and spaces next to Chinese text are removed
("申请 75 件" → "申请75件").
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditor.model.types import Report, Section

_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
_SPACES = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000\xa0]+|[ \t\u3000\xa0]+(?=[^\x00-\x7f])")
_SENTENCE_END = re.compile(r"[。；！？\n]")
_CLAUSE_END = re.compile(r"[。；！？，：\n]")


def normalise(text: str) -> str:
    """Digits to ASCII, punctuation to full width, no spaces around Chinese characters."""
    digits = "".join(unicodedata.normalize("NFKC", ch) if "０" <= ch <= "９" else ch for ch in text)
    return _SPACES.sub("", digits.translate(_TO_FULL))


@dataclass(frozen=True)
class ProseLine:
    """One prose line of a part, normalised."""

    part: int
    line: int | None
    text: str


def _is_table_line(raw: str) -> bool:
    return "|" in raw or "\t" in raw


def prose(report: Report, parts: Iterable[int] | None = None) -> Iterator[ProseLine]:
    """Prose lines of the chosen parts (all parts when None), heading line excluded."""
    wanted = set(parts) if parts is not None else None
    for position, section in enumerate(report.sections):
        if wanted is None or section.number in wanted:
            yield from _section_prose(report, position)


class _Memo(threading.local):
    """The prose of the report being audited, read and normalised once (many rules read it).

    One slot per thread, keyed by identity: a thread audits one report at a time, and a
    weak reference neither keeps the report alive nor lets another report take its place.
    """

    def __init__(self) -> None:
        self.report: weakref.ref[Report] | None = None
        self.parts: dict[int, tuple[ProseLine, ...]] = {}


_MEMO = _Memo()


def _section_prose(report: Report, position: int) -> tuple[ProseLine, ...]:
    memo = _MEMO
    if memo.report is None or memo.report() is not report:
        memo.report, memo.parts = weakref.ref(report), {}
    lines = memo.parts.get(position)
    if lines is None:
        lines = memo.parts[position] = tuple(_read_prose(report, report.sections[position]))
    return lines


def _read_prose(report: Report, section: Section) -> Iterator[ProseLine]:
    lines = section.text.split("\n")
    if lines and section.title and lines[0].strip() == section.title.strip():
        lines = lines[1:]
    cursor = section.line  # report.lines[i] is line i + 1; the part starts after its heading
    for raw in lines:
        if not raw.strip() or _is_table_line(raw):
            continue
        number = _line_number(report, raw.strip(), cursor, section.end_line)
        cursor = number if number is not None else cursor
        yield ProseLine(section.number, number or section.line, normalise(raw.strip()))


def _line_number(report: Report, raw: str, start: int, end: int) -> int | None:
    """The report line printing ``raw``, searched from ``start`` (text patches have none)."""
    for i in range(max(start, 0), min(end, len(report.lines))):
        if report.lines[i].strip() == raw:
            return i + 1
    return None


def sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """(sentence text before ``start``, the whole sentence holding ``start:end``)."""
    cut = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    begin = cut[-1] if cut else 0
    after = _SENTENCE_END.search(text, end)
    return text[begin:start], text[begin : after.start() if after else len(text)]


def clause_before(text: str, start: int) -> str:
    """The clause (up to the last comma or stop) before ``start``."""
    cut = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    return text[cut[-1] if cut else 0 : start]


def body_text(report: Report, part: int) -> str | None:
    """All prose of one part joined by newlines; None when the part is absent."""
    if report.section(part) is None:
        return None
    return "\n".join(p.text for p in prose(report, (part,)))
