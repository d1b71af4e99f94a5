"""Did-you-mean hints for rule authors: the closest known spelling of a misspelt word."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known spelling nearest to ``word``, when one is near enough to be a typo."""
    options = sorted({str(k) for k in known})
    hits = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return hits[0] if hits else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``，是否应为 “x”？`` for the nearest known spelling, else an empty string."""
    hit = closest(word, known)
    return f"，是否应为“{hit}”？" if hit else ""


def shorten(value: object, limit: int = 40) -> str:
    """A value quoted in a message, cut so a message never echoes a whole file."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
