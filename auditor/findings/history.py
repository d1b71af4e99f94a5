"""Pair each report of a batch with the same body's report for the year before.

The cross-year rules (category ``cross_year``) compare a report with that previous
report; `pair_previous` finds it among the reports of one batch, without reading files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from auditor.model.types import Report

_NOISE = re.compile(r"[\W_]+")  # whitespace and punctuation; \w keeps CJK characters


def normalise_agency(name: str) -> str:
    """An agency name for comparison: width-folded (NFKC), no whitespace or punctuation.

    ``岳阳市 人民政府`` and ``岳阳市人民政府``, or ``（县）`` and ``(县)``, compare equal;
    different names stay different (no guessing about abbreviations).
    """
    return _NOISE.sub("", unicodedata.normalize("NFKC", name))


BatchKey = tuple[str | None, int | None, date | None]
"""What pairing needs of a report: (agency, year, publication date)."""


def _key(agency: str | None, year: int | None) -> tuple[str, int] | None:
    if not agency or year is None:
        return None
    name = normalise_agency(agency)
    return (name, year) if name else None


def pair_indices(keys: Sequence[BatchKey]) -> list[int | None]:
    """`pair_previous` on plain keys: for each item, the index of its previous-year item.

    The batch pipeline pairs audit records (dicts) with this, so it needs no Report.
    """
    best: dict[tuple[str, int], tuple[tuple[bool, date, int], int]] = {}
    for position, (agency, year, published) in enumerate(keys):
        key = _key(agency, year)
        if key is None:
            continue
        rank = (published is not None, published or date.min, position)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, position)
    out: list[int | None] = []
    for agency, year, _ in keys:
        key = _key(agency, year)
        found = best.get((key[0], key[1] - 1)) if key is not None else None
        out.append(found[1] if found is not None else None)
    return out


def pair_previous(reports: Sequence[Report]) -> list[Report | None]:
    """For each report, the batch's report of the same agency for year − 1, or None.

    Agencies are compared after `normalise_agency`. When several reports qualify (a
    republished or corrected report), the one with the later publication date wins; a
    known date beats an unknown one, and among equal dates the later in the batch wins.
    A report whose agency or year is unknown gets None and is never anyone's previous.
    """
    keys = [(r.meta.agency, r.meta.year, r.meta.published) for r in reports]
    return [reports[i] if i is not None else None for i in pair_indices(keys)]
