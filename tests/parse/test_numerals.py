"""Chinese numerals, written once in `auditor.text.numerals`: read in dates, written for parts."""

from __future__ import annotations

import re

import pytest

from auditor.model.meta import arabic_dates
from auditor.text import numerals


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("三十一", 31), ("元", 1)],
)
def test_a_month_or_day_number_reads_as_its_value(text: str, number: int) -> None:
    assert numerals.value(text) == number


def test_every_day_of_a_month_is_matched_and_read_back() -> None:
    day = re.compile(f"^{numerals.DAY}$")
    for n in range(1, 32):
        tens, units = divmod(n, 10)
        text = (
            (numerals.written(tens) if tens > 1 else "")
            + ("十" if tens else "")
            + (numerals.written(units) if units else "")
        )
        assert day.match(text), text
        assert numerals.value(text) == n


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇二四年元月二十日", "2024年1月20日"),
        ("二0一三年十二月三十一日", "2013年12月31日"),
        ("二O二一年三月五日", "2021年3月5日"),
    ],
)
def test_a_date_in_chinese_numerals_reads_in_arabic(text: str, iso: str) -> None:
    assert arabic_dates(text) == iso


def test_numbers_outside_one_to_ten_are_written_in_arabic_digits() -> None:
    assert [numerals.written(n) for n in (1, 6, 10, 11, -1)] == ["一", "六", "十", "11", "-1"]
