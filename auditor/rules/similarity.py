"""Text similarity of two report parts, for the 内容雷同 checks (YOY-004, RECT-003).

The measure is the Jaccard index of the sets of character n-grams (shingles, n = 3 by
default) of the two texts after `normalise`:

    similarity(a, b) = |S(a) ∩ S(b)| / |S(a) ∪ S(b)|

Why shingles rather than ``difflib.SequenceMatcher``: the Jaccard index is symmetric,
linear in the text length (a part 一 runs to several thousand characters) and has no
junk heuristic — SequenceMatcher's ``autojunk`` drops the most frequent characters
(公, 开, 信, 息 …) of any text over 200 characters, which is most of a Chinese report.
Character n-grams need no word segmentation. Each edit changes at most n shingles, so a
copy with a few touched sentences stays near 1, while two independently written parts
on the same topics share mostly common phrases and stay well below 0.9.

Normalisation folds widths (NFKC), drops whitespace and punctuation, and replaces every
run of digits by ``#``: a part that only updates last year's figures and year numbers
is still a copy.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")  # \w keeps CJK characters, letters and digits


def normalise(text: str) -> str:
    """Width-folded text without whitespace or punctuation, each digit run as ``#``."""
    folded = unicodedata.normalize("NFKC", text)
    bare = _NOT_WORD.sub("", folded)
    return _DIGITS.sub("#", bare)


def shingles(text: str, n: int = 3) -> frozenset[str]:
    """The set of character n-grams of an already normalised text (the text itself when shorter)."""
    if len(text) <= n:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + n] for i in range(len(text) - n + 1))


def similarity(a: str, b: str, n: int = 3) -> float:
    """Jaccard index of the n-gram sets of the normalised texts, in [0, 1]; 0 when either is empty."""
    sa, sb = shingles(normalise(a), n), shingles(normalise(b), n)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
