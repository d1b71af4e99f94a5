"""Rule-author regular expressions, run with a time limit.

Patterns come from YAML rule packs, so a careless or hostile one (``^(.|.)*Z$``) must not
hang an audit. The `regex` module accepts the same syntax as `re` (the packs need its
lookbehinds, which RE2 lacks), backtracks far less on such patterns, and takes a
``timeout``: a match that runs past `TIMEOUT` raises `TimeoutError`, which stops that one
rule (reported as an internal error of the rule), never the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def may_match_a_line(pattern: str, joined: str) -> bool:
    """False only when no line of ``joined`` (lines joined by newlines) holds a match."""
    if not joinable(pattern):
        return True
    try:
        return search(pattern, joined) is not None
    except TimeoutError:
        return True  # each line is searched on its own, as before
