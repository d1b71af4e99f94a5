"""Batch pairing of each report with the same body's previous-year report."""

from __future__ import annotations

from datetime import date

from auditor.findings.history import normalise_agency, pair_previous
from auditor.model.types import Meta, Report, Source


def report(agency: str | None, year: int | None, published: date | None = None, name: str = "") -> Report:
    return Report(
        Source(name or f"{agency}-{year}", "0" * 64, None), Meta(agency=agency, year=year, published=published)
    )


def test_pairs_same_agency_previous_year() -> None:
    a22, a23, b22, b23 = report("甲局", 2022), report("甲局", 2023), report("乙局", 2022), report("乙局", 2023)
    assert pair_previous([a23, b23, a22, b22]) == [a22, b22, None, None]


def test_agency_names_are_normalised() -> None:
    old, new = report("株洲县 人民政府（本级）", 2021), report("株洲县人民政府(本级)", 2022)
    assert pair_previous([old, new]) == [None, old]
    assert normalise_agency("岳阳市　教育局。") == "岳阳市教育局"
    assert pair_previous([report("岳阳市教育局", 2021), report("岳阳市财政局", 2022)]) == [None, None]


def test_only_year_minus_one() -> None:
    two_back, now = report("甲局", 2020), report("甲局", 2022)
    assert pair_previous([two_back, now]) == [None, None]


def test_unknown_agency_or_year_gets_none_and_is_never_previous() -> None:
    nameless, yearless = report(None, 2022), report("甲局", None)
    blank = report("  ", 2022)
    later = report("甲局", 2023)
    assert pair_previous([nameless, yearless, blank, later]) == [None, None, None, None]


def test_several_candidates_the_later_publication_wins() -> None:
    first = report("甲局", 2022, date(2023, 1, 20), "first")
    corrected = report("甲局", 2022, date(2023, 3, 1), "corrected")
    undated = report("甲局", 2022, None, "undated")
    now = report("甲局", 2023)
    assert pair_previous([corrected, first, undated, now])[3] is corrected
    # Equal (or equally unknown) dates: the later one in the batch.
    again = report("甲局", 2022, date(2023, 3, 1), "again")
    assert pair_previous([corrected, again, now])[2] is again
    x, y = report("甲局", 2022, name="x"), report("甲局", 2022, name="y")
    assert pair_previous([x, y, now])[2] is y


def test_empty_batch() -> None:
    assert pair_previous([]) == []
