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
