"""Rule-author regular expressions, run with a time limit.

Patterns come from YAML rule packs, so a careless or hostile one (``^(.|.)*Z$``) must not
hang an audit. The `regex` module accepts the same syntax as `re` (the packs need its
lookbehinds, which RE2 lacks), backtracks far less on such patterns, and takes a
``timeout``: a match that runs past `TIMEOUT` raises `TimeoutError`, which stops that one
rule (reported as an internal error of the rule), never the batch.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from functools import cache

import regex

# Seconds per search over one text; real patterns take microseconds.
TIMEOUT = 1.0

Pattern = regex.Pattern[str]
Match = regex.Match[str]


class PatternError(ValueError):
    """A pattern that does not compile."""


@cache
def compile_pattern(pattern: str) -> Pattern:
    """Compile a rule pattern (cached); `PatternError` when it is not a valid expression."""
    try:
        return regex.compile(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise PatternError(str(exc)) from None


def search(pattern: str, text: str) -> Match | None:
    """The first match of a rule pattern in ``text``, within the time limit."""
    return compile_pattern(pattern).search(text, timeout=TIMEOUT)


def finditer(pattern: str, text: str) -> Iterator[Match]:
    """Every match of a rule pattern in ``text``, within the time limit."""
    return compile_pattern(pattern).finditer(text, timeout=TIMEOUT)


# What can make a match inside one line fail once the lines are joined by "\n": anchors,
# atomic or possessive groups (they may commit to a longer run across the newline), flags,
# verbs and fuzzy constraints. Backtracking finds a match whenever one exists otherwise.
_LINE_BOUND = regex.compile(r"(?<!\[)\^|\$|\\[AZzG]|\(\?>|[*+?}]\+|\(\?[a-zA-OQ-Z^-]|\(\*|\{[a-z]")
# A negative lookaround sees the newline and the next line; it can only change its answer
# if its body can match a newline: a negated class, an escape other than \d, a control char.
_NEGATIVE_LOOK = regex.compile(r"\(\?<?!")
_NEWLINE_CAPABLE = regex.compile(r"\[\^|\\[^d]|[\x00-\x1f]")


@cache
def joinable(pattern: str) -> bool:
    """Whether every match of ``pattern`` inside one line is also a match in the text of
    several lines joined by newlines (so one search over that text can rule out every line).

    Conservative: a pattern this cannot prove it for answers False.
    """
    if _LINE_BOUND.search(pattern):
        return False
    return not (_NEGATIVE_LOOK.search(pattern) and _NEWLINE_CAPABLE.search(pattern))


def candidate_lines(pattern: str, lines: Sequence[str]) -> Iterator[int]:
    """Indices (ascending) of the lines that may hold a match; every line that does is among them.

    For a `joinable` pattern the lines are joined by newlines and searched from the start
    of each line still in question: the first match at or after it names the next line
    worth searching on its own, and no match means no later line has one. Otherwise (or
    when a search times out) every line is a candidate.
    """
    if not joinable(pattern):
        yield from range(len(lines))
        return
    starts = list(itertools.accumulate((len(t) + 1 for t in lines[:-1]), initial=0))
    joined = "\n".join(lines)
    compiled = compile_pattern(pattern)
    line = 0
    while line < len(lines):
        try:
            m = compiled.search(joined, starts[line], timeout=TIMEOUT)
        except TimeoutError:
            yield from range(line, len(lines))
            return
        if m is None:
            return
        line = bisect.bisect_right(starts, m.start()) - 1
        yield line
        line += 1
