"""Reading a row's glued digits (``200 000121``) as its column values, only when certain.

Crawler dumps and some page conversions print a row's values run together. A run of digits
is read as several numbers only in ways that keep every number free of a leading zero; a
reading must give exactly the row's number of columns, and where several do, the row's own
sums (parts = 总计) choose. `split_values` returns the reading when exactly one remains;
`readings` returns all that remain, for the table's column sums to decide
(`auditor.model.resolve`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from auditor.model.template import TableSpec
from auditor.model.values import SIGN_WORD, SIGN_WORDS, UNIT

MAX_SPLITS = 50_000  # candidate splits examined per row before calling it ambiguous
UNSPLIT = "〔{}〕"  # how a row's unsplit digits are kept (read back by `values.classify`)

_WIDTH = str.maketrans("－＋０１２３４５６７８９．", "-+0123456789.")
# A printed number with the unit glued after it, which stays with it (``246900元``).
_NUMBER = re.compile(rf"[+\-−]?\d+(?:\.\d+)?(?:\s*(?:{UNIT}))?")
_UNIT_TAIL = re.compile(rf"\s*(?:{UNIT})$")
_LEADING_ZERO = re.compile(r"[+\-]?0\d")  # no printed number starts so ("02025": 0, then more)
_SIGN_WORD = re.compile(rf"({SIGN_WORD})\s*")


@dataclass(frozen=True)
class RowShape:
    """What a row label needs: how many values, and which groups of them must add up."""

    columns: int
    sums: tuple[tuple[int, int], ...]  # (first, last) column of each group whose last is its 总计


def row_shape(spec: TableSpec, columns: Sequence[str]) -> RowShape:
    if spec.column_groups:
        size = len(columns) // len(spec.column_groups)
        return RowShape(len(columns), tuple((g * size, g * size + size - 1) for g in range(len(spec.column_groups))))
    sums = ((0, len(columns) - 1),) if columns and columns[-1] == "total" else ()
    return RowShape(len(columns), sums)


def _parts(token: str) -> Iterator[list[str]]:
    """Ways to read one printed token as several numbers (no number with a leading zero)."""
    sign = token[0] if token[0] in "+-−" else ""
    unit = _UNIT_TAIL.search(token)
    tail = unit.group() if unit else ""
    body = token[len(sign) : len(token) - len(tail)]
    integer, dot, frac = body.partition(".")
    n = len(integer)
    for k in range(1, n + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            bounds = (0, *cuts, n)
            nums = [integer[a:b] for a, b in itertools.pairwise(bounds)]
            if any(len(x) > 1 and x[0] == "0" for x in nums):
                continue
            nums[0] = sign + nums[0]
            if dot:
                nums[-1] += "." + frac
            nums[-1] += tail
            yield nums


def amount(value: str) -> Decimal:
    """The number a value of a reading stands for (its unit, if printed, left out)."""
    return Decimal(_UNIT_TAIL.sub("", value))


def _adds_up(values: Sequence[str], shape: RowShape) -> bool:
    amounts = [amount(v) for v in values]
    return all(sum(amounts[a:b], Decimal(0)) == amounts[b] for a, b in shape.sums)


def printed_numbers(text: str) -> list[str]:
    """The numbers a row's value text prints, each as printed (减12 as -12)."""
    signed = _SIGN_WORD.sub(lambda m: SIGN_WORDS[m.group(1)], text)
    return _NUMBER.findall(signed.translate(_WIDTH).replace("−", "-"))


def readings(text: str, shape: RowShape) -> list[list[str]] | None:
    """Every reading of the printed digits that fits the row (its sums, when any reading
    satisfies them); None when there are too many to examine."""
    tokens = printed_numbers(text)
    if not tokens or len(tokens) > shape.columns:
        return []
    if len(tokens) == shape.columns and not any(_LEADING_ZERO.match(t) for t in tokens):
        return [tokens]
    counted: list[list[str]] = []
    for examined, combo in enumerate(itertools.product(*[list(_parts(t)) for t in tokens])):
        if examined >= MAX_SPLITS:
            return None
        values = [v for part in combo for v in part]
        if len(values) == shape.columns:
            counted.append(values)
    fitting = [v for v in counted if _adds_up(v, shape)] if shape.sums else []
    digits = sum(ch.isdigit() for token in tokens for ch in token)
    if len(counted) == 1 and shape.sums and not fitting and len(counted[0]) < digits:
        # One reading by count, its sums failing, and a number of several digits in it
        # (``40000002``: 40 0 0 0 0 0 2): only the no-leading-zero rule chose it, and a digit
        # glued from elsewhere would read the same. Not certain: left unread.
        return []
    # A single reading by count stands even if its sums fail (one digit per column,
    # ``5100000``: 总计 left 0): that is the report's defect.
    return counted if len(counted) <= 1 or not fitting else fitting


def split_values(text: str, shape: RowShape) -> list[str] | None:
    """The row's values when exactly one reading of the printed digits fits its shape."""
    found = readings(text, shape)
    return found[0] if found is not None and len(found) == 1 else None
